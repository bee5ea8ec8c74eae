/**
 * The service desk log (charter section 5, issue 14 part 6), the pure part: what a call
 * must say, its incident category, and its resolution time in service hours (08:00 to
 * 20:00 London time, Monday to Saturday, except UK bank holidays).
 */
import { serviceHoursBetween } from './service-hours.js';

/** Incident categories: 1 (most severe) to 4, and DC for a data challenge call. */
export const DESK_CATEGORIES = ['1', '2', '3', '4', 'DC'] as const;
export type DeskCategory = (typeof DESK_CATEGORIES)[number];
export const DESK_CHANNELS = ['telephone', 'email', 'letter', 'portal'] as const;
export type DeskChannel = (typeof DESK_CHANNELS)[number];
export const MAX_SUMMARY_LENGTH = 1_000;

export function isDeskCategory(value: unknown): value is DeskCategory {
  return typeof value === 'string' && (DESK_CATEGORIES as readonly string[]).includes(value);
}

/** Resolution time in service hours, rounded to the minute (two decimals). */
export function resolutionServiceHours(receivedAt: Date, resolvedAt: Date): number {
  return Math.round(serviceHoursBetween(receivedAt, resolvedAt) * 100) / 100;
}

export interface DeskFigures {
  category: string;
  received: number;
  resolved: number;
  open: number;
  meanServiceHours: number | null;
  maxServiceHours: number | null;
}

/** The report's desk figures, per category (calls without one yet under "none"). */
export function deskFigures(
  rows: readonly {
    category: string | null;
    status: string;
    receivedAt: string;
    serviceHours: number | null;
    resolvedAt: string | null;
  }[],
  from: Date,
  to: Date,
): DeskFigures[] {
  const out: DeskFigures[] = [];
  for (const category of [...DESK_CATEGORIES, 'none']) {
    const mine = rows.filter((r) => (r.category ?? 'none') === category);
    const inMonth = (iso: string | null) =>
      iso !== null && Date.parse(iso) >= from.getTime() && Date.parse(iso) < to.getTime();
    const resolved = mine.filter((r) => r.status === 'resolved' && inMonth(r.resolvedAt));
    const hours = resolved.map((r) => r.serviceHours).filter((h): h is number => typeof h === 'number');
    if (mine.length === 0 && category === 'none') continue;
    out.push({
      category,
      received: mine.filter((r) => inMonth(r.receivedAt)).length,
      resolved: resolved.length,
      open: mine.filter((r) => r.status === 'open').length,
      meanServiceHours: hours.length ? Math.round((hours.reduce((a, b) => a + b, 0) / hours.length) * 100) / 100 : null,
      maxServiceHours: hours.length ? Math.max(...hours) : null,
    });
  }
  return out;
}
