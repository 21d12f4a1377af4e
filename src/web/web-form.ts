import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { fieldMessage } from '../common/messages';
import { flattenValidationErrors } from '../common/validation';

/** Parses a form body into a DTO with the same validation as the API; errors come back as readable lines. */
export function formDto<T extends object>(cls: new () => T, body: Record<string, unknown>, labels: Record<string, string> = {}): { dto: T; errors: string[] } {
  const dto = plainToInstance(cls, Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf')));
  const errors = validateSync(dto, { whitelist: true });
  return { dto, errors: flattenValidationErrors(errors).map((i) => `${labels[i.field] ?? i.field}：${fieldMessage(i.reason, 'zh', i.args)}`) };
}

export const bool = (v: unknown) => v === true || v === 'true' || v === 'on';

