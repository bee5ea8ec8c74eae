/**
 * Operations services: the monthly service-level report (issue 14 part 2).
 */
import type { Graph } from '../platform/neo4j.js';
import { AppError } from '../platform/errors.js';
import type { Report } from '../platform/pdf.js';
import { reportBatches, reportHandling, reportOutages, timingsOfMonth } from './repository.js';
import {
  availability,
  batchFigures,
  handlingFigures,
  isMonth,
  monthBounds,
  ocfLines,
  type Availability,
  type BatchFigures,
  type HandlingFigures,
  type OcfLine,
} from './service-levels.js';

export interface ServiceLevelReport {
  month: string;
  from: string;
  to: string;
  /** When the figures were read; a month still going on is measured up to here. */
  generatedAt: string;
  complete: boolean;
  services: OcfLine[];
  batches: BatchFigures;
  availability: Availability;
  handling: { challenges: HandlingFigures; availabilityRequests: HandlingFigures };
}

export async function serviceLevelReport(
  deps: { graph: Graph; flush?: () => Promise<unknown> },
  month: string,
  now: Date = new Date(),
): Promise<ServiceLevelReport> {
  if (!isMonth(month)) {
    throw new AppError(400, 'VALIDATION', `month must be YYYY-MM, e.g. 2026-03; got ${JSON.stringify(month)}`, [
      { in: 'querystring', field: 'month', problem: 'must be YYYY-MM' },
    ]);
  }
  const { from, to } = monthBounds(month);
  if (from.getTime() > now.getTime()) {
    throw new AppError(400, 'VALIDATION', `${month} has not begun yet`, [
      { in: 'querystring', field: 'month', problem: 'is in the future' },
    ]);
  }
  // This process's own figures first, so that the report includes the requests just made.
  await deps.flush?.();
  const [timings, batches, handling, outages] = await Promise.all([
    timingsOfMonth(deps.graph, month),
    reportBatches(deps.graph, from, to),
    reportHandling(deps.graph, from, to),
    reportOutages(deps.graph, from, to),
  ]);
  return {
    month,
    from: from.toISOString(),
    to: to.toISOString(),
    generatedAt: now.toISOString(),
    complete: now.getTime() >= to.getTime(),
    services: ocfLines(timings),
    batches: batchFigures(batches, from, to, now),
    availability: availability(outages, from, to, now),
    handling: {
      challenges: handlingFigures(handling.filter((h) => h.kind === 'challenge').map((h) => h.serviceHours)),
      availabilityRequests: handlingFigures(
        handling.filter((h) => h.kind === 'availability').map((h) => h.serviceHours),
      ),
    },
  };
}

const ms = (v: number | null) => (v === null ? '-' : v < 1000 ? `${v.toFixed(0)} ms` : `${(v / 1000).toFixed(2)} s`);
const yesNo = (v: boolean | null) => (v === null ? '-' : v ? 'met' : 'NOT MET');
const num = (v: number | null, unit = '') => (v === null ? '-' : `${v}${unit}`);

/** The report as a printable document. Pure. */
export function serviceLevelPdf(r: ServiceLevelReport): Report {
  return {
    title: `Service levels, ${r.month}`,
    subtitle: `${r.from} to ${r.to}${r.complete ? '' : ` (month in progress, figures up to ${r.generatedAt})`}`,
    generatedAt: r.generatedAt,
    sections: [
      {
        heading: 'Response times by service (monthly average against the charter target)',
        table: {
          columns: [
            { header: 'Service', width: 150 },
            { header: 'Requests', width: 60, align: 'right' },
            { header: 'Average', width: 60, align: 'right' },
            { header: '95th pct', width: 60, align: 'right' },
            { header: 'Target', width: 50, align: 'right' },
            { header: 'Result', width: 60 },
          ],
          rows: r.services.map((s) => [
            `${s.ocf} ${s.name}`,
            String(s.count),
            ms(s.meanMs),
            ms(s.p95Ms),
            s.targetSeconds === null ? '-' : `${s.targetSeconds} s`,
            yesNo(s.met),
          ]),
        },
      },
      {
        heading: 'Achievement batches (OCF 01: every valid batch loaded within 48 hours)',
        facts: [
          ['Received', String(r.batches.received)],
          ['Completed', String(r.batches.completed)],
          ['Failed', String(r.batches.failed)],
          ['Finished within 48 hours', num(r.batches.withinTargetPercent, ' %')],
          ['Open for more than 48 hours', String(r.batches.overdueOpen)],
          [
            'Slowest',
            r.batches.slowest ? `${r.batches.slowest.id}: ${(r.batches.slowest.seconds / 3600).toFixed(2)} hours` : '-',
          ],
          ['Result', yesNo(r.batches.met)],
        ],
      },
      {
        heading: `Availability (target ${r.availability.targetPercent} % outside agreed planned maintenance)`,
        facts: [
          ['Availability', num(r.availability.percent, ' %')],
          ['Downtime (unplanned and emergency)', `${r.availability.downtimeMinutes} minutes`],
          ['Planned maintenance (excluded)', `${r.availability.plannedMinutes} minutes`],
          ['Result', yesNo(r.availability.met)],
        ],
        table: r.availability.outages.length
          ? {
              columns: [
                { header: 'Kind', width: 70 },
                { header: 'Start', width: 120 },
                { header: 'End', width: 120 },
                { header: 'Minutes', width: 50, align: 'right' },
                { header: 'Note', width: 130 },
              ],
              rows: r.availability.outages.map((o) => [
                o.kind,
                o.start,
                o.end ?? 'still open',
                String(o.minutes),
                `${o.flagged ? 'IN CORE HOURS: ' : ''}${o.reason ?? ''}`,
              ]),
            }
          : undefined,
      },
      {
        heading: 'Requests handled by people (service hours)',
        facts: [
          [
            'Data challenges resolved (OCF 08)',
            `${r.handling.challenges.count}; average ${num(r.handling.challenges.meanServiceHours)} h, longest ${num(r.handling.challenges.maxServiceHours)} h`,
          ],
          [
            'Availability requests by telephone (OCF 07)',
            `${r.handling.availabilityRequests.count}; average ${num(r.handling.availabilityRequests.meanServiceHours)} h, longest ${num(r.handling.availabilityRequests.maxServiceHours)} h`,
          ],
        ],
      },
    ],
  };
}
