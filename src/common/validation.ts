import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, ValidationError } from 'class-validator';
import { AppError, FieldIssue } from './app-error';
import { findHostileValue, isCheckedBody } from './hostile-input';

/** The constraint arguments of a decorator (e.g. the 0 of `@Min(0)`), looked up so messages can show them. */
function constraintArgs(target: object | undefined, property: string, reason: string): unknown[] {
  if (!target) return [];
  const metas = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  const meta = metas.find((m) => m.propertyName === property && (m.name ?? '').toLowerCase() === reason.toLowerCase());
  const args = meta?.constraints ?? [];
  // @IsEnum / @IsIn keep their choices as an object or array in the first argument.
  if ((reason === 'isEnum' || reason === 'isIn') && args[0]) {
    return [Array.isArray(args[0]) ? args[0].join(', ') : Object.values(args[0] as object).join(', ')];
  }
  return args;
}

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const reason of Object.keys(error.constraints ?? {})) {
      issues.push({ field, reason, args: constraintArgs(error.target, error.property, reason) });
    }
    if (error.children?.length) issues.push(...flattenValidationErrors(error.children, field));
  }
  return issues;
}

/**
 * The global pipe: class-validator DTOs, plus two rules for every argument, DTO or not.
 * - Query strings, route parameters and multipart fields (parsed after the body middleware) with NUL or an
 *   unpaired surrogate answer 400 naming the field, like JSON bodies do (see `refuseHostileBody`).
 * - Properties left out stay left out: with ES2022 class fields every declared DTO property is an own property,
 *   `undefined` when absent, and `{ ...DEFAULTS, ...dto }` in a service would otherwise wipe the defaults.
 */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A whole JSON body was scanned by `refuseHostileBody` already; a body parsed after it (multipart) was not.
    if (metadata.type !== 'custom' && !(metadata.type === 'body' && isCheckedBody(value))) {
      const issue = findHostileValue(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
      if (issue) throw AppError.validation([issue]);
    }
    const result = await super.transform(value, metadata);
    if (metadata.metatype && (metadata.type === 'body' || metadata.type === 'query')) dropUndefined(result);
    return result;
  }
}

function dropUndefined(value: unknown, depth = 0): void {
  if (typeof value !== 'object' || value === null || depth > 8) return;
  if (Array.isArray(value)) {
    for (const v of value) dropUndefined(v, depth + 1);
    return;
  }
  if (Object.getPrototypeOf(value) === Object.prototype) return; // free-form JSON (drafts, records) stays as sent
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) delete (value as Record<string, unknown>)[key];
    else dropUndefined(v, depth + 1);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => AppError.validation(flattenValidationErrors(errors)),
  });
}
