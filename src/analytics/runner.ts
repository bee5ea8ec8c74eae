/**
 * The API side of the console's worker thread (console-worker.ts): one thread per API
 * process, started on the first query, with a capped heap. Queries are sent to it and
 * answered by id; several may be in flight. When the thread dies (its heap ran out on a
 * huge answer, or it overran the time limit) every query in flight is answered and a new
 * thread starts with the next query. The API's event loop never decodes an analyst's answer.
 */
import { Worker } from 'node:worker_threads';
import type { Refusal } from './console.js';
import type { AnswerLimits } from './repository.js';

export interface WorkerSettings {
  uri: string;
  user: string;
  password: string;
  database: string;
}

export interface WorkerQuery extends AnswerLimits {
  id: number;
  text: string;
}

export type WorkerAnswer =
  | { id: number; ok: true; columns: string[]; rows: unknown[][]; truncated: boolean; labels: string[] }
  | { id: number; ok: false; kind: 'refused'; refusal: Refusal; labels: string[] }
  | { id: number; ok: false; kind: 'too-large' | 'timeout' | 'failed'; message: string; labels: string[] }
  | { id: number; ok: false; kind: 'neo4j'; code: string; message: string; labels: string[] };

/** Heap of the worker thread, MB: room for the driver and a full answer at the byte limit, not for a runaway one. */
export const WORKER_HEAP_MB = 192;

/** How long past the query's own time limit the thread may take before it is ended. */
const GRACE_MS = 5_000;

/**
 * The backstop never fires sooner than this: a thread may first have to start, or finish
 * decoding (and collecting) an answer it has already refused, on a busy machine.
 */
const BACKSTOP_MIN_MS = 30_000;

function workerScript(): { script: string | URL; eval: boolean } {
  const file = new URL(`./console-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  if (!file.pathname.endsWith('.ts')) return { script: file, eval: false };
  // TypeScript run through tsx: the thread registers tsx before it loads the worker.
  return {
    script: `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(file.href)}); })`,
    eval: true,
  };
}

interface Pending {
  resolve: (a: WorkerAnswer) => void;
  timer: NodeJS.Timeout;
  /** To send the query again, once, when the thread died under it (another query may have been the cause). */
  retry?: () => void;
}

export class ConsoleRunner {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly settings: WorkerSettings) {}

  private start(): Worker {
    const { script, eval: isEval } = workerScript();
    const worker = new Worker(script, {
      eval: isEval,
      workerData: this.settings,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 32 },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    worker.on('message', (a: WorkerAnswer) => {
      const p = this.pending.get(a.id);
      if (!p) return;
      clearTimeout(p.timer);
      this.pending.delete(a.id);
      p.resolve(a);
    });
    const fail = (err: Error | number) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const outOfMemory =
        err instanceof Error && /ERR_WORKER_OUT_OF_MEMORY/.test((err as { code?: string }).code ?? '');
      const pending = [...this.pending];
      this.pending.clear();
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        if (p.retry) {
          p.retry();
          continue;
        }
        p.resolve(
          outOfMemory
            ? {
                id,
                ok: false,
                kind: 'too-large',
                message: 'an answer was larger than the console can hold',
                labels: [],
              }
            : { id, ok: false, kind: 'failed', message: 'the console stopped while the query ran', labels: [] },
        );
      }
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    return worker;
  }

  /** Plan, check and run one query in the thread; always answers, never throws. */
  run(text: string, limits: AnswerLimits, retried = false): Promise<WorkerAnswer> {
    this.worker ??= this.start();
    const worker = this.worker;
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          // The thread overran: end it (and with it the query); the next query starts another.
          this.pending.delete(id);
          resolve({ id, ok: false, kind: 'timeout', message: 'stopped', labels: [] });
          void worker.terminate();
        },
        Math.max(limits.timeoutMs * 2 + GRACE_MS, BACKSTOP_MIN_MS),
      );
      this.pending.set(id, {
        resolve,
        timer,
        retry: retried ? undefined : () => void this.run(text, limits, true).then(resolve),
      });
      worker.postMessage({ id, text, ...limits } satisfies WorkerQuery);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}
