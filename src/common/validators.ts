import { registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';
import { isValidCreditCode } from './credit-code';

function simple(name: string, test: (v: unknown) => boolean) {
  return (options?: ValidationOptions) => (object: object, propertyName: string) =>
    registerDecorator({ name, target: object.constructor, propertyName, options, validator: { validate: test, defaultMessage: () => `$property ${name}` } });
}

/** PostgreSQL `integer` (int4) bounds: a DTO integer stored in an int4 column needs `@Max(INT4_MAX)`. */
export const INT4_MAX = 2_147_483_647;

/**
 * The field may be left out, but when present it is validated, `null` included (`@IsOptional` lets `null` through,
 * which then reaches NOT NULL columns). Use `@IsOptional` only for fields that are nullable on purpose.
 */
export function IsOmittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_o, v) => v !== undefined, options);
}

/** 统一社会信用代码 with a correct GB 32100-2015 check character. */
export const IsCreditCode = simple('isCreditCode', isValidCreditCode);
/** GB/T 2260 (6 digits) or statistical township/village codes (9 or 12 digits). */
export const IsDivisionCode = simple('isDivisionCode', (v) => typeof v === 'string' && /^\d{6}(\d{3}(\d{3})?)?$/.test(v));
/** A mainland landline (0519-88886666) or mobile number (13912345678). */
export const IsPhone = simple('isPhone', (v) => typeof v === 'string' && /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/.test(v));

/** A real calendar day `YYYY-MM-DD` between 1900 and 2999 (`2026-02-30`, week dates and `20260203` are refused). */
export function isCalendarDate(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2999) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}
/** Date-only fields (due dates, periods, completion dates): see {@link isCalendarDate}. */
export const IsCalendarDate = simple('isCalendarDate', isCalendarDate);

const INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(:([0-5]\d)(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?([0-5]\d))$/;
/** A moment in time: ISO 8601 date-time with a real calendar day and an explicit offset (`2026-11-23T10:00:00+08:00`). */
export const IsInstant = simple('isInstant', (v) => {
  if (typeof v !== 'string') return false;
  const m = INSTANT.exec(v);
  return !!m && isCalendarDate(m[1]) && Number.isFinite(Date.parse(v));
});

/** A plain object `{ key: text }` with at most `maxKeys` keys, keys of at most 64 characters, values of at most `maxLength`. */
export function IsTextRecord(maxKeys: number, maxLength: number, options?: ValidationOptions): PropertyDecorator {
  return isRecordOf('isTextRecord', [maxKeys, maxLength], (v) => typeof v === 'string' && v.length <= maxLength, maxKeys, options);
}
/** A plain object `{ key: number }` with at most `maxKeys` keys and finite values between `min` and `max`. */
export function IsNumberRecord(maxKeys: number, min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return isRecordOf('isNumberRecord', [maxKeys, min, max], (v) => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max, maxKeys, options);
}
function isRecordOf(name: string, constraints: unknown[], valueOk: (v: unknown) => boolean, maxKeys: number, options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) => registerDecorator({
    name, target: object.constructor, propertyName: String(propertyName), constraints, options,
    validator: {
      validate: (v: unknown) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
        const entries = Object.entries(v as Record<string, unknown>);
        return entries.length <= maxKeys && entries.every(([k, x]) => k.length > 0 && k.length <= 64 && valueOk(x));
      },
      defaultMessage: () => `$property ${name}`,
    },
  });
}

/** Matches `data:image/png;base64,…` holding a PNG (its 8-byte signature and at least an IHDR chunk) of at most `maxBytes`. */
export function isPngDataUrl(v: unknown, maxBytes: number): boolean {
  if (typeof v !== 'string') return false;
  const m = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/.exec(v);
  if (!m || m[1].length % 4 !== 0) return false;
  const bytes = Buffer.from(m[1], 'base64');
  // 8 signature + 25 IHDR chunk + 12 IEND chunk: anything shorter is not a whole PNG.
  return bytes.length >= 45 && bytes.length <= maxBytes && bytes.subarray(0, 8).equals(PNG_SIGNATURE) && bytes.toString('latin1', 12, 16) === 'IHDR';
}
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** A signature image (reason `signatureImageInvalid`: PNG, at most 300 KB). */
export const IsSignaturePng = simple('signatureImageInvalid', (v) => isPngDataUrl(v, 300 * 1024));
