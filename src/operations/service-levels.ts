/**
 * The monthly service-level report (SPEC section 7, issue 14 part 2), pure: it takes what
 * the repositories read for a month and gives the figures the charter promises, each with
 * its target and whether it was met.
 *
 * - Months are calendar months in London: from midnight on the 1st to midnight on the 1st
 *   of the next month. A month still in progress is measured up to `now`.
 * - Availability (target 99.5 %) = 1 - downtime / (time in the month - agreed planned
 *   maintenance). Downtime is every unplanned outage and emergency maintenance window,
 *   overlaps counted once, less any part inside a planned window.
 * - Batches (OCF 01, target: every valid batch loaded within 48 hours): received in the
 *   month; finished in the month, with the slowest and the share finished within 48 hours;
 *   batches still open after 48 hours count as missed.
 */
import type { Histogram as Hist } from 'hdr-histogram-js';
import { summarise, type TimingSummary } from './timing.js';
import { OCF_NAMES, OCF_SERVICES, OCF_TARGET_SECONDS, type Ocf } from '../platform/ocf.js';

export const AVAILABILITY_TARGET_PERCENT = 99.5;
export const BATCH_TARGET_SECONDS = 48 * 3600;

export type OutageKind = 'unplanned' | 'emergency' | 'planned';
export const OUTAGE_KINDS: readonly OutageKind[] = ['unplanned', 'emergency', 'planned'];
/** Kinds that count as lost service (charter section 7): availability and submission deadlines. */
export const DOWNTIME_KINDS: readonly OutageKind[] = ['unplanned', 'emergency'];

const MONTH_PATTERN = /^([0-9]{4})-(0[1-9]|1[0-2])$/;

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
});

/** The instant London's clock shows midnight on a date (YYYY, MM 1-12, DD). */
function londonMidnight(year: number, month: number, day: number): number {
  const wall = Date.UTC(year, month - 1, day);
  // London is UTC or UTC+1: midnight London is 00:00 or 23:00 UTC the day before.
  for (const offset of [0, 3_600_000]) {
    const at = wall - offset;
    const parts = Object.fromEntries(londonParts.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
    if (Number(parts.hour) === 0 && Number(parts.day) === day) return at;
  }
  return wall;
}

export function isMonth(value: string): boolean {
  return MONTH_PATTERN.test(value);
}

/** The instants a London calendar month (YYYY-MM) starts and ends. */
export function monthBounds(month: string): { from: Date; to: Date } {
  const m = MONTH_PATTERN.exec(month);
  if (!m) throw new RangeError(`not a month (YYYY-MM): ${JSON.stringify(month)}`);
  const year = Number(m[1]);
  const mon = Number(m[2]);
  const next = mon === 12 ? { y: year + 1, m: 1 } : { y: year, m: mon + 1 };
  return { from: new Date(londonMidnight(year, mon, 1)), to: new Date(londonMidnight(next.y, next.m, 1)) };
}

export interface OcfLine extends TimingSummary {
  ocf: Ocf;
  name: string;
  targetSeconds: number | null;
  /** Whether the monthly average met the target; null without a target or without requests. */
  met: boolean | null;
  /** Whether the 95th percentile was inside the target too (shown, not promised). */
  p95WithinTarget: boolean | null;
}

export function ocfLines(
  slices: readonly { ocf: string; count: number; sumMicros: number; errors: number; histogram: Hist }[],
): OcfLine[] {
  return OCF_SERVICES.map((ocf) => {
    const s = summarise(slices.filter((x) => x.ocf === ocf));
    const target = OCF_TARGET_SECONDS[ocf];
    const limitMs = target === null ? null : target * 1000;
    return {
      ocf,
      name: OCF_NAMES[ocf],
      targetSeconds: target,
      ...s,
      met: limitMs === null || s.meanMs === null ? null : s.meanMs <= limitMs,
      p95WithinTarget: limitMs === null || s.p95Ms === null ? null : s.p95Ms <= limitMs,
    };
  });
}

export interface OutageRow {
  id: string;
  kind: OutageKind;
  start: string;
  end: string | null;
  reason: string | null;
  inCoreHours: boolean;
  source: string | null;
}

export interface OutageLine extends OutageRow {
  /** Minutes inside the month (up to now for one still open). */
  minutes: number;
  /** A planned window inside core hours, allowed only with a stated reason (prior agreement). */
  flagged: boolean;
}

export interface Availability {
  targetPercent: number;
  /** Minutes measured: the month, or up to now for the current month. */
  periodMinutes: number;
  plannedMinutes: number;
  downtimeMinutes: number;
  percent: number | null;
  met: boolean | null;
  outages: OutageLine[];
}

type Span = [number, number];

function union(spans: Span[]): Span[] {
  const sorted = spans.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function length(spans: Span[]): number {
  return spans.reduce((n, [s, e]) => n + (e - s), 0);
}

/** `a` less whatever of it lies in `b` (both unions). */
function minus(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  for (const [s0, e0] of a) {
    let pieces: Span[] = [[s0, e0]];
    for (const [bs, be] of b) {
      pieces = pieces.flatMap(([s, e]): Span[] => {
        if (be <= s || bs >= e) return [[s, e]];
        const keep: Span[] = [];
        if (bs > s) keep.push([s, bs]);
        if (be < e) keep.push([be, e]);
        return keep;
      });
    }
    out.push(...pieces);
  }
  return out;
}

const MINUTE = 60_000;

export function availability(rows: readonly OutageRow[], from: Date, to: Date, now: Date): Availability {
  const start = from.getTime();
  const end = Math.min(to.getTime(), Math.max(now.getTime(), start));
  const clip = (r: OutageRow): Span => [
    Math.max(Date.parse(r.start), start),
    Math.min(r.end ? Date.parse(r.end) : end, end),
  ];
  const planned = union(rows.filter((r) => r.kind === 'planned').map(clip));
  const down = minus(union(rows.filter((r) => DOWNTIME_KINDS.includes(r.kind)).map(clip)), planned);
  const period = end - start;
  const plannedMs = length(planned);
  const downMs = length(down);
  const measured = period - plannedMs;
  const percent = measured > 0 ? Math.round((1 - downMs / measured) * 1e6) / 1e4 : null;
  return {
    targetPercent: AVAILABILITY_TARGET_PERCENT,
    periodMinutes: Math.round(period / MINUTE),
    plannedMinutes: Math.round(plannedMs / MINUTE),
    downtimeMinutes: Math.round((downMs / MINUTE) * 10) / 10,
    percent,
    met: percent === null ? null : percent >= AVAILABILITY_TARGET_PERCENT,
    outages: rows.map((r) => {
      const [s, e] = clip(r);
      return {
        ...r,
        minutes: Math.round((Math.max(0, e - s) / MINUTE) * 10) / 10,
        flagged: r.kind === 'planned' && r.inCoreHours,
      };
    }),
  };
}

export interface BatchRow {
  id: string;
  status: string;
  receivedAt: string;
  finishedAt: string | null;
  rows: number | null;
}

export interface BatchFigures {
  targetSeconds: number;
  received: number;
  completed: number;
  failed: number;
  /** Finished in the month within 48 hours of receipt, as a share of those finished (percent). */
  withinTargetPercent: number | null;
  /** Received more than 48 hours before the end of the period and still not finished. */
  overdueOpen: number;
  slowest: { id: string; seconds: number; withinTarget: boolean } | null;
  met: boolean | null;
}

export function batchFigures(rows: readonly BatchRow[], from: Date, to: Date, now: Date): BatchFigures {
  const start = from.getTime();
  const end = Math.min(to.getTime(), now.getTime());
  const received = rows.filter((b) => Date.parse(b.receivedAt) >= start).length;
  const finished = rows.filter(
    (b) => b.finishedAt && Date.parse(b.finishedAt) >= start && Date.parse(b.finishedAt) < to.getTime(),
  );
  const seconds = (b: BatchRow) => (Date.parse(b.finishedAt!) - Date.parse(b.receivedAt)) / 1000;
  const within = finished.filter((b) => seconds(b) <= BATCH_TARGET_SECONDS).length;
  const overdueOpen = rows.filter(
    (b) => !b.finishedAt && end - Date.parse(b.receivedAt) > BATCH_TARGET_SECONDS * 1000,
  ).length;
  let slowest: BatchFigures['slowest'] = null;
  for (const b of finished) {
    const s = seconds(b);
    if (!slowest || s > slowest.seconds)
      slowest = { id: b.id, seconds: Math.round(s * 10) / 10, withinTarget: s <= BATCH_TARGET_SECONDS };
  }
  const share = finished.length > 0 ? Math.round((within / finished.length) * 1000) / 10 : null;
  return {
    targetSeconds: BATCH_TARGET_SECONDS,
    received,
    completed: finished.filter((b) => b.status === 'completed').length,
    failed: finished.filter((b) => b.status === 'failed').length,
    withinTargetPercent: share,
    overdueOpen,
    slowest,
    met: finished.length === 0 && overdueOpen === 0 ? null : within === finished.length && overdueOpen === 0,
  };
}

export interface HandlingFigures {
  count: number;
  meanServiceHours: number | null;
  maxServiceHours: number | null;
}

export function handlingFigures(hours: readonly (number | null)[]): HandlingFigures {
  const known = hours.filter((h): h is number => typeof h === 'number' && Number.isFinite(h));
  if (known.length === 0) return { count: hours.length, meanServiceHours: null, maxServiceHours: null };
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    count: hours.length,
    meanServiceHours: round(known.reduce((a, b) => a + b, 0) / known.length),
    maxServiceHours: round(Math.max(...known)),
  };
}
