/**
 * OCF 07 rules for one availability request, pure: who may use which channel, what each
 * channel must carry, and how long the request took to handle in service hours.
 *
 * - The learner changes their own flag online (the portal) or through the API. Their
 *   request is handled the moment it is made: requestedAt = handledAt, no note.
 * - Service staff (operator) record a request the learner made by telephone. They say
 *   when the learner phoned (`requestedAt`: not in the future, at most
 *   MAX_TELEPHONE_AGE_DAYS ago) and may add a note; the request is handled when recorded,
 *   so the handling time is the service hours between the call and the recording.
 */
import { serviceHoursBetween, type Nation, DEFAULT_NATION } from '../../operations/service-hours.js';

export const AVAILABILITY_CHANNELS = ['online', 'api', 'telephone'] as const;
export type AvailabilityChannel = (typeof AVAILABILITY_CHANNELS)[number];

/** Who is acting: the learner on their own record, or service staff on their behalf. */
export type AvailabilityActor = 'learner' | 'operator';

export const CHANNELS_BY_ACTOR: Readonly<Record<AvailabilityActor, readonly AvailabilityChannel[]>> = {
  learner: ['online', 'api'],
  operator: ['telephone'],
};

export const MAX_TELEPHONE_AGE_DAYS = 31;
export const MAX_NOTE_LENGTH = 500;
/** Clocks of callers and server disagree a little; a call "a minute from now" is not an error. */
export const CLOCK_SKEW_MS = 2 * 60_000;

export interface AvailabilityInput {
  available: boolean;
  channel: AvailabilityChannel;
  /** ISO date-time with an offset or Z: when the learner phoned (telephone only). */
  requestedAt?: string;
  note?: string;
}

export interface PlannedAvailabilityRequest {
  available: boolean;
  channel: AvailabilityChannel;
  requestedAt: Date;
  handledAt: Date;
  note: string | null;
  /** Service hours from the request to its handling, to two decimal places. */
  serviceHours: number;
}

export interface RuleProblem {
  status: 400 | 409;
  code: string;
  /** The request field the problem is about. */
  field?: string;
  message: string;
}

export type RuleResult<T> = { ok: true; value: T } | { ok: false; problem: RuleProblem };

const fail = <T>(problem: RuleProblem): RuleResult<T> => ({ ok: false, problem });

/** Hours rounded to hundredths, as stored and shown. */
export function roundHours(hours: number): number {
  return Math.round(hours * 100) / 100;
}

/**
 * A timestamp as written by a person or a client: a full ISO 8601 date-time with seconds
 * optional and an explicit offset or Z, so that "09:30" is never guessed at.
 */
export function parseInstant(value: string): Date | null {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,3})?)?(Z|[+-][0-9]{2}:[0-9]{2})$/.test(value))
    return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  // Date.parse rolls 31 February over into March; insist the written day exists.
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return null;
  return new Date(ms);
}

export function planAvailabilityRequest(
  actor: AvailabilityActor,
  input: AvailabilityInput,
  now: Date,
  nation: Nation = DEFAULT_NATION,
): RuleResult<PlannedAvailabilityRequest> {
  const allowed = CHANNELS_BY_ACTOR[actor];
  if (!allowed.includes(input.channel)) {
    return fail({
      status: 400,
      code: 'CHANNEL_NOT_ALLOWED',
      field: 'channel',
      message:
        actor === 'learner'
          ? `a learner changes their availability online or by API (channel "online" or "api"), not "${input.channel}"`
          : `service staff record telephone requests (channel "telephone"), not "${input.channel}"`,
    });
  }
  const note = input.note?.trim() ? input.note.trim() : null;
  if (actor === 'learner') {
    if (input.requestedAt !== undefined)
      return fail({
        status: 400,
        code: 'FIELD_NOT_ALLOWED',
        field: 'requestedAt',
        message: "requestedAt is for telephone requests recorded by service staff; a learner's own request is made now",
      });
    if (input.note !== undefined)
      return fail({
        status: 400,
        code: 'FIELD_NOT_ALLOWED',
        field: 'note',
        message: 'note is for service staff recording a telephone request',
      });
    return {
      ok: true,
      value: {
        available: input.available,
        channel: input.channel,
        requestedAt: now,
        handledAt: now,
        note: null,
        serviceHours: 0,
      },
    };
  }
  if (input.requestedAt === undefined) {
    return fail({
      status: 400,
      code: 'REQUESTED_AT_REQUIRED',
      field: 'requestedAt',
      message: 'say when the learner telephoned (requestedAt), so the handling time can be measured',
    });
  }
  const requestedAt = parseInstant(input.requestedAt);
  if (!requestedAt) {
    return fail({
      status: 400,
      code: 'INVALID_DATE_TIME',
      field: 'requestedAt',
      message: `requestedAt must be an ISO date-time with a time zone, e.g. 2025-08-22T18:30:00Z; got ${JSON.stringify(input.requestedAt)}`,
    });
  }
  if (requestedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    return fail({
      status: 400,
      code: 'REQUESTED_IN_FUTURE',
      field: 'requestedAt',
      message: 'requestedAt is in the future; it is when the learner telephoned',
    });
  }
  if (requestedAt.getTime() < now.getTime() - MAX_TELEPHONE_AGE_DAYS * 86_400_000) {
    return fail({
      status: 400,
      code: 'REQUESTED_TOO_LONG_AGO',
      field: 'requestedAt',
      message: `requestedAt is more than ${MAX_TELEPHONE_AGE_DAYS} days ago; telephone requests are recorded when they are taken`,
    });
  }
  if (note !== null && note.length > MAX_NOTE_LENGTH) {
    return fail({
      status: 400,
      code: 'NOTE_TOO_LONG',
      field: 'note',
      message: `note may be at most ${MAX_NOTE_LENGTH} characters`,
    });
  }
  // A call logged a moment "after" the server's now is taken as handled at once.
  const from = requestedAt.getTime() > now.getTime() ? now : requestedAt;
  return {
    ok: true,
    value: {
      available: input.available,
      channel: input.channel,
      requestedAt: from,
      handledAt: now,
      note,
      serviceHours: roundHours(serviceHoursBetween(from, now, nation)),
    },
  };
}
