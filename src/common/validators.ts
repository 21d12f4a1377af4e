import { registerDecorator, ValidationOptions } from 'class-validator';
import { isValidCreditCode } from '../institutions/credit-code';

function simple(name: string, test: (v: unknown) => boolean) {
  return (options?: ValidationOptions) => (object: object, propertyName: string) =>
    registerDecorator({ name, target: object.constructor, propertyName, options, validator: { validate: test, defaultMessage: () => `$property ${name}` } });
}

/** 统一社会信用代码 with a correct GB 32100-2015 check character. */
export const IsCreditCode = simple('isCreditCode', isValidCreditCode);
/** GB/T 2260 (6 digits) or statistical township/village codes (9 or 12 digits). */
export const IsDivisionCode = simple('isDivisionCode', (v) => typeof v === 'string' && /^\d{6}(\d{3}(\d{3})?)?$/.test(v));
/** A mainland landline (0519-88886666) or mobile number (13912345678). */
export const IsPhone = simple('isPhone', (v) => typeof v === 'string' && /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/.test(v));
