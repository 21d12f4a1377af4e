import { Module } from '@nestjs/common';
import { DivisionsModule } from '../divisions/divisions.module';
import { InspectionsModule } from '../inspections/inspections.module';
import { InspectionCodeWebController } from './inspection-code-web.controller';

/** 检查码 pages (issue 17, item 4): 核验检查码 and 评价 for the institution, 检查评价 for the bureau. HTTP processes only, like WebModule. */
@Module({
  imports: [InspectionsModule, DivisionsModule],
  controllers: [InspectionCodeWebController],
})
export class InspectionCodesWebModule {}
