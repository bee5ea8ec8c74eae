/**
 * `plr import FILE`: send an achievement file as a batch, follow its progress with a bar on
 * stderr and print the summary. Two ways:
 * - `--ao UKPRN`: on the service's own machine, through the same path as an upload (stored,
 *   inspected, queued for a worker), reading Neo4j and Redis directly;
 * - `--url URL --token TOKEN`: as an AO's own system would, through the HTTP API
 *   (POST /achievements/batches, then GET its status); the AO is the token's.
 * Exit codes (IMPORT_EXIT): 0 every row accepted; 3 the batch completed with rejected rows;
 * 1 the file was refused or the batch failed; 2 a usage error.
 */
import { createReadStream, openAsBlob } from 'node:fs';
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
import type { BatchView } from './schemas.js';

export interface ImportOptions {
  file: string;
  ao: string;
  validateOnly: boolean;
  batchId?: string;
  /** Poll interval, ms. */
  every?: number;
}

export const CLI_SUBJECT = 'plr-import';

/** What `plr import` exits with (docs/achievement-batches.md). */
export const IMPORT_EXIT = { accepted: 0, failed: 1, usage: 2, rejectedRows: 3 } as const;

type Out = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean } };

function bar(percent: number, width = 30): string {
  const filled = Math.round((percent / 100) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** The progress display, the same both ways: a bar on a terminal, a line per 10 % otherwise. */
function progressDisplay(out: Out) {
  const tty = out.stderr.isTTY === true;
  let lastShown = -1;
  let waitingNoted = false;
  const started = Date.now();
  return {
    show(percent: number, label: string, waiting: boolean) {
      if (tty) out.stderr.write(`\r${bar(percent)} ${percent.toFixed(1).padStart(5)}% ${label}   `);
      else if (Math.floor(percent / 10) > lastShown) {
        lastShown = Math.floor(percent / 10);
        out.stderr.write(`${percent.toFixed(1)}% ${label}\n`);
      }
      if (!waitingNoted && waiting && Date.now() - started > 5_000) {
        waitingNoted = true;
        out.stderr.write(`${tty ? '\n' : ''}still waiting for a worker: is one running (plr worker, or plr start)?\n`);
      }
    },
    done() {
      out.stderr.write(tty ? `\r${bar(100)} 100.0%${' '.repeat(30)}\n` : '100.0% done\n');
    },
  };
}

function exitFor(status: string, rejected: number): number {
  if (status !== 'completed') return IMPORT_EXIT.failed;
  return rejected > 0 ? IMPORT_EXIT.rejectedRows : IMPORT_EXIT.accepted;
}

export async function runImport(
  deps: { graph: Graph; config: Config; jobs: JobQueue },
  opts: ImportOptions,
  out: Out,
): Promise<number> {
  const { config } = deps;
  if (!/^1[0-9]{7}$/.test(opts.ao)) {
    out.stderr.write("--ao must be the awarding organisation's UKPRN (8 digits starting with 1)\n");
    return IMPORT_EXIT.usage;
  }
  if (opts.batchId !== undefined && !new RegExp(IDEMPOTENCY_KEY_PATTERN).test(opts.batchId)) {
    out.stderr.write('--batch-id may hold letters, digits, . _ - (at most 64, starting with a letter or digit)\n');
    return IMPORT_EXIT.usage;
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

  const display = progressDisplay(out);
  for (;;) {
    const batch = (await getBatch(deps.graph, id))!;
    if (batch.status === 'completed' || batch.status === 'failed') {
      if (batch.status === 'completed') display.done();
      out.stdout.write(
        `${summaryText({ ...batch, duration: durationOf(batch, new Date()), ...batchUrls(config, id) })}\n`,
      );
      return exitFor(batch.status, batch.rejected);
    }
    const job = await Job.fromId(deps.jobs.queue, jobIdFor(id));
    const progress = (job?.progress ?? null) as BatchProgress | number | null;
    const percent = typeof progress === 'object' && progress !== null ? progress.percent : 0;
    const label =
      typeof progress === 'object' && progress !== null
        ? `${progress.pass} ${progress.processed}/${progress.total} rows`
        : batch.status;
    display.show(percent, label, batch.status === 'received');
    await new Promise((r) => setTimeout(r, opts.every ?? 500));
  }
}

export interface HttpImportOptions {
  file: string;
  /** The service's address, e.g. https://plr.example.org */
  url: string;
  /** A bearer token of an AO user or API client with the ao-user or ao-admin role. */
  token: string;
  validateOnly: boolean;
  batchId?: string;
  /** Poll interval, ms. */
  every?: number;
}

type Answer = { status: number; body: Record<string, unknown> };

async function call(url: string, init: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { message: text.slice(0, 200) };
  }
  return { status: res.status, body };
}

const said = (b: Record<string, unknown>, key: string): string => (typeof b[key] === 'string' ? b[key] : '');

/** `plr import FILE --url URL --token TOKEN`: the batch goes through the HTTP API. */
export async function runHttpImport(opts: HttpImportOptions, out: Out): Promise<number> {
  let root: string;
  try {
    const base = new URL(opts.url);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http');
    root = base.href.replace(/\/+$/, '');
  } catch {
    out.stderr.write(`--url must be the service's http:// or https:// address; got ${JSON.stringify(opts.url)}\n`);
    return IMPORT_EXIT.usage;
  }
  if (opts.batchId !== undefined && !new RegExp(IDEMPOTENCY_KEY_PATTERN).test(opts.batchId)) {
    out.stderr.write('--batch-id may hold letters, digits, . _ - (at most 64, starting with a letter or digit)\n');
    return IMPORT_EXIT.usage;
  }
  let blob: Blob;
  try {
    blob = await openAsBlob(opts.file);
  } catch {
    out.stderr.write(`cannot open ${opts.file}\n`);
    return IMPORT_EXIT.failed;
  }
  const headers = { authorization: `Bearer ${opts.token}` };
  const form = new FormData();
  if (opts.validateOnly) form.append('validateOnly', 'true');
  if (opts.batchId) form.append('batchId', opts.batchId);
  form.append('file', blob, path.basename(opts.file));
  let sent: Answer;
  try {
    sent = await call(`${root}/achievements/batches`, { method: 'POST', body: form, headers });
  } catch (err) {
    out.stderr.write(`cannot reach ${root}: ${(err as Error).message}\n`);
    return IMPORT_EXIT.failed;
  }
  if (sent.status >= 300) {
    out.stderr.write(
      `refused (HTTP ${sent.status} ${said(sent.body, 'code')}), nothing was stored: ${said(sent.body, 'message')}\n`,
    );
    return IMPORT_EXIT.failed;
  }
  const first = sent.body as unknown as BatchView;
  out.stderr.write(
    `batch ${first.id}${sent.status === 202 ? '' : ' (sent before: following the first batch)'}: ${first.rows} rows, ${first.kind.toUpperCase()}${opts.validateOnly ? ', validate only' : ''}\n`,
  );
  const display = progressDisplay(out);
  for (;;) {
    const got = await call(`${root}/achievements/batches/${encodeURIComponent(first.id)}`, { headers });
    if (got.status !== 200) {
      out.stderr.write(`\ncannot read batch ${first.id} (HTTP ${got.status}): ${said(got.body, 'message')}\n`);
      return IMPORT_EXIT.failed;
    }
    const b = got.body as unknown as BatchView;
    if (b.status === 'completed' || b.status === 'failed') {
      if (b.status === 'completed') display.done();
      out.stdout.write(`${summaryText({ ...b, ...b.counts })}\n`);
      return exitFor(b.status, b.counts.rejected);
    }
    display.show(
      b.progress.percent,
      `${b.progress.pass} ${b.progress.processed}/${b.rows} rows`,
      b.status === 'received',
    );
    await new Promise((r) => setTimeout(r, opts.every ?? 500));
  }
}
