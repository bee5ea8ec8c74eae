import t from 'tap';
import { Writable } from 'node:stream';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../helpers/config.js';
import { access } from '../../src/platform/guard.js';
import { tokenFor, errorBody } from '../helpers/app.js';

t.test('one error shape for every failure', async (t) => {
  const app = await buildApp(testConfig());
  t.teardown(() => app.close());
  app.get('/boom', { config: { access: access.public, ocf: 'none' } }, async () => {
    throw new Error('secret internal detail at /srv/x.ts:12');
  });
  app.post(
    '/echo',
    {
      config: { access: access.public, ocf: 'none' },
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string', minLength: 2 } },
        },
      },
    },
    async (req) => req.body,
  );
  await app.ready();

  await t.test('unknown route: 404 NOT_FOUND', async (t) => {
    const res = await app.inject({ url: '/no/such/thing?x=1' });
    t.equal(res.statusCode, 404);
    t.same(errorBody(res), { code: 'NOT_FOUND', message: 'there is no GET /no/such/thing' });
  });

  await t.test('bad query parameter: 400 VALIDATION naming the field', async (t) => {
    const token = await tokenFor(app, 'operator');
    const res = await app.inject({
      url: '/operations/workers?limit=abc',
      headers: { authorization: `Bearer ${token}` },
    });
    t.equal(res.statusCode, 400);
    const body = res.json();
    t.equal(body.code, 'VALIDATION');
    t.match(body.message, /querystring/);
    t.match(body.details[0], { in: 'querystring', field: 'limit' });
  });

  await t.test('bad body: every problem is listed with its field', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { nme: 'x' } });
    t.equal(res.statusCode, 400);
    const fields = res
      .json()
      .details.map((d: { field: string }) => d.field)
      .sort();
    t.same(fields, ['name', 'nme']);
    t.match(res.json().message, /nme is not a known field/);
  });

  await t.test('malformed JSON: 400 in the same shape', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    t.equal(res.statusCode, 400);
    t.ok(res.json().code);
    t.ok(res.json().message);
  });

  await t.test('a crash: 500 with a reference and no internals', async (t) => {
    const res = await app.inject({ url: '/boom' });
    t.equal(res.statusCode, 500);
    const body = res.json();
    t.equal(body.code, 'INTERNAL');
    t.notMatch(res.body, /secret|srv|stack/);
    t.match(body.message, `(reference ${String(res.headers['x-request-id'])})`, 'the reference is the X-Request-Id');
    t.equal(body.requestId, res.headers['x-request-id']);
  });
});

t.test('request logs carry no personal details', async (t) => {
  const lines: string[] = [];
  const { default: pino } = await import('pino');
  const { loggerOptions } = await import('../../src/platform/logging.js');
  const stream = new Writable({
    write(c, _e, cb) {
      lines.push(String(c));
      cb();
    },
  });
  const config = testConfig({ LOG_LEVEL: 'info' });
  const app = await buildApp(config);
  t.teardown(() => app.close());
  // Same options as the app, written to a stream the test can read.
  const logger = pino(loggerOptions('info'), stream);
  app.get('/hello', { config: { access: access.public, ocf: 'none' } }, async (req) => {
    logger.info({ req, body: { givenName: 'Grace', postcode: 'SW1A 1AA' } }, 'handled');
    return { ok: true };
  });
  await app.ready();
  await app.inject({ url: '/hello?familyName=Hopper' });
  const all = lines.join('');
  t.match(all, 'handled');
  t.notMatch(all, /Grace|SW1A|Hopper/);
});
