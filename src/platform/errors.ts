/**
 * One error shape for every answer that is not a success: { code, message, details? }.
 */
import { Type, type Static } from 'typebox';

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'Stable machine-readable code, e.g. VALIDATION or FORBIDDEN' }),
    message: Type.String({ description: 'What was wrong, for a person' }),
    details: Type.Optional(Type.Unknown({ description: 'Where it was wrong: fields, rows, checks' })),
    requestId: Type.Optional(
      Type.String({ description: 'The X-Request-Id of the request, to quote to the service desk' }),
    ),
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
    const message = capText(this.message, MESSAGE_MAX);
    return this.details === undefined
      ? { code: this.code, message }
      : { code: this.code, message, details: capValue(this.details, { left: DETAILS_MAX }) };
  }
}

/** Longest message in an error body, characters. */
export const MESSAGE_MAX = 2_000;
/** Most characters of all the strings in an error's details together; lists are cut where it runs out. */
export const DETAILS_MAX = 200_000;
/** Longest single string in an error's details (a value quoted back is the caller's own, and only its start). */
export const DETAIL_STRING_MAX = 200;

const capText = (s: string, max: number) =>
  s.length > max ? `${s.slice(0, max)}… (${s.length - max} more characters)` : s;

/**
 * Error details, bounded (issue 15 part 4): every string cut at DETAIL_STRING_MAX, and
 * lists cut once the details hold about DETAILS_MAX characters, so a 3 MB value or a
 * header of 200,000 columns cannot make a megabyte error body.
 */
export function capValue(value: unknown, budget: { left: number }): unknown {
  if (typeof value === 'string') {
    const s = capText(value, DETAIL_STRING_MAX);
    budget.left -= s.length;
    return s;
  }
  if (value === null || typeof value !== 'object') {
    budget.left -= 8;
    return value;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      if (budget.left <= 0) break;
      out.push(capValue(item, budget));
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    budget.left -= k.length;
    out[k] = capValue(v, budget);
  }
  return out;
}

export const unauthorized = (message: string) =>
  new AppError(401, 'UNAUTHORIZED', message, undefined, { 'www-authenticate': 'Bearer' });
export const forbidden = (message: string) => new AppError(403, 'FORBIDDEN', message);
