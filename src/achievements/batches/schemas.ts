/**
 * TypeBox schemas of the batch routes, shared by validation and OpenAPI; and the one view
 * of a batch that REST and GraphQL both give.
 */
import { Type, type Static } from 'typebox';
import type { Config } from '../../config.js';
import { durationOf, percentDone, TARGET_SECONDS } from './chunks.js';
import type { Batch } from './repository.js';
import { batchUrls } from './run.js';
import { IDEMPOTENCY_KEY_PATTERN } from './service.js';
import { isStuck } from './recovery.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const BatchView = Type.Object(
  {
    id: Type.String({ description: 'The batch id; with a client batch id it is "UKPRN-<your id>"' }),
    status: Type.Union(
      [
        Type.Literal('received'),
        Type.Literal('validating'),
        Type.Literal('loading'),
        Type.Literal('completed'),
        Type.Literal('failed'),
      ],
      { description: 'received, validating, loading, completed or failed' },
    ),
    validateOnly: Type.Boolean({ description: 'Only checked: nothing is stored' }),
    aoUkprn: Type.String(),
    submittedBy: Type.String({ description: 'The user or API client id that sent it' }),
    kind: Type.Union([Type.Literal('csv'), Type.Literal('xml')], { description: 'Detected from the content' }),
    fileName: Type.String(),
    bytes: Type.Integer(),
    source: Type.Union([Type.Literal('upload'), Type.Literal('cli')]),
    idempotencyKey: Nullable(Type.String()),
    receivedAt: Type.String({ format: 'date-time' }),
    startedAt: Nullable(Type.String({ format: 'date-time' })),
    finishedAt: Nullable(Type.String({ format: 'date-time' })),
    rows: Type.Integer({ description: 'Data rows in the file' }),
    counts: Type.Object({
      accepted: Type.Integer({ description: 'Rows loaded (with validate-only: that would load)' }),
      rejected: Type.Integer({ description: 'Rows not loaded; see the report' }),
      unchanged: Type.Integer({ description: 'Rows that repeat what is recorded exactly; nothing changed' }),
      late: Type.Integer({ description: 'Accepted rows sent more than 10 working days after the award date' }),
    }),
    progress: Type.Object({
      pass: Type.String({ description: 'units (unit credits first), qualifications, or done' }),
      processed: Type.Integer(),
      percent: Type.Number(),
    }),
    duration: Type.Object({
      seconds: Nullable(Type.Number({ description: 'From receipt to the end, or so far' })),
      targetSeconds: Type.Integer({ description: `The charter's target: ${TARGET_SECONDS} s (48 hours)` }),
      withinTarget: Nullable(Type.Boolean({ description: 'null while running inside the target' })),
    }),
    failure: Nullable(Type.String({ description: 'Why a failed batch failed' })),
    recovery: Type.Object(
      {
        runs: Type.Integer({
          description: 'Runs started: the first, and one more each time a worker died or the job was tried again',
        }),
        resumes: Type.Integer({ description: 'Times the watchdog or the operator took the batch up again' }),
        lastProgressAt: Nullable(
          Type.String({ format: 'date-time', description: 'The last chunk committed (or start or resume)' }),
        ),
        stuck: Type.Boolean({
          description: 'Not finished and no progress for BATCH_STUCK_SECONDS (default 15 minutes)',
        }),
        note: Nullable(Type.String({ description: 'What the watchdog or the operator last did about it' })),
        noteAt: Nullable(Type.String({ format: 'date-time' })),
      },
      { description: 'How the batch has been kept going: runs, resumes, and whether it is stuck' },
    ),
    mail: Nullable(Type.String({ description: 'Whether the completion email was sent, or why not' })),
    statusUrl: Type.String(),
    reportUrl: Type.String({ description: 'CSV of rejected rows: row, record_id, field, code, message' }),
  },
  { $id: 'AchievementBatch', title: 'AchievementBatch' },
);
export type BatchView = Static<typeof BatchView>;

export function batchView(config: Config, b: Batch, now: Date): BatchView {
  return {
    id: b.id,
    status: b.status,
    validateOnly: b.validateOnly,
    aoUkprn: b.aoUkprn,
    submittedBy: b.subject,
    kind: b.kind,
    fileName: b.fileName,
    bytes: b.bytes,
    source: b.source,
    idempotencyKey: b.idempotencyKey,
    receivedAt: b.receivedAt,
    startedAt: b.startedAt,
    finishedAt: b.finishedAt,
    rows: b.rows,
    counts: { accepted: b.accepted, rejected: b.rejected, unchanged: b.unchanged, late: b.late },
    progress: { pass: b.pass, processed: b.processed, percent: percentDone(b.processed, b.rows) },
    duration: durationOf(b, now),
    failure: b.failure,
    recovery: {
      runs: b.attempts ?? 0,
      resumes: b.resumes ?? 0,
      lastProgressAt: b.progressAt,
      stuck: isStuck(b, config.batchStuckSeconds, now),
      note: b.recovery,
      noteAt: b.recoveryAt,
    },
    mail: b.mail,
    ...batchUrls(config, b.id),
  };
}

export const UploadBody = Type.Object(
  {
    file: Type.String({
      format: 'binary',
      description: 'The achievement file: CSV or XML (docs/interface-files.md); the kind is read from the content',
    }),
    validateOnly: Type.Optional(Type.Boolean({ description: 'Check every row and report; store nothing' })),
    batchId: Type.Optional(
      Type.String({
        pattern: IDEMPOTENCY_KEY_PATTERN,
        description:
          'Your id for this batch: sending it again answers the first batch and changes nothing. Same as the Idempotency-Key header',
      }),
    ),
  },
  { additionalProperties: false },
);

export const UploadQuery = Type.Object(
  {
    validateOnly: Type.Optional(Type.Boolean({ description: 'The same as the form field' })),
    batchId: Type.Optional(
      Type.String({ pattern: IDEMPOTENCY_KEY_PATTERN, description: 'The same as the form field' }),
    ),
  },
  { additionalProperties: false },
);

export const UploadHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ pattern: IDEMPOTENCY_KEY_PATTERN, description: 'Your id for this batch (like batchId)' }),
  ),
});

/**
 * The 200 of the report route, as OpenAPI content: only the success is CSV; errors keep
 * the house JSON error shape (a route-wide `produces` would document them as CSV too).
 */
export const ReportCsv = {
  description: 'CSV with a header line: row, record_id, field, code, message',
  content: { 'text/csv': { schema: { type: 'string' } } },
};

export const BatchParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    ao: Type.Optional(Type.String({ pattern: '^1[0-9]{7}$', description: "Operator only: one AO's batches" })),
    state: Type.Optional(
      Type.Union([Type.Literal('failed'), Type.Literal('unfinished'), Type.Literal('stuck')], {
        description:
          'Only failed batches, only unfinished ones, or only stuck ones (unfinished, no progress for BATCH_STUCK_SECONDS)',
      }),
    ),
  },
  { additionalProperties: false },
);
