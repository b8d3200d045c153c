/**
 * Domain errors with stable codes. Services throw these; the HTTP layer maps them to
 * problem+json in one place (http/problem.ts) and the CLI prints their message.
 */
export type FieldError = { path: string; message: string };

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: FieldError[] | undefined;
  constructor(code: string, status: number, message: string, fields?: FieldError[]) {
    super(message);
    this.code = code;
    this.status = status;
    this.fields = fields;
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'Resource') {
    super('not_found', 404, `${what} not found.`);
  }
}
export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this action.') {
    super('forbidden', 403, message);
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in to continue.', code = 'unauthorized') {
    super(code, 401, message);
  }
}
export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', 409, message);
  }
}
export class InvalidInputError extends AppError {
  constructor(message: string, fields?: FieldError[]) {
    super('invalid_input', 400, message, fields);
  }
}
export class LockedOutError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('locked_out', 429, `Too many failed sign-ins. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
export class PayloadTooLargeError extends AppError {
  readonly maxBytes: number;
  constructor(maxBytes: number) {
    super('payload_too_large', 413, `The file is larger than the limit of ${formatBytes(maxBytes)}.`);
    this.maxBytes = maxBytes;
  }
}
export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super('unsupported_media_type', 415, message);
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}
