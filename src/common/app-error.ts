/** One field that failed, with the reason code and its arguments (localized by the exception filter). */
export interface FieldIssue {
  field: string;
  reason: string;
  args?: unknown[];
}

/**
 * A domain error with a stable code. The exception filter turns it into the one error shape,
 * in the caller's language; services throw it instead of framework exceptions so rules stay framework-free.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Record<string, unknown> = {},
    readonly fields: FieldIssue[] = [],
  ) {
    super(code);
  }

  static validation(fields: FieldIssue[]): AppError {
    return new AppError(400, 'validation.failed', {}, fields);
  }
  static notFound(code = 'request.not_found'): AppError {
    return new AppError(404, code);
  }
  static conflict(code = 'request.conflict', params: Record<string, unknown> = {}): AppError {
    return new AppError(409, code, params);
  }
  static forbidden(code = 'request.forbidden', fields: FieldIssue[] = []): AppError {
    return new AppError(403, code, {}, fields);
  }
}
