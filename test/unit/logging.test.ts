import t from 'tap';
import pino from 'pino';
import { Writable } from 'node:stream';
import { loggerOptions, PERSONAL_FIELDS } from '../../src/platform/logging.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream };
}

t.test('personal details are censored wherever they sit', async (t) => {
  const { lines, stream } = capture();
  const log = pino(loggerOptions('info'), stream);
  const person = {
    givenName: 'Ada',
    familyName: 'Lovelace',
    previousFamilyName: 'Byron',
    dateOfBirth: '1815-12-10',
    gender: 'F',
    postcode: 'W1 1AA',
    email: 'ada@example.org',
    uln: '9276308686',
  };
  log.info(person, 'top level');
  log.info({ learner: person }, 'one down');
  log.info({ batch: { row: person } }, 'two down');
  log.info({ a: { b: { c: person } } }, 'three down');
  const all = lines.join('');
  for (const secret of ['Ada', 'Lovelace', 'Byron', '1815-12-10', 'W1 1AA', 'ada@example.org']) {
    t.notMatch(all, secret, `${secret} is not logged`);
  }
  t.match(all, '9276308686', 'the ULN (an identifier, not a personal detail) stays');
  t.equal(all.split('[personal]').length - 1, PERSONAL_FIELDS.filter((f) => f in person).length * 4);
});

t.test('request URLs are logged without their query string', async (t) => {
  const { lines, stream } = capture();
  const log = pino(loggerOptions('info'), stream);
  log.info({ req: { method: 'GET', url: '/verify?givenName=Ada&familyName=Lovelace', id: 'r1' } }, 'incoming');
  const all = lines.join('');
  t.notMatch(all, 'Lovelace');
  t.match(all, '"url":"/verify"');
});

t.test('record-link tokens are not logged', async (t) => {
  const { lines, stream } = capture();
  const log = pino(loggerOptions('info'), stream);
  log.info(
    { req: { method: 'GET', url: '/record-links/eyJhbGciOiJFUzI1NiJ9.payload.sig?format=pdf', id: 'r2' } },
    'incoming',
  );
  const all = lines.join('');
  t.notMatch(all, 'eyJhbGciOiJFUzI1NiJ9');
  t.match(all, '"url":"/record-links/[token]"');
});
