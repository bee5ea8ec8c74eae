/**
 * One error shape for every answer that is not a success: { code, message, details? }.
 */
import { Type, type Static } from 'typebox';

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'Stable machine-readable code, e.g. VALIDATION or FORBIDDEN' }),
    message: Type.String({ description: 'What was wrong, for a person' }),
    details: Type.Optional(Type.Unknown({ description: 'Where it was wrong: fields, rows, checks' })),
  },
  { $id: 'Error', title: 'Error', additionalProperties: false },
);
export type ErrorBody = Static<typeof ErrorBody>;

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, such as Retry-After or WWW-Authenticate. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const unauthorized = (message: string) =>
  new AppError(401, 'UNAUTHORIZED', message, undefined, { 'www-authenticate': 'Bearer' });
export const forbidden = (message: string) => new AppError(403, 'FORBIDDEN', message);
