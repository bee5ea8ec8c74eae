import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RECORD_FIELDS, type SubmittedRecord } from '../../src/achievements/rows.js';
import {
  BatchFileError,
  detectKind,
  headerColumns,
  inspectFile,
  readItems,
  type FileItem,
} from '../../src/achievements/batches/file.js';
import {
  addChunk,
  chunksDone,
  chunksOfPass,
  durationOf,
  inFileOrder,
  percentDone,
  rejectedRows,
  summaryText,
  TARGET_SECONDS,
} from '../../src/achievements/batches/chunks.js';
import { stringify } from 'csv-stringify/sync';

const dir = mkdtempSync(path.join(os.tmpdir(), 'plr-batch-unit-'));
let n = 0;
const file = (content: string | Buffer) => {
  const p = path.join(dir, `f${n++}`);
  writeFileSync(p, content);
  return p;
};
const rec = (id: string, extra: SubmittedRecord = {}): SubmittedRecord => ({
  record_id: id,
  action: 'ADD',
  uln: '9276308686',
  urn: 'J/617/2480',
  ...extra,
});
const csvLine = (values: string[]) => stringify([values], { record_delimiter: '\r\n' });
const csv = (rows: SubmittedRecord[]) =>
  csvLine([...RECORD_FIELDS]) + rows.map((r) => csvLine(RECORD_FIELDS.map((f) => r[f] ?? ''))).join('');
const xml = (rows: SubmittedRecord[]) =>
  `<?xml version="1.0"?>\n<achievements>${rows
    .map(
      (r) =>
        `<record>${RECORD_FIELDS.filter((f) => r[f])
          .map((f) => `<${f}>${r[f]}</${f}>`)
          .join('')}</record>`,
    )
    .join('\n')}</achievements>`;
const all = async (it: AsyncIterable<FileItem>) => {
  const out: FileItem[] = [];
  for await (const x of it) out.push(x);
  return out;
};
async function* items(list: FileItem[]) {
  yield* list;
}

t.test('the kind comes from the content', async (t) => {
  t.equal(detectKind(Buffer.from('\uFEFF  <?xml version="1.0"?><achievements/>')), 'xml');
  t.equal(detectKind(Buffer.from(`${RECORD_FIELDS.join(',')}\r\n`)), 'csv');
  t.throws(() => detectKind(Buffer.alloc(0)), { code: 'BATCH_EMPTY' });
  t.throws(() => detectKind(Buffer.from(' \n\t')), { code: 'BATCH_EMPTY' });
  t.throws(() => detectKind(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01])), {
    code: 'BATCH_NOT_CSV_OR_XML',
    status: 415,
  });
  t.throws(() => detectKind(Buffer.from('{"a": 1}')), { code: 'BATCH_NOT_CSV_OR_XML' });
  t.throws(() => detectKind(Buffer.from('Dear service desk, please load these')), { code: 'BATCH_NOT_CSV_OR_XML' });
});

t.test('the CSV header: any order, every field once, nothing else, and no file text echoed', async (t) => {
  t.same(headerColumns([...RECORD_FIELDS].reverse()), [...RECORD_FIELDS].reverse());
  t.same(headerColumns(RECORD_FIELDS.map((f) => ` ${f.toUpperCase()} `)), [...RECORD_FIELDS]);
  const err = t.throws(() => headerColumns(['record_id', 'Lovelace', ...RECORD_FIELDS.slice(2)])) as BatchFileError;
  t.equal(err.code, 'BATCH_WRONG_HEADER');
  t.match(err.message, /missing action; column\(s\) 2 are not interface fields/);
  t.notMatch(err.message, /Lovelace/);
  t.throws(() => headerColumns([...RECORD_FIELDS, 'uln']), { message: /repeated uln/ });
});

t.test('CSV and XML give the same items with the same row numbers', async (t) => {
  const rows = [
    rec('A1', { given_name: 'Zoë', family_name: "O'Brien-Smith" }),
    rec('A2', { qan: '501/1855/9', urn: '' }),
    rec('A3', { grade: 'a, "b"' }),
  ];
  const fromCsv = await all(readItems(file(csv(rows) + '\r\n\r\n'), 'csv'));
  const fromXml = await all(readItems(file(xml(rows).replace('a, "b"', 'a, &quot;b&quot;')), 'xml'));
  const clean = (list: FileItem[]) =>
    list.map((i) => ({
      row: i.row,
      record: Object.fromEntries(Object.entries(i.record ?? {}).filter(([, v]) => v !== '')),
    }));
  t.same(clean(fromCsv), clean(fromXml));
  t.same(
    fromCsv.map((i) => i.row),
    [1, 2, 3],
  );
  t.equal(fromCsv[2].record?.grade, 'a, "b"');
});

t.test('a malformed row is a row problem and reading goes on', async (t) => {
  const text = csv([rec('A1'), rec('A2'), rec('A3')]).split('\r\n');
  text[2] = 'A2,ADD';
  const got = await all(readItems(file(text.join('\r\n')), 'csv'));
  t.same(
    got.map((i) => i.problem?.code ?? i.record?.record_id),
    ['A1', 'ROW_FIELD_COUNT', 'A3'],
  );

  const x = xml([rec('B1'), rec('B2'), rec('B3')])
    .replace('<record_id>B2</record_id>', '<record_id>B2</record_id><colour>red</colour>')
    .replace(/<\/record><\/achievements>$/, '<uln>1</uln></record></achievements>');
  const gx = await all(readItems(file(x), 'xml'));
  t.same(
    gx.map((i) => i.problem?.code ?? i.record?.record_id),
    ['B1', 'ROW_UNKNOWN_FIELD', 'ROW_REPEATED_FIELD'],
  );
  t.equal(gx[1].problem?.recordId, 'B2', 'the record id is kept for the report');
});

t.test('files that cannot be read at all', async (t) => {
  await t.rejects(inspectFile(file(`${csv([rec('A1')])}"A2,ADD,`)), { code: 'BATCH_TRUNCATED' });
  await t.rejects(inspectFile(file(xml([rec('A1'), rec('A2')]).slice(0, -30))), { code: 'BATCH_TRUNCATED' });
  await t.rejects(inspectFile(file('<achievements><record><uln>1</uln></record>')), { code: 'BATCH_TRUNCATED' });
  await t.rejects(inspectFile(file('<achievements></achievements>')), { code: 'BATCH_EMPTY' });
  await t.rejects(inspectFile(file(csvLine([...RECORD_FIELDS]))), { code: 'BATCH_EMPTY' });
  await t.rejects(inspectFile(file('<credits><record/></credits>')), { code: 'BATCH_WRONG_HEADER' });
  await t.rejects(inspectFile(file('<achievements><record></achievements>')), { code: 'BATCH_NOT_READABLE' });
  await t.rejects(inspectFile(file(Buffer.concat([Buffer.from(csv([rec('A1')])), Buffer.from([0xc3, 0x28, 0x0a])]))), {
    code: 'BATCH_NOT_UTF8',
  });
  const ok = await inspectFile(
    file(csv([rec('A1'), rec('A2', { qan: '501/1855/9', urn: '' }), rec('A3')]).replace('A3,ADD', 'A3')),
  );
  t.same(ok, { kind: 'csv', rows: 3, unitRows: 1, qualificationRows: 1, malformedRows: 1 });
});

t.test('a field or a row past its limit: the field is a row problem, the row refuses the file', async (t) => {
  const limits = { maxFieldChars: 50, maxRowChars: 2_000 };
  const long = 'x'.repeat(51);
  const got = await all(readItems(file(csv([rec('A1'), rec('A2', { given_name: long }), rec('A3')])), 'csv', limits));
  t.same(
    got.map((i) => i.problem?.code ?? i.record?.record_id),
    ['A1', 'ROW_FIELD_TOO_LONG', 'A3'],
    'CSV: that row only',
  );
  t.match(got[1].problem!.message, /row 2: given_name is longer than the 50 characters/);
  t.notMatch(got[1].problem!.message, /xxx/, 'the value is not quoted');
  const gx = await all(readItems(file(xml([rec('A1'), rec('A2', { family_name: long }), rec('A3')])), 'xml', limits));
  t.same(
    gx.map((i) => i.problem?.code ?? i.record?.record_id),
    ['A1', 'ROW_FIELD_TOO_LONG', 'A3'],
    'XML: that row only',
  );
  // A cell far past a row: refused as soon as the row passes its limit, never read whole.
  const huge = 'y'.repeat(300_000);
  await t.rejects(inspectFile(file(csv([rec('A1'), rec('A2', { given_name: huge })])), limits), {
    code: 'BATCH_ROW_TOO_LARGE',
    status: 413,
    message: /the row on line 3 is longer than the 2000 characters a row may be/,
  });
  await t.rejects(inspectFile(file(xml([rec('A1'), rec('A2', { given_name: huge })])), limits), {
    code: 'BATCH_ROW_TOO_LARGE',
    message: /record 2 is longer than the 2000 characters/,
  });
  await t.rejects(
    inspectFile(file(xml([rec('A1')]).replace('</achievements>', `<!--${huge}--></achievements>`)), limits),
    { code: 'BATCH_ROW_TOO_LARGE', message: /the text after record 1/ },
    'a huge comment between records too',
  );
  await t.rejects(
    inspectFile(file(xml([rec('A1', { given_name: `<![CDATA[${huge}]]>` })])), limits),
    { code: 'BATCH_ROW_TOO_LARGE' },
    'and a huge CDATA section',
  );
});

t.test('chunks: unit credits first, unreadable rows with them, deterministic for resuming', async (t) => {
  const list: FileItem[] = [];
  for (let i = 1; i <= 10; i++) {
    if (i === 4) list.push({ row: i, problem: { row: i, code: 'ROW_FIELD_COUNT', message: 'x' } });
    else list.push({ row: i, record: i % 3 === 0 ? { qan: '501/1855/9' } : { urn: 'J/617/2480' } });
  }
  const units = await all(chunksOfPass(items(list), 'units', 3) as AsyncIterable<never>);
  t.same(
    units.map((c: any) => [c.index, c.size, c.records.map((r: any) => r.row), c.unreadable.map((p: any) => p.row)]),
    [
      [0, 3, [1, 2], [4]],
      [1, 3, [5, 7, 8], []],
      [2, 1, [10], []],
    ],
  );
  const quals = await all(chunksOfPass(items(list), 'qualifications', 3) as AsyncIterable<never>);
  t.same(
    quals.map((c: any) => c.records.map((r: any) => r.row)),
    [[3, 6, 9]],
  );

  t.equal(chunksDone({ pass: 'units', chunk: 2 }, 'units'), 2);
  t.equal(chunksDone({ pass: 'units', chunk: 2 }, 'qualifications'), 0);
  t.equal(chunksDone({ pass: 'qualifications', chunk: 1 }, 'units'), Infinity);
  t.equal(chunksDone({ pass: 'qualifications', chunk: 1 }, 'qualifications'), 1);
  t.equal(chunksDone({ pass: 'done', chunk: 0 }, 'qualifications'), Infinity);
});

t.test('counts, order, duration and progress', async (t) => {
  const problems = [
    { row: 9, code: 'E013', message: 'a' },
    { row: 2, code: 'E004', message: 'b' },
    { row: 9, code: 'E015', message: 'c' },
  ];
  t.equal(rejectedRows(problems), 2, 'rows, not problems');
  t.same(
    inFileOrder(problems).map((p) => p.code),
    ['E004', 'E013', 'E015'],
  );
  t.same(
    addChunk(
      { accepted: 1, rejected: 1, unchanged: 1, late: 1, problems: 1, processed: 10 },
      { accepted: 5, late: 2, unchanged: 1, rejected: problems },
      9,
    ),
    { accepted: 6, rejected: 3, unchanged: 2, late: 3, problems: 4, processed: 19 },
  );

  const now = new Date('2026-01-04T00:00:00Z');
  t.same(
    durationOf({ receivedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:30Z', status: 'completed' }, now),
    { seconds: 90, targetSeconds: TARGET_SECONDS, withinTarget: true },
  );
  t.same(
    durationOf(
      { receivedAt: '2026-01-01T00:00:00Z', finishedAt: null, status: 'loading' },
      new Date('2026-01-01T01:00:00Z'),
    ).withinTarget,
    null,
    'running inside the target: not yet known',
  );
  t.equal(
    durationOf({ receivedAt: '2026-01-01T00:00:00Z', finishedAt: null, status: 'loading' }, now).withinTarget,
    false,
    'running past 48 hours: missed',
  );
  t.equal(percentDone(1, 3), 33.3);
  t.equal(percentDone(0, 0), 100);
});

t.test('the email text', async (t) => {
  const text = summaryText({
    id: 'b1',
    status: 'completed',
    validateOnly: true,
    fileName: 'june.csv',
    rows: 10,
    accepted: 8,
    rejected: 2,
    unchanged: 0,
    late: 1,
    failure: null,
    duration: { seconds: 75, targetSeconds: TARGET_SECONDS, withinTarget: true },
    statusUrl: 'http://x/s',
    reportUrl: 'http://x/r.csv',
  });
  t.match(text, /batch b1 has completed \(validate only: nothing was stored\)/);
  t.match(text, /Accepted: 8 \(would be accepted\)/);
  t.match(text, /1 min 15 s \(target: within 48 hours, met\)/);
  t.match(text, /Report of rejected rows \(CSV\): http:\/\/x\/r\.csv/);
});
