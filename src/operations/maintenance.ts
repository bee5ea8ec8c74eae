/**
 * Maintenance windows (issue 14 part 4), the pure rules: what a window must say, when it
 * is announced, whether a planned one falls in core hours, and what is refused during one.
 *
 * - Kinds: `planned` (announced ahead, done outside core hours unless agreed: then a stated
 *   reason is required and the report flags it) and `emergency` (may start at once).
 *   Unplanned outages are not scheduled: the availability probe records them.
 * - Core hours are the service hours: 08:00 to 20:00 London time, Monday to Saturday,
 *   except UK bank holidays (src/operations/service-hours.ts).
 * - Announced on GET /service-status from `announceFrom`: for a planned window
 *   MAINTENANCE_NOTICE_HOURS before it starts unless the operator says otherwise; an
 *   emergency window at once.
 * - Lost service and deadlines (charter section 7): unplanned outages and emergency
 *   maintenance extend the 10-working-day submission deadline; planned maintenance does not.
 */
import { serviceMillisBetween } from './service-hours.js';

export const WINDOW_KINDS = ['planned', 'emergency'] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];
export const MAX_MESSAGE_LENGTH = 500;
export const MIN_REASON_LENGTH = 10;
/** Longest window the service accepts in one go. */
export const MAX_WINDOW_HOURS = 72;

export interface WindowInput {
  kind: WindowKind;
  start: string;
  end: string;
  messageEn: string;
  messageCy: string;
  reason?: string;
  announceFrom?: string;
}

export interface PlannedWindow {
  kind: WindowKind;
  start: Date;
  end: Date;
  announceFrom: Date;
  messageEn: string;
  messageCy: string;
  reason: string | null;
  inCoreHours: boolean;
}

export interface Problem {
  field: string;
  problem: string;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(value: string | undefined, field: string, problems: Problem[]): Date | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  if (!ISO_WITH_ZONE.test(value) || Number.isNaN(ms)) {
    problems.push({ field, problem: 'must be a date-time with a zone, e.g. 2026-03-07T21:00:00Z' });
    return null;
  }
  return new Date(ms);
}

/** Whether any part of [start, end) falls in core hours. */
export function touchesCoreHours(start: Date, end: Date): boolean {
  return serviceMillisBetween(start, end) > 0;
}

/** Check a window the operator schedules; the window to store, or every problem. */
export function planWindow(
  input: WindowInput,
  now: Date,
  noticeHours: number,
): { ok: true; window: PlannedWindow } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const start = instant(input.start, 'start', problems);
  const end = instant(input.end, 'end', problems);
  const announce = instant(input.announceFrom, 'announceFrom', problems);
  for (const field of ['messageEn', 'messageCy'] as const) {
    const text = input[field]?.trim() ?? '';
    if (text.length === 0) problems.push({ field, problem: 'is required (users are told in English and Welsh)' });
    else if (text.length > MAX_MESSAGE_LENGTH)
      problems.push({ field, problem: `is longer than ${MAX_MESSAGE_LENGTH}` });
  }
  const reason = input.reason?.trim() || null;
  if (start && end) {
    if (end <= start) problems.push({ field: 'end', problem: 'must be after start' });
    else if (end.getTime() - start.getTime() > MAX_WINDOW_HOURS * 3_600_000)
      problems.push({ field: 'end', problem: `a window is at most ${MAX_WINDOW_HOURS} hours` });
    if (end <= now) problems.push({ field: 'end', problem: 'is in the past' });
    if (input.kind === 'planned' && start < now)
      problems.push({ field: 'start', problem: 'a planned window cannot start in the past (use emergency)' });
  }
  if (announce && start && announce > start) problems.push({ field: 'announceFrom', problem: 'must be before start' });
  const inCoreHours = start && end && end > start ? touchesCoreHours(start, end) : false;
  if (input.kind === 'planned' && inCoreHours && (reason === null || reason.length < MIN_REASON_LENGTH)) {
    problems.push({
      field: 'reason',
      problem: `a planned window in core hours (08:00 to 20:00 Monday to Saturday) needs the agreement it rests on, at least ${MIN_REASON_LENGTH} characters`,
    });
  }
  if (problems.length > 0 || !start || !end) return { ok: false, problems };
  const announceFrom =
    announce ??
    (input.kind === 'emergency' ? now : new Date(Math.max(now.getTime(), start.getTime() - noticeHours * 3_600_000)));
  return {
    ok: true,
    window: {
      kind: input.kind,
      start,
      end,
      announceFrom,
      messageEn: input.messageEn.trim(),
      messageCy: input.messageCy.trim(),
      reason,
      inCoreHours,
    },
  };
}

export interface KnownWindow {
  id: string;
  kind: WindowKind;
  start: string;
  end: string;
  announceFrom: string;
  messageEn: string;
  messageCy: string;
}

/** The window in force at an instant, if any (the one ending last when they overlap). */
export function activeWindow<W extends KnownWindow>(windows: readonly W[], now: Date): W | null {
  const at = now.getTime();
  let found: W | null = null;
  for (const w of windows) {
    if (Date.parse(w.start) <= at && at < Date.parse(w.end) && (!found || Date.parse(w.end) > Date.parse(found.end)))
      found = w;
  }
  return found;
}

/** Windows announced at an instant and not over: what /service-status and the banner show. */
export function announcedWindows<W extends KnownWindow>(windows: readonly W[], now: Date): W[] {
  const at = now.getTime();
  return windows.filter((w) => Date.parse(w.announceFrom) <= at && at < Date.parse(w.end));
}

/** Seconds until a window ends, for Retry-After (at least 1). */
export function retryAfterSeconds(window: { end: string }, now: Date): number {
  return Math.max(1, Math.ceil((Date.parse(window.end) - now.getTime()) / 1000));
}

export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * Changes that go on during a window: signing in, refreshing and out (they change nobody's
 * data), and the operator's maintenance controls (to end a window early).
 */
export const ALLOWED_DURING_MAINTENANCE = [/^\/auth\//, /^\/operations\/maintenance(\/|$)/];

export function refusedDuringMaintenance(method: string, url: string): boolean {
  if (!WRITE_METHODS.has(method)) return false;
  const path = url.split('?')[0];
  return !ALLOWED_DURING_MAINTENANCE.some((re) => re.test(path));
}
