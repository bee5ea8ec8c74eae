/**
 * Durable, mergeable response-time figures per charter service (issue 14 part 1).
 *
 * Each process keeps, in memory, one HDR histogram (hdr-histogram-js, microseconds, three
 * significant digits) per London calendar day and OCF service, plus the exact count and
 * sum. Recording a
 * request touches only that memory: nothing is written on the hot path. Every flush
 * interval (and when the process stops) the process merges what it has into one
 * `ServiceTiming` node per day and service in the graph, under that node's write lock, so
 * several processes and restarts add up to one figure: HDR histograms merge exactly (the
 * merged histogram is the one a single process would have recorded), counts and sums add.
 *
 * The monthly report reads the days of its month and merges them again (a day, not an
 * hour: merging a histogram costs a few milliseconds, and a month of days is 31 merges per
 * service rather than 744). Count and mean
 * are exact (integer microseconds); the 95th percentile is exact to the histogram's
 * resolution (0.1 %).
 */
import * as hdr from 'hdr-histogram-js';
import type { Ocf } from '../platform/ocf.js';

/** Slowest response a histogram tracks without resizing: ten minutes, in microseconds. */
const HIGHEST_MICROS = 600_000_000;
const MINUTE_MS = 60_000;

export function newHistogram(): hdr.Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_MICROS,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
    useWebAssembly: false,
  });
}

export function encodeHistogram(h: hdr.Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): hdr.Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
  // Decoded histograms keep the encoder's range; merge into a fresh one so every histogram
  // the service holds has the same settings.
  const h = newHistogram();
  h.add(decoded);
  return h;
}

/** One day's figures for one service, as flushed and as stored. */
export interface TimingSlice {
  ocf: Ocf;
  /** The London calendar date, YYYY-MM-DD. */
  day: string;
  count: number;
  sumMicros: number;
  /** Answers with a 5xx status. */
  errors: number;
  histogram: hdr.Histogram;
}

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The London calendar date of an instant; one lookup per minute at most. */
let lastMinute = Number.NaN;
let lastDay = '';
export function dayOf(atMs: number): string {
  const minute = Math.floor(atMs / MINUTE_MS);
  if (minute !== lastMinute) {
    lastMinute = minute;
    lastDay = londonDate.format(new Date(atMs));
  }
  return lastDay;
}

export function sliceKey(ocf: Ocf, day: string): string {
  return `${ocf}@${day}`;
}

/** In-memory figures of one process since its last flush. */
export class TimingAggregator {
  private slices = new Map<string, TimingSlice>();

  record(ocf: Ocf, micros: number, atMs: number, error = false): void {
    const day = dayOf(atMs);
    const key = sliceKey(ocf, day);
    let s = this.slices.get(key);
    if (!s) {
      s = { ocf, day, count: 0, sumMicros: 0, errors: 0, histogram: newHistogram() };
      this.slices.set(key, s);
    }
    const value = Math.max(1, Math.round(micros));
    s.histogram.recordValue(value);
    s.count += 1;
    s.sumMicros += value;
    if (error) s.errors += 1;
  }

  get size(): number {
    return this.slices.size;
  }

  /** Hand over everything recorded so far and start again empty. */
  take(): TimingSlice[] {
    const out = [...this.slices.values()];
    this.slices = new Map();
    return out;
  }

  /** Put back slices a failed flush could not store, merged with anything recorded since. */
  restore(slices: TimingSlice[]): void {
    for (const s of slices) {
      const key = sliceKey(s.ocf, s.day);
      const now = this.slices.get(key);
      if (!now) {
        this.slices.set(key, s);
        continue;
      }
      now.histogram.add(s.histogram);
      now.count += s.count;
      now.sumMicros += s.sumMicros;
      now.errors += s.errors;
    }
  }
}

/** The figures of many slices of one service together: exact count and mean, p95 from the merged histogram. */
export interface TimingSummary {
  count: number;
  errors: number;
  meanMs: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

export function summarise(
  slices: readonly { count: number; sumMicros: number; errors: number; histogram: hdr.Histogram }[],
): TimingSummary {
  const merged = newHistogram();
  let count = 0;
  let sum = 0;
  let errors = 0;
  for (const s of slices) {
    merged.add(s.histogram);
    count += s.count;
    sum += s.sumMicros;
    errors += s.errors;
  }
  if (count === 0) return { count: 0, errors: 0, meanMs: null, p95Ms: null, maxMs: null };
  return {
    count,
    errors,
    meanMs: sum / count / 1000,
    p95Ms: merged.getValueAtPercentile(95) / 1000,
    maxMs: merged.maxValue / 1000,
  };
}
