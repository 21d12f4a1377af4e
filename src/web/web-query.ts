import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppError } from '../common/app-error';
import { flattenValidationErrors } from '../common/validation';

/**
 * A page's filters, read with the API's query DTO and validated the same way: the inputs the page offers are taken
 * from the query string (an empty one — a select left at 全部 — is absent), and a value the API would refuse is the
 * same 400 with field paths. `filters` is what the form and the pager links carry on.
 */
export function webQuery<T extends object>(cls: new () => T, raw: Record<string, unknown>, keys: readonly string[]): { query: T; filters: Record<string, string> } {
  const filters: Record<string, string> = {};
  for (const k of keys) if (typeof raw[k] === 'string' && raw[k] !== '') filters[k] = raw[k] as string;
  const query = plainToInstance(cls, typeof raw.page === 'string' && raw.page !== '' ? { ...filters, page: raw.page } : filters);
  const errors = validateSync(query, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw AppError.validation(flattenValidationErrors(errors));
  return { query, filters };
}
