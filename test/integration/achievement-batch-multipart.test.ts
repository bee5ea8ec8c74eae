import t from 'tap';
import { gzipSync } from 'node:zlib';
import { existsSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { setupApp, tokenFor } from '../helpers/app.js';
import { RECORD_FIELDS } from '../../src/achievements/rows.js';
import { listBatches } from '../../src/achievements/batches/repository.js';
import { batchesDir } from '../../src/achievements/batches/service.js';

const CSV = `${RECORD_FIELDS.join(',')}\r\nA1,ADD,9276308686,Ada,Lovelace,2000-01-01,F,J/617/2480,,2025-06-02,Pass,3,1,,en\r\n`;
const part = (boundary: string, body = CSV) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n${body}\r\n`;
const whole = (boundary: string) => `${part(boundary)}--${boundary}--\r\n`;

t.test('malformed multipart uploads are each a clear 4xx, and nothing is kept', async (t) => {
  const { app, config } = await setupApp(t);
  const token = await tokenFor(app, 'ao-user');
  const send = (payload: string | Buffer, headers: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/achievements/batches?validateOnly=true',
      payload,
      headers: { authorization: `Bearer ${token}`, ...headers },
    });
  const B = 'plr-boundary-1';
  const form = { 'content-type': `multipart/form-data; boundary=${B}` };
  const cases: [string, string | Buffer, Record<string, string>, number, string][] = [
    ['missing closing boundary', part(B), form, 400, 'MULTIPART_MALFORMED'],
    ['body ending mid-file', part(B).slice(0, 150), form, 400, 'MULTIPART_MALFORMED'],
    ['no boundary parameter', whole(B), { 'content-type': 'multipart/form-data' }, 400, 'MULTIPART_NO_BOUNDARY'],
    [
      'Content-Encoding: gzip',
      gzipSync(whole(B)),
      { ...form, 'content-encoding': 'gzip' },
      415,
      'UNSUPPORTED_CONTENT_ENCODING',
    ],
    [
      'part headers only',
      `--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n`,
      form,
      400,
      'MULTIPART_MALFORMED',
    ],
    [
      'a 200-character boundary',
      whole('b'.repeat(200)),
      { 'content-type': `multipart/form-data; boundary=${'b'.repeat(200)}` },
      400,
      'MULTIPART_BAD_BOUNDARY',
    ],
  ];
  for (const [name, payload, headers, status, code] of cases) {
    const res = await send(payload, headers);
    t.equal(res.statusCode, status, `${name}: ${status} (${res.statusCode} ${res.body.slice(0, 200)})`);
    const body = res.json();
    t.equal(body.code, code, `${name}: ${code}`);
    t.ok(typeof body.message === 'string' && body.message.length > 20, `${name}: says what is wrong`);
  }
  const good = await send(whole(B), form);
  t.equal(good.statusCode, 202, 'the same upload well formed is taken');
  t.same(
    (await listBatches(app.deps.graph, null, 10)).map((b) => b.id),
    [good.json().id],
    'no batch but the good one',
  );
  const dir = batchesDir(config);
  t.same(
    (existsSync(dir) ? readdirSync(dir) : []).filter((f) => f.startsWith('.incoming-')),
    [],
    'no half-received file left',
  );
});

t.test('fuzzed multipart framing: never a 500, always the house error shape', async (t) => {
  const { app, config } = await setupApp(t);
  const token = await tokenFor(app, 'ao-user');
  const boundaryChars = fc.constantFrom(...'abcXYZ019-_=+.:?() "/;\\\r\n\u00e9'.split(''));
  const framing = fc.record({
    boundary: fc.oneof(fc.constant('plr-fuzz-7'), fc.string({ unit: boundaryChars, minLength: 0, maxLength: 90 })),
    declared: fc.constantFrom('same', 'other', 'none', 'quoted'),
    disposition: fc.constantFrom(
      'form-data; name="file"; filename="a.csv"',
      'form-data; name="file"',
      'form-data; name="other"; filename="a.csv"',
      'form-data',
      '',
    ),
    extraField: fc.option(fc.constantFrom('validateOnly', 'batchId', 'nonsense'), { nil: undefined }),
    newline: fc.constantFrom('\r\n', '\n'),
    closing: fc.boolean(),
    cutAt: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    noise: fc.option(
      fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.uint8Array({ minLength: 1, maxLength: 8 })),
      {
        nil: undefined,
      },
    ),
    encoding: fc.constantFrom(undefined, undefined, undefined, 'gzip', 'identity', 'br'),
  });
  await fc.assert(
    fc.asyncProperty(framing, async (f) => {
      const nl = f.newline;
      const b = f.boundary;
      let body = '';
      if (f.extraField) body += `--${b}${nl}Content-Disposition: form-data; name="${f.extraField}"${nl}${nl}true${nl}`;
      body += `--${b}${nl}${f.disposition ? `Content-Disposition: ${f.disposition}${nl}` : ''}Content-Type: text/csv${nl}${nl}${CSV}${nl}`;
      if (f.closing) body += `--${b}--${nl}`;
      let bytes = Buffer.from(body);
      if (f.noise) {
        const at = Math.floor(f.noise[0] * bytes.length);
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(f.noise[1]), bytes.subarray(at)]);
      }
      if (f.cutAt !== undefined) bytes = bytes.subarray(0, Math.floor(f.cutAt * bytes.length));
      const declared =
        f.declared === 'same'
          ? `; boundary=${b}`
          : f.declared === 'quoted'
            ? `; boundary="${b}"`
            : f.declared === 'other'
              ? '; boundary=not-the-one'
              : '';
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data${declared}`.replace(/[\r\n]/g, ' '),
      };
      if (f.encoding) headers['content-encoding'] = f.encoding;
      const res = await app.inject({
        method: 'POST',
        url: '/achievements/batches?validateOnly=true',
        payload: bytes,
        headers,
      });
      if (res.statusCode >= 500) throw new Error(`${res.statusCode} ${res.body} for ${JSON.stringify(f)}`);
      const answer = res.json();
      if (res.statusCode >= 400) {
        if (typeof answer.code !== 'string' || typeof answer.message !== 'string')
          throw new Error(`not the house error shape: ${res.body}`);
      } else if (typeof answer.id !== 'string') {
        throw new Error(`a ${res.statusCode} without a batch: ${res.body}`);
      }
    }),
    { seed: 15, numRuns: 120 },
  );
  const dir = batchesDir(config);
  t.same(
    (existsSync(dir) ? readdirSync(dir) : []).filter((name) => name.startsWith('.incoming-')),
    [],
    'no half-received file left',
  );
});
