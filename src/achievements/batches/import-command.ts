/**
 * `plr import FILE [--validate-only] --ao UKPRN [--batch-id ID]`: send a local achievement
 * file through the same path as an upload (stored, inspected, queued for a worker), follow
 * the job's progress with a bar on stderr and print the summary.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Job } from 'bullmq';
import type { Config } from '../../config.js';
import type { Graph } from '../../platform/neo4j.js';
import { AppError } from '../../platform/errors.js';
import type { JobQueue } from '../../../importers/queue.js';
import { durationOf, summaryText } from './chunks.js';
import { getBatch } from './repository.js';
import { batchUrls, type BatchProgress } from './run.js';
import { jobIdFor, receiveBatch, storeStream, tooLarge, IDEMPOTENCY_KEY_PATTERN } from './service.js';

export interface ImportOptions {
  file: string;
  ao: string;
  validateOnly: boolean;
  batchId?: string;
  /** Poll interval, ms. */
  every?: number;
}

export const CLI_SUBJECT = 'plr-import';

function bar(percent: number, width = 30): string {
  const filled = Math.round((percent / 100) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export async function runImport(
  deps: { graph: Graph; config: Config; jobs: JobQueue },
  opts: ImportOptions,
  out: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream },
): Promise<number> {
  const { config } = deps;
  if (!/^1[0-9]{7}$/.test(opts.ao)) {
    out.stderr.write("--ao must be the awarding organisation's UKPRN (8 digits starting with 1)\n");
    return 2;
  }
  if (opts.batchId !== undefined && !new RegExp(IDEMPOTENCY_KEY_PATTERN).test(opts.batchId)) {
    out.stderr.write('--batch-id may hold letters, digits, . _ - (at most 64, starting with a letter or digit)\n');
    return 2;
  }
  let size: number;
  try {
    size = (await stat(opts.file)).size;
  } catch {
    out.stderr.write(`cannot open ${opts.file}\n`);
    return 1;
  }
  if (size > config.batchMaxBytes) {
    out.stderr.write(`refused: ${tooLarge(config.batchMaxBytes).message}\n`);
    return 1;
  }
  let received;
  try {
    const stored = await storeStream(config, createReadStream(opts.file));
    received = await receiveBatch(
      deps,
      {
        stored,
        fileName: path.basename(opts.file),
        aoUkprn: opts.ao,
        subject: CLI_SUBJECT,
        validateOnly: opts.validateOnly,
        idempotencyKey: opts.batchId,
        source: 'cli',
      },
      new Date(),
    );
  } catch (err) {
    if (err instanceof AppError) {
      out.stderr.write(`refused (${err.code}), nothing was stored: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const id = received.batch.id;
  out.stderr.write(
    `batch ${id}${received.created ? '' : ' (sent before: following the first batch)'}: ${received.batch.rows} rows, ${received.batch.kind.toUpperCase()}${opts.validateOnly ? ', validate only' : ''}\n`,
  );

  const tty = out.stderr.isTTY === true;
  let lastShown = -1;
  let waitingNoted = false;
  const started = Date.now();
  for (;;) {
    const batch = (await getBatch(deps.graph, id))!;
    if (batch.status === 'completed' || batch.status === 'failed') {
      if (batch.status === 'completed')
        out.stderr.write(tty ? `\r${bar(100)} 100.0%${' '.repeat(30)}\n` : '100.0% done\n');
      out.stdout.write(
        `${summaryText({ ...batch, duration: durationOf(batch, new Date()), ...batchUrls(config, id) })}\n`,
      );
      return batch.status === 'completed' ? 0 : 1;
    }
    const job = await Job.fromId(deps.jobs.queue, jobIdFor(id));
    const progress = (job?.progress ?? null) as BatchProgress | number | null;
    const percent = typeof progress === 'object' && progress !== null ? progress.percent : 0;
    const label =
      typeof progress === 'object' && progress !== null
        ? `${progress.pass} ${progress.processed}/${progress.total} rows`
        : batch.status;
    if (tty) out.stderr.write(`\r${bar(percent)} ${percent.toFixed(1).padStart(5)}% ${label}   `);
    else if (Math.floor(percent / 10) > lastShown) {
      lastShown = Math.floor(percent / 10);
      out.stderr.write(`${percent.toFixed(1)}% ${label}\n`);
    }
    if (!waitingNoted && batch.status === 'received' && Date.now() - started > 5_000) {
      waitingNoted = true;
      out.stderr.write(`${tty ? '\n' : ''}still waiting for a worker: is one running (plr worker, or plr start)?\n`);
    }
    await new Promise((r) => setTimeout(r, opts.every ?? 500));
  }
}
