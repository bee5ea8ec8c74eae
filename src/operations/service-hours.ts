/**
 * Service hours (SPEC section 7): the clock that human-handled requests (data challenges,
 * availability changes taken by telephone) are measured against. Pure: no I/O, no clock.
 *
 * The service is staffed 08:00 to 20:00 London time, Monday to Saturday, except on the
 * UK public holidays of a nation (England by default). Time outside those windows does
 * not count. "London time" follows the clock changes: 08:00 is 07:00 UTC in summer and
 * 08:00 UTC in winter. The clocks change at 01:00 UTC, long before opening, so a
 * service window is always exactly twelve hours and never straddles a change.
 *
 * Holidays come from the maintained `date-holidays` library (public and bank holidays
 * only; observances such as Mother's Day do not close the service), including its
 * substitute days (Christmas on a Saturday gives a Monday or Tuesday off).
 */
import Holidays from 'date-holidays';

/** ISO 3166-2 codes of the UK nations whose holidays differ. */
export const NATIONS = ['GB-ENG', 'GB-WLS', 'GB-SCT', 'GB-NIR'] as const;
export type Nation = (typeof NATIONS)[number];
/** England and Wales share their bank holidays; England is the default. */
export const DEFAULT_NATION: Nation = 'GB-ENG';

export const SERVICE_OPENS_AT_HOUR = 8;
export const SERVICE_CLOSES_AT_HOUR = 20;
export const SERVICE_TIME_ZONE = 'Europe/London';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Holiday types that close the service; the others are days people mark, not days off. */
const CLOSING_TYPES = new Set(['public', 'bank']);
/** A deadline further away than this is a mistake, not a plan (about 27 years of service days). */
const MAX_HOURS = 100_000;

export function isNation(value: unknown): value is Nation {
  return typeof value === 'string' && (NATIONS as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------
// London calendar arithmetic. A "day" is a calendar date in London, numbered as whole
// days since 1970-01-01, so that moving to the next day is adding one.

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: SERVICE_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number): WallClock {
  const out: Record<string, number> = {};
  for (const p of londonParts.formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return { year: out.year, month: out.month, day: out.day, hour: out.hour, minute: out.minute, second: out.second };
}

/** How far London's clock is ahead of UTC at an instant, in ms (0 in winter, 1 h in summer). */
function londonOffset(ms: number): number {
  const w = wallClock(ms);
  const wholeSeconds = ms - (((ms % 1000) + 1000) % 1000);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - wholeSeconds;
}

/** The London calendar day an instant falls on. */
function londonDay(ms: number): number {
  const w = wallClock(ms);
  return Date.UTC(w.year, w.month - 1, w.day) / DAY_MS;
}

/** The instant at which London's clock shows `hour`:00 on a London day. */
function londonInstant(day: number, hour: number): number {
  const wall = day * DAY_MS + hour * HOUR_MS;
  // First guess with the offset at the wall time read as UTC, then correct once with the
  // offset at the guess: exact for every hour that is not itself inside a clock change.
  const guess = wall - londonOffset(wall);
  return wall - londonOffset(guess);
}

function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function weekday(day: number): number {
  // 1970-01-01 was a Thursday (4); 0 is Sunday.
  return (((day + 4) % 7) + 7) % 7;
}

// ---------------------------------------------------------------------------------------
// Holidays

const calendars = new Map<Nation, Holidays>();
const holidaysByYear = new Map<string, Map<string, string>>();

function calendar(nation: Nation): Holidays {
  let hd = calendars.get(nation);
  if (!hd) {
    const [country, state] = nation.split('-');
    hd = new Holidays(country, state, { timezone: SERVICE_TIME_ZONE });
    calendars.set(nation, hd);
  }
  return hd;
}

/** The days the service is closed for a holiday in one year: ISO date to holiday name. */
function closures(nation: Nation, year: number): Map<string, string> {
  const key = `${nation}:${year}`;
  let days = holidaysByYear.get(key);
  if (!days) {
    days = new Map();
    for (const h of calendar(nation).getHolidays(year) || []) {
      // `date` is the local calendar date ("2025-12-25 00:00:00"), which is what matters.
      if (CLOSING_TYPES.has(h.type) && !days.has(h.date.slice(0, 10))) days.set(h.date.slice(0, 10), h.name);
    }
    holidaysByYear.set(key, days);
  }
  return days;
}

/** The public and bank holidays of a nation in a year, in date order. */
export function publicHolidays(year: number, nation: Nation = DEFAULT_NATION): { date: string; name: string }[] {
  checkNation(nation);
  return [...closures(nation, year)]
    .map(([date, name]) => ({ date, name }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

function isServiceDayNumber(day: number, nation: Nation): boolean {
  if (weekday(day) === 0) return false;
  const iso = isoDate(day);
  return !closures(nation, Number(iso.slice(0, 4))).has(iso);
}

/** Whether the service is open at all on a calendar date (YYYY-MM-DD, London). */
export function isServiceDay(date: string, nation: Nation = DEFAULT_NATION): boolean {
  checkNation(nation);
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (
    !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(date) ||
    Number.isNaN(ms) ||
    new Date(ms).toISOString().slice(0, 10) !== date
  ) {
    throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  }
  return isServiceDayNumber(ms / DAY_MS, nation);
}

// ---------------------------------------------------------------------------------------
// Measuring and adding service time

function checkNation(nation: Nation): void {
  if (!isNation(nation))
    throw new RangeError(`unknown nation ${JSON.stringify(nation)}; use one of ${NATIONS.join(', ')}`);
}

function instant(d: Date, name: string): number {
  const ms = d instanceof Date ? d.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${name} is not a valid date`);
  return ms;
}

/** Opening and closing instants by London day: Intl is slow, and the answer never changes. */
const hoursOfDay = new Map<number, { open: number; close: number }>();

/** The service window of a London day as instants, or null when the service is closed. */
function windowOf(day: number, nation: Nation): { open: number; close: number } | null {
  if (!isServiceDayNumber(day, nation)) return null;
  let w = hoursOfDay.get(day);
  if (!w) {
    w = { open: londonInstant(day, SERVICE_OPENS_AT_HOUR), close: londonInstant(day, SERVICE_CLOSES_AT_HOUR) };
    hoursOfDay.set(day, w);
  }
  return w;
}

/** Whether an instant falls inside service hours (opening time included, closing time not). */
export function isServiceTime(at: Date, nation: Nation = DEFAULT_NATION): boolean {
  checkNation(nation);
  const ms = instant(at, 'at');
  const w = windowOf(londonDay(ms), nation);
  return w !== null && ms >= w.open && ms < w.close;
}

/**
 * Milliseconds of service time between two instants. Reversed arguments give the negative
 * of the forward answer, so that splitting an interval anywhere always adds up.
 */
export function serviceMillisBetween(start: Date, end: Date, nation: Nation = DEFAULT_NATION): number {
  checkNation(nation);
  const s = instant(start, 'start');
  const e = instant(end, 'end');
  if (e < s) return -serviceMillisBetween(end, start, nation);
  let total = 0;
  const last = londonDay(e);
  for (let day = londonDay(s); day <= last; day++) {
    const w = windowOf(day, nation);
    if (!w) continue;
    const from = Math.max(w.open, s);
    const to = Math.min(w.close, e);
    if (to > from) total += to - from;
  }
  return total;
}

/** Service time between two instants in hours (a decimal: 90 minutes is 1.5). */
export function serviceHoursBetween(start: Date, end: Date, nation: Nation = DEFAULT_NATION): number {
  return serviceMillisBetween(start, end, nation) / HOUR_MS;
}

/**
 * The instant at which `hours` of service time have passed since `start`: a deadline.
 * Time before opening, after closing, on Sundays and on holidays is skipped, so the answer
 * is always within service hours (a deadline can fall exactly at 20:00). Zero hours is
 * `start` itself.
 */
export function addServiceHours(start: Date, hours: number, nation: Nation = DEFAULT_NATION): Date {
  checkNation(nation);
  const s = instant(start, 'start');
  if (!Number.isFinite(hours) || hours < 0 || hours > MAX_HOURS) {
    throw new RangeError(`hours must be a number from 0 to ${MAX_HOURS}; got ${hours}`);
  }
  let remaining = Math.round(hours * HOUR_MS);
  if (remaining === 0) return new Date(s);
  for (let day = londonDay(s); ; day++) {
    const w = windowOf(day, nation);
    if (!w) continue;
    const from = Math.max(w.open, s);
    if (w.close <= from) continue;
    const available = w.close - from;
    if (remaining <= available) return new Date(from + remaining);
    remaining -= available;
  }
}
