import { ApiProperty } from '@nestjs/swagger';
import { Allow } from 'class-validator';

/** The body of PUT /api/inspections/:id/photos/:evidenceId/markup; the layer is checked by `checkMarkup` (fields named markup.shapes.N.x …). */
export class MarkupDto {
  @ApiProperty({
    nullable: true,
    description: '标注图层 / markup layer: { v: 1, w, h, shapes: [{ t: "arrow", x1, y1, x2, y2 } | { t: "circle", x, y, r } | { t: "text", x, y, s }] }；null 清除',
    example: { v: 1, w: 1600, h: 1200, shapes: [{ t: 'arrow', x1: 0.2, y1: 0.2, x2: 0.5, y2: 0.5 }, { t: 'text', x: 0.1, y: 0.1, s: '灭火器过期' }] },
  })
  @Allow() markup: unknown;
}
