/**
 * The submission deadline of SPEC section 5: a record is due within 10 working days of its
 * award date; later ones are accepted but marked late. Pure: no I/O, no clock.
 *
 * - Days are calendar days in London (the service's clock), so a record sent at 00:30 on
 *   a summer morning belongs to that morning, not to the UTC day before.
 * - Working days are Monday to Friday, except the public and bank holidays of the AO's
 *   nation, taken from the maintained date-holidays library through publicHolidays in
 *   src/operations/service-hours.ts.
 * - The clock starts at midnight after the award date. The deadline is the moment the
 *   10th working day ends: submitted before it is on time, at or after it is late.
 * - Recorded service unavailability extends the window by its own length, counting only
 *   the parts that fall on working days inside the window. Extending can bring further
 *   downtime into the window; that is counted too, until nothing more is added.
 *
 * UK clocks change on Sundays, so a working day is always exactly 24 hours long.
 */
import { DEFAULT_NATION, isNation, publicHolidays, type Nation } from '../operations/service-hours.js';

export const SUBMISSION_WORKING_DAYS = 10;

/** A period of service unavailability (planned maintenance or an outage). */
export interface DowntimeWindow {
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;
/** Downtime extensions are re-measured at most this many times (each pass only adds). */
const MAX_EXTENSION_PASSES = 64;

const londonDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const londonTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The London calendar date (YYYY-MM-DD) of an instant. */
export function londonDate(at: Date): string {
  return londonDateFormat.format(at);
}

/** Milliseconds London's clock stands ahead of UTC at an instant. */
function londonOffset(ms: number): number {
  const day = Date.parse(`${londonDateFormat.format(new Date(ms))}T00:00:00Z`);
  const [h, m, s] = londonTimeFormat.format(new Date(ms)).split(':').map(Number);
  const wall = day + ((h * 60 + m) * 60 + s) * 1000;
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/** Day number (days since 1970-01-01) of an ISO date. */
function dayNumber(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The instant London's clock shows midnight at the start of a day. */
function londonMidnight(day: number): number {
  const wall = day * DAY_MS;
  const guess = wall - londonOffset(wall);
  return wall - londonOffset(guess);
}

const holidaySets = new Map<string, Set<string>>();

function holidays(nation: Nation, year: number): Set<string> {
  const key = `${nation}:${year}`;
  let set = holidaySets.get(key);
  if (!set) {
    set = new Set(publicHolidays(year, nation).map((h) => h.date));
    holidaySets.set(key, set);
  }
  return set;
}

function checkNation(nation: string): Nation {
  if (!isNation(nation)) throw new RangeError(`unknown nation ${JSON.stringify(nation)}`);
  return nation;
}

function isWorkingDayNumber(day: number, nation: Nation): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 is Sunday
  if (weekday === 0 || weekday === 6) return false;
  const iso = isoOf(day);
  return !holidays(nation, Number(iso.slice(0, 4))).has(iso);
}

/** Whether a calendar date (YYYY-MM-DD) is a working day in the nation. */
export function isWorkingDay(date: string, nation: string = DEFAULT_NATION): boolean {
  const day = dayNumber(date);
  if (!Number.isFinite(day) || isoOf(day) !== date)
    throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  return isWorkingDayNumber(day, checkNation(nation));
}

/** The instant at which `ms` of working time has passed, counting from midnight starting `firstDay`. */
function afterWorkingTime(firstDay: number, ms: number, nation: Nation): number {
  let remaining = ms;
  for (let day = firstDay; ; day++) {
    if (!isWorkingDayNumber(day, nation)) continue;
    if (remaining <= DAY_MS) return londonMidnight(day) + remaining;
    remaining -= DAY_MS;
  }
}

/** Windows sorted and merged so that overlapping downtime is counted once. */
function merged(windows: readonly DowntimeWindow[]): [number, number][] {
  const spans = windows
    .map((w) => [w.start.getTime(), w.end.getTime()] as [number, number])
    .filter(([s, e]) => Number.isFinite(s) && Number.isFinite(e) && e > s)
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else out.push([...span]);
  }
  return out;
}

/** Downtime inside [from, to) that falls on working days, in ms. */
function workingDowntime(spans: readonly [number, number][], from: number, to: number, nation: Nation): number {
  let total = 0;
  for (const [s0, e0] of spans) {
    const s = Math.max(s0, from);
    const e = Math.min(e0, to);
    if (e <= s) continue;
    // Walk the London days the span touches; a working day is [its midnight, next midnight).
    for (let day = dayNumber(londonDate(new Date(s))); ; day++) {
      const dayStart = londonMidnight(day);
      if (dayStart >= e) break;
      if (!isWorkingDayNumber(day, nation)) continue;
      const a = Math.max(s, dayStart);
      const b = Math.min(e, dayStart + DAY_MS);
      if (b > a) total += b - a;
    }
  }
  return total;
}

/**
 * The first instant at which a record with this award date (YYYY-MM-DD) is late: the end of
 * the 10th working day after it, pushed back by downtime on working days in the window.
 */
export function submissionDeadline(
  awardDate: string,
  nation: string = DEFAULT_NATION,
  downtime: readonly DowntimeWindow[] = [],
): Date {
  const n = checkNation(nation);
  const award = dayNumber(awardDate);
  if (!Number.isFinite(award) || isoOf(award) !== awardDate)
    throw new RangeError(`not a calendar date: ${JSON.stringify(awardDate)}`);
  const firstDay = award + 1;
  const start = londonMidnight(firstDay);
  const spans = merged(downtime);
  const base = SUBMISSION_WORKING_DAYS * DAY_MS;
  let extension = 0;
  let deadline = afterWorkingTime(firstDay, base, n);
  for (let pass = 0; pass < MAX_EXTENSION_PASSES && spans.length > 0; pass++) {
    const next = workingDowntime(spans, start, deadline, n);
    if (next === extension) break;
    extension = next;
    deadline = afterWorkingTime(firstDay, base + extension, n);
  }
  return new Date(deadline);
}

/** Whether a record with this award date, submitted at `submittedAt`, is late. */
export function isLate(
  awardDate: string,
  submittedAt: Date,
  nation: string = DEFAULT_NATION,
  downtime: readonly DowntimeWindow[] = [],
): boolean {
  return submittedAt.getTime() >= submissionDeadline(awardDate, nation, downtime).getTime();
}

/**
 * isLate for many records submitted at one moment: the deadline of each award date is
 * worked out once (a batch holds few distinct award dates and many rows).
 */
export function lateChecker(
  submittedAt: Date,
  nation: string = DEFAULT_NATION,
  downtime: readonly DowntimeWindow[] = [],
): (awardDate: string) => boolean {
  const memo = new Map<string, boolean>();
  const at = submittedAt.getTime();
  return (awardDate) => {
    let late = memo.get(awardDate);
    if (late === undefined) {
      late = at >= submissionDeadline(awardDate, nation, downtime).getTime();
      memo.set(awardDate, late);
    }
    return late;
  };
}

/** When a record is due, for people and for machines. */
export interface DueDate {
  /** The last London calendar day on which a submission is on time (YYYY-MM-DD). */
  date: string;
  /** The first instant at which a submission is late (ISO). */
  lateFrom: string;
  /** Working time the recorded downtime added to the window, in whole minutes. */
  extendedMinutes: number;
}

/** The due date of a record awarded on `awardDate` (see submissionDeadline). */
export function dueDate(
  awardDate: string,
  nation: string = DEFAULT_NATION,
  downtime: readonly DowntimeWindow[] = [],
): DueDate {
  const plain = submissionDeadline(awardDate, nation).getTime();
  const late = submissionDeadline(awardDate, nation, downtime);
  return {
    date: londonDate(new Date(late.getTime() - 1)),
    lateFrom: late.toISOString(),
    extendedMinutes: Math.round(workingTimeBetween(plain, late.getTime(), checkNation(nation)) / 60_000),
  };
}

/** Working time (ms) in [from, to): the length of the extension between two deadlines. */
function workingTimeBetween(from: number, to: number, nation: Nation): number {
  return to <= from ? 0 : workingDowntime([[from, to]], from, to, nation);
}
