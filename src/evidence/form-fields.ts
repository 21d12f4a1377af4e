import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppError } from '../common/app-error';
import { findHostileValue } from '../common/hostile-input';
import { flattenValidationErrors } from '../common/validation';

/**
 * The text fields of a multipart form, validated against a DTO exactly as the global ValidationPipe validates a
 * JSON body (whitelist, unknown fields refused, transformed), with the same 400 on failure.
 * `partial` checks only the fields present (for the early check made before the file arrives).
 */
export async function formFields<T extends object>(cls: new () => T, fields: Record<string, string>, options: { partial?: boolean } = {}): Promise<T> {
  const hostile = findHostileValue(fields);
  if (hostile) throw AppError.validation([hostile]);
  const dto = plainToInstance(cls, fields);
  const errors = await validate(dto, {
    whitelist: true, forbidNonWhitelisted: true, skipMissingProperties: options.partial ?? false, validationError: { target: true, value: false },
  });
  if (errors.length) throw AppError.validation(flattenValidationErrors(errors));
  return dto;
}
