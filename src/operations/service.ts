/**
 * Operations services: the monthly service-level report (issue 14 part 2).
 */
import { randomUUID } from 'node:crypto';
import type { Graph } from '../platform/neo4j.js';
import type { Mailer } from '../platform/mail.js';
import type { MaintenanceGate } from './maintenance-gate.js';
import { planWindow, type WindowInput } from './maintenance.js';
import {
  DESK_CATEGORIES,
  DESK_CHANNELS,
  MAX_SUMMARY_LENGTH,
  deskFigures,
  isDeskCategory,
  resolutionServiceHours,
  type DeskFigures,
} from './desk.js';
import { AppError } from '../platform/errors.js';
import type { Report } from '../platform/pdf.js';
import {
  categoriseDeskCall,
  createWindow,
  endWindow,
  getDeskCall,
  getWindow,
  listDeskCalls,
  listWindows,
  noteWindowNotice,
  recordDeskCall,
  reportBatches,
  reportDesk,
  reportHandling,
  reportOutages,
  resolveDeskCall,
  timingsOfMonth,
  windowRecipients,
  type WindowRow,
} from './repository.js';
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
  desk: DeskFigures[];
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
  const [timings, batches, handling, outages, desk] = await Promise.all([
    timingsOfMonth(deps.graph, month),
    reportBatches(deps.graph, from, to),
    reportHandling(deps.graph, from, to),
    reportOutages(deps.graph, from, to),
    reportDesk(deps.graph, from, to),
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
    desk: deskFigures(desk, from, to),
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
        heading: 'Service desk calls by incident category (resolution in service hours)',
        table: {
          columns: [
            { header: 'Category', width: 70 },
            { header: 'Received', width: 70, align: 'right' },
            { header: 'Resolved', width: 70, align: 'right' },
            { header: 'Open', width: 60, align: 'right' },
            { header: 'Average h', width: 70, align: 'right' },
            { header: 'Longest h', width: 70, align: 'right' },
          ],
          rows: r.desk.map((d) => [
            d.category,
            String(d.received),
            String(d.resolved),
            String(d.open),
            num(d.meanServiceHours),
            num(d.maxServiceHours),
          ]),
        },
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

// --- maintenance windows ----------------------------------------------------------------------

export interface WindowDeps {
  graph: Graph;
  gate: MaintenanceGate;
  jobs: { enqueue(name: 'operations.maintenance-notice', data: { windowId: string }): Promise<unknown> };
  noticeHours: number;
}

export async function scheduleWindow(
  deps: WindowDeps,
  input: WindowInput,
  by: string,
  now: Date = new Date(),
): Promise<WindowRow> {
  const planned = planWindow(input, now, deps.noticeHours);
  if (!planned.ok) {
    throw new AppError(
      400,
      'VALIDATION',
      `the window is not valid: ${planned.problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`,
      planned.problems.map((p) => ({ in: 'body', ...p })),
    );
  }
  const id = `mw-${randomUUID()}`;
  await createWindow(deps.graph, { ...planned.window, id, now, createdBy: by });
  await deps.gate.refresh();
  // Planned windows are announced to every AO user by email (a job: many addresses).
  if (planned.window.kind === 'planned') await deps.jobs.enqueue('operations.maintenance-notice', { windowId: id });
  return (await getWindow(deps.graph, id))!;
}

export async function endMaintenance(deps: WindowDeps, id: string, by: string, now: Date = new Date()) {
  const ended = await endWindow(deps.graph, id, now, by);
  if (!ended)
    throw new AppError(404, 'WINDOW_NOT_FOUND', `no maintenance window ${id} that is scheduled or in progress`);
  await deps.gate.refresh();
  return { ...(await getWindow(deps.graph, id))!, cancelled: ended.cancelled };
}

export async function maintenanceWindows(graph: Graph, now: Date = new Date()): Promise<WindowRow[]> {
  return listWindows(graph, { from: new Date(now.getTime() - 31 * 86_400_000), cancelled: true, limit: 200 });
}

/** What the public status page says: the window in force, and those announced. */
export function serviceStatus(gate: MaintenanceGate, now: Date = new Date()) {
  const shown = (w: WindowRow) => ({
    id: w.id,
    kind: w.kind,
    start: w.start,
    end: w.end,
    message: { en: w.messageEn, cy: w.messageCy },
  });
  const active = gate.active(now);
  return {
    status: active ? ('maintenance' as const) : ('available' as const),
    now: now.toISOString(),
    current: active ? shown(active) : null,
    announced: gate.announced(now).map(shown),
  };
}

/** The email to AO users about a planned window (the maintenance-notice job), once. */
export async function sendWindowNotice(
  deps: { graph: Graph; mailer: Mailer },
  windowId: string,
): Promise<{ sent: number; note: string }> {
  const w = await getWindow(deps.graph, windowId);
  if (!w || w.cancelled || w.kind !== 'planned') return { sent: 0, note: 'not sent: no such planned window' };
  if (w.noticeSent) return { sent: 0, note: w.noticeSent };
  const to = await windowRecipients(deps.graph);
  const text = [
    w.messageEn,
    '',
    `Planned maintenance of the Personal Learning Record service: from ${w.start} to ${w.end} (UTC).`,
    'During it you can read records but not change them: uploads, amendments and other changes are refused, and batches pause.',
    '',
    w.messageCy,
    '',
    `Gwaith cynnal a chadw wedi'i gynllunio: o ${w.start} hyd ${w.end} (UTC).`,
  ].join('\n');
  let sent = 0;
  for (const address of to) {
    const result = await deps.mailer.send({
      to: address,
      subject: 'Planned maintenance / Gwaith cynnal a chadw',
      text,
      kind: 'maintenance-notice',
    });
    if (result.sent) sent += 1;
  }
  const note = `sent to ${sent} of ${to.length} AO users`;
  await noteWindowNotice(deps.graph, windowId, note);
  return { sent, note };
}

// --- the service desk log ----------------------------------------------------------------------

export interface DeskCallInput {
  receivedAt: string;
  channel: string;
  organisation?: string;
  summary: string;
  category?: string;
}

function deskError(field: string, problem: string): AppError {
  return new AppError(400, 'VALIDATION', `${field} ${problem}`, [{ in: 'body', field, problem }]);
}

function pastInstant(value: string, field: string, now: Date): Date {
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/(Z|[+-]\d{2}:\d{2})$/.test(value))
    throw deskError(field, 'must be a date-time with a zone, e.g. 2026-03-07T09:30:00Z');
  if (ms > now.getTime() + 120_000) throw deskError(field, 'is in the future');
  return new Date(ms);
}

export async function recordCall(graph: Graph, input: DeskCallInput, by: string, now: Date = new Date()) {
  const receivedAt = pastInstant(input.receivedAt, 'receivedAt', now);
  if (!(DESK_CHANNELS as readonly string[]).includes(input.channel))
    throw deskError('channel', `must be one of ${DESK_CHANNELS.join(', ')}`);
  if (input.category !== undefined && !isDeskCategory(input.category))
    throw deskError('category', `must be one of ${DESK_CATEGORIES.join(', ')}`);
  const summary = input.summary.trim();
  if (summary.length === 0 || summary.length > MAX_SUMMARY_LENGTH)
    throw deskError('summary', `must be 1 to ${MAX_SUMMARY_LENGTH} characters`);
  const id = `call-${randomUUID()}`;
  await recordDeskCall(graph, {
    id,
    receivedAt: receivedAt.toISOString(),
    channel: input.channel,
    organisation: input.organisation ?? null,
    summary,
    category: input.category ?? null,
    now: now.toISOString(),
    by,
  });
  return (await getDeskCall(graph, id))!;
}

async function existingCall(graph: Graph, id: string) {
  const call = await getDeskCall(graph, id);
  if (!call) throw new AppError(404, 'CALL_NOT_FOUND', `no service desk call ${id}`);
  return call;
}

export async function categoriseCall(graph: Graph, id: string, category: string, by: string, now = new Date()) {
  if (!isDeskCategory(category)) throw deskError('category', `must be one of ${DESK_CATEGORIES.join(', ')}`);
  await existingCall(graph, id);
  await categoriseDeskCall(graph, id, category, now.toISOString(), by);
  return (await getDeskCall(graph, id))!;
}

export async function resolveCall(
  graph: Graph,
  id: string,
  input: { resolution: string; resolvedAt?: string },
  by: string,
  now = new Date(),
) {
  const call = await existingCall(graph, id);
  if (call.status !== 'open') throw new AppError(409, 'CALL_RESOLVED', `call ${id} is already resolved`);
  if (!call.category) throw new AppError(409, 'CALL_UNCATEGORISED', `call ${id} needs its incident category first`);
  const resolvedAt = input.resolvedAt ? pastInstant(input.resolvedAt, 'resolvedAt', now) : now;
  if (resolvedAt < new Date(call.receivedAt)) throw deskError('resolvedAt', 'is before the call was received');
  const resolution = input.resolution.trim();
  if (resolution.length === 0 || resolution.length > MAX_SUMMARY_LENGTH)
    throw deskError('resolution', `must be 1 to ${MAX_SUMMARY_LENGTH} characters`);
  await resolveDeskCall(graph, {
    id,
    resolvedAt: resolvedAt.toISOString(),
    resolution,
    by,
    serviceHours: resolutionServiceHours(new Date(call.receivedAt), resolvedAt),
  });
  return (await getDeskCall(graph, id))!;
}

export async function deskCalls(graph: Graph, status: 'open' | 'resolved' | undefined, limit: number) {
  return listDeskCalls(graph, status ?? null, limit);
}
