/**
 * Receiving an achievement batch (OCF 01): store the file as it streams in (hashing it on
 * the way), read it once to refuse an unreadable file before anything is queued, record
 * the batch and queue its job. The REST upload and `plr import` both come through here.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../../config.js';
import type { Graph } from '../../platform/neo4j.js';
import { AppError } from '../../platform/errors.js';
import { DEFAULT_NATION } from '../../operations/service-hours.js';
import { getOrganisation } from '../../identity/repository.js';
import type { JobQueue } from '../../../importers/queue.js';
import { BatchFileError, inspectFile } from './file.js';
import { createBatch, getBatch, type Batch } from './repository.js';

export const BATCHES_FOLDER = 'batches';

/** A client's batch id or Idempotency-Key: short, plain characters. */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

export interface StoredFile {
  /** Absolute path of the temporary file. */
  temp: string;
  bytes: number;
  sha256: string;
}

export function batchesDir(config: Config): string {
  return path.join(config.dataDir, BATCHES_FOLDER);
}

/** Stream a file to a temporary name under the batches folder, hashing it; never held in memory. */
export async function storeStream(
  config: Config,
  source: Readable,
  maxBytes = config.batchMaxBytes,
): Promise<StoredFile> {
  const dir = batchesDir(config);
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.incoming-${randomUUID()}.part`);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        done(tooLarge(maxBytes));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(temp));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return { temp, bytes, sha256: hash.digest('hex') };
}

export function tooLarge(maxBytes: number): BatchFileError {
  return new BatchFileError(
    'BATCH_TOO_LARGE',
    `the file is larger than the ${maxBytes} bytes a batch may be (BATCH_MAX_BYTES); split it into several batches`,
  );
}

export interface ReceiveInput {
  stored: StoredFile;
  fileName: string;
  aoUkprn: string;
  subject: string;
  validateOnly: boolean;
  idempotencyKey?: string;
  source: 'upload' | 'cli';
}

export interface Received {
  batch: Batch;
  /** False when an earlier submission with the same idempotency key is answered again. */
  created: boolean;
}

/** The batch id for a client's key is scoped to the AO, so two AOs' keys never meet. */
export function batchIdFor(aoUkprn: string, key: string | undefined): string {
  return key ? `${aoUkprn}-${key}` : randomUUID();
}

/**
 * Inspect a stored file and record its batch, or refuse it (the file is removed and
 * nothing is recorded). A repeated idempotency key with the same file answers the first
 * batch; with a different file it is a conflict.
 */
export async function receiveBatch(
  deps: { graph: Graph; config: Config; jobs: JobQueue },
  input: ReceiveInput,
  now: Date,
): Promise<Received> {
  const { graph, config, jobs } = deps;
  const id = batchIdFor(input.aoUkprn, input.idempotencyKey);
  let adopted = false;
  try {
    if (input.idempotencyKey) {
      const earlier = await getBatch(graph, id);
      if (earlier) return { batch: sameFileOrConflict(earlier, input), created: false };
    }
    let inspection;
    try {
      inspection = await inspectFile(input.stored.temp, {
        maxFieldChars: config.batchMaxFieldChars,
        maxRowChars: config.batchMaxRowChars,
      });
    } catch (err) {
      if (err instanceof BatchFileError) throw new AppError(err.status, err.code, err.message);
      throw err;
    }
    const file = path.join(BATCHES_FOLDER, `${id}.${inspection.kind}`);
    await rename(input.stored.temp, path.join(config.dataDir, file));
    adopted = true;
    const org = await getOrganisation(graph, input.aoUkprn);
    const result = await createBatch(
      graph,
      {
        id,
        aoUkprn: input.aoUkprn,
        nation: org?.nation ?? DEFAULT_NATION,
        subject: input.subject,
        kind: inspection.kind,
        file,
        fileName: input.fileName.slice(0, 200),
        bytes: input.stored.bytes,
        sha256: input.stored.sha256,
        validateOnly: input.validateOnly,
        idempotencyKey: input.idempotencyKey ?? null,
        source: input.source,
        rows: inspection.rows,
        unitRows: inspection.unitRows,
        qualificationRows: inspection.qualificationRows,
        malformedRows: inspection.malformedRows,
      },
      now,
    );
    if (!result.created) {
      // Two uploads with one key at the same moment: the first one's batch stands.
      return { batch: sameFileOrConflict((await getBatch(graph, id))!, input), created: false };
    }
    await jobs.enqueue('achievements.batch', { batchId: id }, { jobId: jobIdFor(id) });
    return { batch: (await getBatch(graph, id))!, created: true };
  } finally {
    if (!adopted) await rm(input.stored.temp, { force: true });
  }
}

/** Deterministic, so a batch is queued once however often it is sent. */
export function jobIdFor(batchId: string): string {
  return `batch-${batchId}`;
}

function sameFileOrConflict(earlier: Batch, input: ReceiveInput): Batch {
  if (
    earlier.aoUkprn !== input.aoUkprn ||
    earlier.sha256 !== input.stored.sha256 ||
    earlier.validateOnly !== input.validateOnly
  ) {
    throw new AppError(
      409,
      'IDEMPOTENCY_CONFLICT',
      `batch id "${input.idempotencyKey}" was already used for a different file or setting (batch ${earlier.id}); use a new id for a new file`,
    );
  }
  return earlier;
}
