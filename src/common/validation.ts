import { ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, ValidationError } from 'class-validator';
import { AppError, FieldIssue } from './app-error';

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

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => AppError.validation(flattenValidationErrors(errors)),
  });
}
