/**
 * Achievement batch files for tests: records for registered learners, written as CSV or
 * XML, and an upload through the real HTTP server.
 */
import type { App } from '../../src/app.js';
import type { Catalogue } from '../../src/catalogue/model.js';
import { generateLearners, type GeneratedLearner } from '../../src/learners/generator.js';
import { RECORD_FIELDS, type SubmittedRecord } from '../../src/achievements/rows.js';
import { stringify } from 'csv-stringify/sync';

/** Learners the register can hold: not merged, so their rows verify as a plain match. */
export function batchLearners(count: number, seed = 5): GeneratedLearner[] {
  return generateLearners({ seed, count: Math.ceil(count * 1.1) + 5 })
    .filter((l) => !l.linkedTo)
    .slice(0, count);
}

/** `n` unit-credit ADD rows, learner by learner, with the catalogue's values. */
export function unitRows(
  catalogue: Catalogue,
  learners: GeneratedLearner[],
  n: number,
  prefix = 'R',
): SubmittedRecord[] {
  const rows: SubmittedRecord[] = [];
  const units = catalogue.units;
  for (let i = 0; i < n; i++) {
    const l = learners[i % learners.length];
    const u = units[Math.floor(i / learners.length) % units.length];
    rows.push({
      record_id: `${prefix}${String(i + 1).padStart(6, '0')}`,
      action: 'ADD',
      uln: l.uln,
      given_name: l.givenName,
      family_name: l.familyName,
      date_of_birth: l.dateOfBirth,
      gender: l.gender,
      urn: u.urn,
      qan: '',
      award_date: '2025-06-02',
      grade: 'Pass',
      credit: String(u.credit),
      level: u.level,
      provider_ukprn: '',
      language: 'en',
    });
  }
  return rows;
}

/** An AO's file as its own system writes it (plain RFC 4180: no formula escaping, which is for the service's output). */
export function toCsv(rows: SubmittedRecord[]): string {
  return stringify([[...RECORD_FIELDS], ...rows.map((r) => RECORD_FIELDS.map((f) => r[f] ?? ''))], {
    record_delimiter: '\r\n',
  });
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function toXml(rows: SubmittedRecord[]): string {
  const body = rows
    .map(
      (r) =>
        `  <record>\n${RECORD_FIELDS.filter((f) => (r[f] ?? '') !== '')
          .map((f) => `    <${f}>${esc(r[f]!)}</${f}>\n`)
          .join('')}  </record>\n`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<achievements>\n${body}</achievements>\n`;
}

export interface UploadOptions {
  token: string;
  fileName?: string;
  validateOnly?: boolean;
  batchId?: string;
  idempotencyKey?: string;
}

/** POST /achievements/batches through the listening server. */
export async function upload(
  base: string,
  content: string | Buffer,
  opts: UploadOptions,
): Promise<{ status: number; body: Record<string, any> }> {
  const form = new FormData();
  if (opts.validateOnly !== undefined) form.append('validateOnly', String(opts.validateOnly));
  if (opts.batchId) form.append('batchId', opts.batchId);
  form.append(
    'file',
    new Blob([typeof content === 'string' ? content : new Uint8Array(content)]),
    opts.fileName ?? 'batch.csv',
  );
  const headers: Record<string, string> = { authorization: `Bearer ${opts.token}` };
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  const res = await fetch(`${base}/achievements/batches`, { method: 'POST', body: form, headers });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

export async function listen(app: App): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** Wait until a batch has finished (completed or failed), reading it through the API. */
export async function waitForBatch(app: App, token: string, id: string, ms = 60_000): Promise<Record<string, any>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await app.inject({
      url: `/achievements/batches/${encodeURIComponent(id)}`,
      headers: { authorization: `Bearer ${token}` },
    });
    const body = res.json();
    if (body.status === 'completed' || body.status === 'failed') return body;
    if (Date.now() > deadline) throw new Error(`batch ${id} still ${body.status} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
