import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { errorBody, setupApp, tokenFor } from '../helpers/app.js';
import { learner, loadSample, credit, recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';
import { registerEntries } from '../../src/learners/repository.js';
import {
  LearnerFileChangedError,
  describeLearnerReport,
  loadLearnerFile,
  loadLearnerSource,
  runLearnerLoad,
  textSource,
} from '../../src/learners/register/load.js';
import { LEARNER_COLUMNS } from '../../src/learners/register/csv.js';
import { generateLearners } from '../../src/learners/generator.js';
import type { Role } from '../../src/platform/auth.js';
import type { App } from '../../src/app.js';
import { validUlns } from '../helpers/ulns.js';

const SAMPLE = path.join(PROJECT_ROOT, 'samples', 'learners.sample.csv');
const dir = mkdtempSync(path.join(tmpdir(), 'plr-learners-'));
const HEADER = LEARNER_COLUMNS.join(',');

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** The sample file's rows as column -> value maps. */
function sampleRows(): Record<string, string>[] {
  const [head, ...lines] = readFileSync(SAMPLE, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

function csvOf(rows: Record<string, string>[]): string {
  return `${HEADER}\n${rows.map((r) => LEARNER_COLUMNS.map((c) => r[c] ?? '').join(',')).join('\n')}\n`;
}

async function as(app: App, role: Role) {
  return { authorization: `Bearer ${await tokenFor(app, role)}` };
}

t.test('plr learners load: the sample file, twice, then a change', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const rows = sampleRows();
  const ulns = rows.map((r) => r.uln);

  const printed: string[] = [];
  t.equal(await runLearnerLoad(graph, SAMPLE, (l) => printed.push(l)), 0, 'the sample loads');
  t.match(printed.join('\n'), new RegExp(`${rows.length} created, 0 updated, 0 unchanged`));

  const stored = await registerEntries(graph, ulns);
  t.equal(stored.size, rows.length, 'every learner is on the register');
  const linkedRow = rows.find((r) => r.linked_to !== '')!;
  t.equal(stored.get(linkedRow.uln)!.linkedTo, linkedRow.linked_to, 'the merge link is stored');
  const unavailable = rows.find((r) => r.available === 'false')!;
  t.equal(stored.get(unavailable.uln)!.available, false, 'availability is set for a new learner');
  const noEmail = rows.find((r) => r.email === '')!;
  t.equal(stored.get(noEmail.uln)!.details!.email, null, 'an empty optional column stores nothing');
  t.equal(stored.get(rows[0].uln)!.details!.dateOfBirth, rows[0].date_of_birth);

  const again = await loadLearnerFile(graph, SAMPLE);
  t.ok(again.ok && again.loaded);
  if (again.ok && again.loaded)
    t.same(
      [again.report.created, again.report.updated, again.report.unchanged],
      [0, 0, rows.length],
      'loading again changes nothing',
    );
  t.same(await registerEntries(graph, ulns), stored, 'and the register reads the same');

  // One learner moves house, another's file says unavailable: only the first is an update.
  const changed = rows.map((r) => ({ ...r }));
  changed[1].postcode = 'ls1 4ap';
  changed[2].available = 'false';
  const third = await loadLearnerFile(graph, file('changed.csv', csvOf(changed)));
  t.ok(third.ok && third.loaded);
  if (third.ok && third.loaded) {
    t.same(
      [third.report.created, third.report.updated, third.report.unchanged, third.report.availabilityKept],
      [0, 1, rows.length - 1, 1],
    );
  }
  if (third.ok && third.loaded)
    t.match(describeLearnerReport(third.report).join('\n'), /1 existing learner kept their availability/);
  const after = await registerEntries(graph, [changed[1].uln, changed[2].uln]);
  t.equal(after.get(changed[1].uln)!.details!.postcode, 'LS1 4AP', 'stored in canonical form');
  t.equal(after.get(changed[2].uln)!.available, true, "a file does not change an existing learner's availability");
});

t.test('a file with any bad row stores nothing, and says where each problem is', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const [a, b, c, d] = validUlns(620004000, 4);
  const text = [
    HEADER,
    `${a},Hester,Quayle,,2001-05-05,F,PL1 2AB,,,`,
    `${b},Hester,Quayle,,2031-05-05,F,PL1 2AB,,,`,
    `${a},Dora,Vance,,2000-01-01,F,,,,`,
    '',
    `${c},Dora,Vance,,2000-01-01,Q,,not-an-email,,`,
    `${d},Ned,Ince,,1999-09-09,M,,,,${d}`,
    `${d.slice(0, 9)},Ned,Ince,,1999-09-09,M,,,`,
  ].join('\n');
  const printed: string[] = [];
  t.equal(await runLearnerLoad(graph, file('bad.csv', text), (l) => printed.push(l)), 1, 'refused');
  const result = await loadLearnerFile(graph, file('bad.csv', text));
  t.notOk(result.ok);
  if (result.ok) return;
  t.same(
    result.errors.map((e) => [e.row, e.field, e.code]),
    [
      [3, 'date_of_birth', 'date-in-future'],
      [4, 'uln', 'duplicate-uln'],
      [6, 'gender', 'gender-invalid'],
      [6, 'email', 'email-invalid'],
      [7, 'linked_to', 'linked-to-self'],
      [8, '', 'field-count'],
    ],
  );
  t.equal(result.errorCount, 6);
  t.equal((await registerEntries(graph, [a, b, c, d])).size, 0, 'nothing was stored, not even the good row');
  t.match(printed.join('\n'), /row 3 date_of_birth \[date-in-future\]/, 'the command prints row, column and code');
  t.notMatch(printed.join('\n'), /Hester|Quayle|2031-05-05|PL1/, 'and no personal detail');
});

t.test('file-level problems', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const codes = async (p: string) => {
    const r = await loadLearnerFile(graph, p);
    return r.ok ? [] : r.errors.map((e) => e.code);
  };
  t.same(await codes(path.join(dir, 'no-such-file.csv')), ['unreadable-file']);
  t.same(await codes(file('empty.csv', '\n\n')), ['empty-file']);
  t.same(await codes(file('quotes.csv', `${HEADER}\n"${validUlns(620005000, 1)[0]}"x,A,B,,2000-01-01,F,,,,\n`)), [
    'csv-syntax',
  ]);
  t.same(await codes(file('header.csv', 'uln,given_name,surname,date_of_birth,gender\n')), [
    'unknown-column',
    'missing-column',
  ]);
  t.same(await codes(file('dup-header.csv', 'uln,given_name,family_name,date_of_birth,gender,GENDER\n')), [
    'duplicate-column',
  ]);
  const bom = await loadLearnerFile(
    graph,
    file('bom.csv', `\ufeff${HEADER}\r\n${validUlns(620005100, 1)[0]},Ada,Byron,,2000-01-01,F,,,,\r\n`),
  );
  t.ok(bom.ok, 'a byte-order mark and CRLF line ends are fine');
});

t.test('a file that changes between checking and writing is not half loaded', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const [a, b] = validUlns(620005500, 2);
  const good = `${HEADER}\n${a},Ada,Byron,,2000-01-01,F,,,,\n${b},Ada,Byron,,2000-01-01,F,,,,\n`;
  const variants: [string, string][] = [
    ['a row turned bad', `${HEADER}\n${a},Ada,Byron,,2000-01-01,F,,,,\n${b},Ada,Byron,,2000-01-01,Q,,,,\n`],
    ['a row went missing', `${HEADER}\n${a},Ada,Byron,,2000-01-01,F,,,,\n`],
    ['the header changed', `uln,given_name\n${a},Ada\n`],
  ];
  for (const [name, second] of variants) {
    let reads = 0;
    const source = () => textSource(reads++ === 0 ? good : second)();
    await t.rejects(loadLearnerSource(graph, source), LearnerFileChangedError, name);
    t.equal((await registerEntries(graph, [a, b])).size, 0, `${name}: nothing was stored`);
  }
});

t.test('merge links must lead to a registered master', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const [master, merged, fresh, other, unknown] = validUlns(620006000, 5);
  await upsertLearners(graph, [learner(master), learner(merged, { linkedTo: master })]);
  const text = [
    HEADER,
    `${fresh},Ada,Lovelace,,2004-12-10,F,,,,${master}`,
    `${other},Ada,Lovelace,,2004-12-10,F,,,,${merged}`,
    `${validUlns(620007000, 1)[0]},Ada,Lovelace,,2004-12-10,F,,,,${unknown}`,
  ].join('\n');
  const result = await loadLearnerFile(graph, file('links.csv', text));
  t.notOk(result.ok);
  if (!result.ok)
    t.same(
      result.errors.map((e) => [e.row, e.code]),
      [
        [3, 'linked-to-linked'],
        [4, 'linked-to-unknown'],
      ],
    );

  const good = await loadLearnerFile(
    graph,
    file('links-good.csv', `${HEADER}\n${fresh},Ada,Lovelace,,2004-12-10,F,,,,${master}\n`),
  );
  t.ok(good.ok && good.loaded, 'a link to a registered master loads');
});

t.test('large files: chunked transactions; a learner known only from an achievement is created', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const learners = generateLearners({ seed: 11, count: 300, referenceDate: '2026-01-01' });
  const text = `${HEADER}\n${learners
    .map((l) =>
      [
        l.uln,
        l.givenName,
        l.familyName,
        l.previousFamilyName ?? '',
        l.dateOfBirth,
        l.gender,
        l.postcode ?? '',
        l.email ?? '',
        String(l.available),
        l.linkedTo ?? '',
      ]
        .map((v) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v))
        .join(','),
    )
    .join('\n')}\n`;
  const p = file('generated.csv', text);

  const c = await loadSample(graph);
  await recordUnitCredits(graph, [credit(c, learners[0].uln, 'F/603/2201', 'stub-1')]);

  const progress: number[] = [];
  const first = await loadLearnerFile(graph, p, {
    singleTransactionRows: 100,
    chunkSize: 64,
    onProgress: (x) => progress.push(x.done),
  });
  t.ok(first.ok && first.loaded);
  if (!(first.ok && first.loaded)) return;
  t.equal(first.report.mode, 'chunked');
  t.equal(first.report.transactions, Math.ceil(300 / 64));
  t.same(
    [first.report.created, first.report.updated, first.report.unchanged],
    [300, 0, 0],
    'the achievement-only learner counts as created',
  );
  t.equal(progress.at(-1), 300);
  const second = await loadLearnerFile(graph, p, { singleTransactionRows: 100, chunkSize: 64 });
  if (second.ok && second.loaded)
    t.same([second.report.created, second.report.updated, second.report.unchanged], [0, 0, 300]);
  const validated = await loadLearnerFile(graph, p, { validateOnly: true });
  t.same(validated, { ok: true, rows: 300, loaded: false }, 'validate-only writes nothing and says so');
  const printed: string[] = [];
  t.equal(await runLearnerLoad(graph, p, (l) => printed.push(l), { validateOnly: true }), 0);
  t.match(printed.at(-1), /valid: 300 learners \(nothing was written\)/);
});

t.test('POST /learners: register one learner', async (t) => {
  const { app } = await setupApp(t);
  const [uln, master, other] = validUlns(620008000, 3);
  const body = {
    uln,
    givenName: 'Perdita',
    familyName: 'Ashworth',
    dateOfBirth: '2007-08-09',
    gender: 'F',
    postcode: 'yo1 7hh',
    email: 'perdita@example.org',
  };
  const headers = await as(app, 'ao-user');

  const created = await app.inject({ method: 'POST', url: '/learners', payload: body, headers });
  t.equal(created.statusCode, 201);
  t.same(created.json(), {
    created: true,
    learner: {
      uln,
      givenName: 'Perdita',
      familyName: 'Ashworth',
      previousFamilyName: null,
      dateOfBirth: '2007-08-09',
      gender: 'F',
      postcode: 'YO1 7HH',
      email: 'perdita@example.org',
      linkedTo: null,
      available: true,
    },
  });

  const operator = await as(app, 'operator');
  const same = await app.inject({
    method: 'POST',
    url: '/learners',
    payload: { ...body, gender: 'female', postcode: 'YO1 7HH', givenName: ' Perdita ' },
    headers: operator,
  });
  t.equal(same.statusCode, 200, 'the same details, spelt differently: identical (the operator is told)');
  t.equal(same.json().created, false);

  const conflict = await app.inject({
    method: 'POST',
    url: '/learners',
    payload: { ...body, familyName: 'Ashford', email: undefined },
    headers: operator,
  });
  t.equal(conflict.statusCode, 409);
  t.equal(conflict.json().code, 'CONFLICT');
  t.same(conflict.json().details.fields, ['familyName', 'email']);
  t.match(conflict.json().message, /amendment/);
  t.notMatch(conflict.json().message, /Ashworth|Ashford|perdita/, 'no details in the message');

  const future = await app.inject({
    method: 'POST',
    url: '/learners',
    payload: { ...body, uln: other, dateOfBirth: '2999-01-01' },
    headers,
  });
  t.equal(future.statusCode, 400);
  t.same(
    future.json().details.map((d: any) => [d.field, d.code]),
    [['dateOfBirth', 'date-in-future']],
  );
  t.notMatch(future.json().message, /2999/);

  const missing = await app.inject({
    method: 'POST',
    url: '/learners',
    payload: { ...body, uln: other, gender: undefined },
    headers,
  });
  t.equal(missing.statusCode, 400);
  t.ok(
    missing.json().details.some((d: any) => d.field === 'gender'),
    'a missing field is named',
  );

  const several = await app.inject({
    method: 'POST',
    url: '/learners',
    payload: { ...body, uln: '1234567890', postcode: 'nowhere', email: 'x' },
    headers,
  });
  t.same(
    several.json().details.map((d: any) => d.field),
    ['uln', 'postcode', 'email'],
    'every bad field is named',
  );

  const unknownMaster = await app.inject({
    method: 'POST',
    url: '/learners',
    payload: { ...body, uln: other, linkedTo: master },
    headers,
  });
  t.equal(unknownMaster.statusCode, 400);
  t.same(
    unknownMaster.json().details.map((d: any) => [d.field, d.code]),
    [['linkedTo', 'linked-to-unknown']],
  );
  t.equal((await registerEntries(app.deps.graph, [other])).size, 0, 'nothing stored for a refused registration');

  const merged = validUlns(620008500, 2);
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/learners',
        payload: { ...body, uln: merged[0], linkedTo: uln },
        headers,
      })
    ).statusCode,
    201,
    'a duplicate merged into a registered master',
  );
  const chained = await app.inject({
    method: 'POST',
    url: '/learners',
    payload: { ...body, uln: merged[1], linkedTo: merged[0] },
    headers,
  });
  t.same(
    chained.json().details.map((d: any) => [d.field, d.code]),
    [['linkedTo', 'linked-to-linked']],
    'but not into a duplicate',
  );

  const extra = await app.inject({
    method: 'POST',
    url: '/learners',
    payload: { ...body, nickname: 'Perdy' },
    headers,
  });
  t.equal(extra.statusCode, 400, 'unknown fields are refused');

  for (const role of ['learner', 'analyst', 'careers-adviser'] as Role[]) {
    t.equal(
      (await app.inject({ method: 'POST', url: '/learners', payload: body, headers: await as(app, role) })).statusCode,
      403,
      `${role} may not register learners`,
    );
  }
  t.equal((await app.inject({ method: 'POST', url: '/learners', payload: body })).statusCode, 401);
});

t.test(
  'registration is not an oracle: every role that may register, bar the operator, learns only "already registered"',
  async (t) => {
    const { app } = await setupApp(t);
    const [uln] = validUlns(620011000, 1);
    const body = {
      uln,
      givenName: 'Isolde',
      familyName: 'Penhallow',
      dateOfBirth: '2006-04-05',
      gender: 'F',
      postcode: 'TR1 2AB',
      email: 'isolde.p@example.org',
      available: false,
    };
    t.equal(
      (await app.inject({ method: 'POST', url: '/learners', payload: body, headers: await as(app, 'operator') }))
        .statusCode,
      201,
    );
    const guesses = [
      body,
      { ...body, email: 'wrong@example.org' },
      { ...body, postcode: 'ZZ1 1ZZ', familyName: 'Penhallowe' },
      { ...body, dateOfBirth: '2006-04-06', email: undefined, postcode: undefined },
    ];
    for (const role of ['ao-user', 'ao-admin', 'provider-user', 'provider-admin'] as const) {
      const answers = [];
      for (const guess of guesses) {
        const res = await app.inject({
          method: 'POST',
          url: '/learners',
          payload: guess,
          headers: await as(app, role),
        });
        answers.push({ status: res.statusCode, body: errorBody(res) });
        t.notMatch(res.body, /Isolde|Penhallow|isolde|TR1|2006-04/, `${role}: nothing echoed`);
      }
      t.same(
        answers,
        guesses.map(() => ({
          status: 409,
          body: { code: 'ALREADY_REGISTERED', message: 'a learner with this ULN is already registered' },
        })),
        `${role}: one answer whether every guess is right or not`,
      );
    }
  },
);

t.test('two registrations of one ULN at once: one creates, the other sees it', async (t) => {
  const { app } = await setupApp(t);
  const [uln] = validUlns(620009000, 1);
  const headers = await as(app, 'ao-admin');
  const body = { uln, givenName: 'Ottilie', familyName: 'Strand', dateOfBirth: '2005-01-02', gender: 'F' };
  const answers = await Promise.all([
    app.inject({ method: 'POST', url: '/learners', payload: body, headers }),
    app.inject({ method: 'POST', url: '/learners', payload: { ...body, familyName: 'Strange' }, headers }),
  ]);
  t.same(answers.map((a) => a.statusCode).sort(), [201, 409]);
});

t.test('POST /learners/import (service operator)', async (t) => {
  const { app } = await setupApp(t);
  const text = readFileSync(SAMPLE, 'utf8');
  const rows = sampleRows().length;
  const headers = { ...(await as(app, 'operator')), 'content-type': 'text/csv' };

  const refused = await app.inject({
    method: 'POST',
    url: '/learners/import',
    payload: text,
    headers: { ...(await as(app, 'ao-admin')), 'content-type': 'text/csv' },
  });
  t.equal(refused.statusCode, 403, 'only the operator loads learner files');

  const check = await app.inject({ method: 'POST', url: '/learners/import?validateOnly=true', payload: text, headers });
  t.same(check.json(), { validated: true, loaded: false, rows });

  const first = await app.inject({
    method: 'POST',
    url: '/learners/import',
    payload: text,
    headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' },
  });
  t.equal(first.statusCode, 200);
  t.same([first.json().created, first.json().updated, first.json().unchanged], [rows, 0, 0]);
  const second = await app.inject({ method: 'POST', url: '/learners/import', payload: text, headers });
  t.same([second.json().created, second.json().updated, second.json().unchanged], [0, 0, rows], 'twice: unchanged');

  const [x] = validUlns(620010000, 1);
  const bad = await app.inject({
    method: 'POST',
    url: '/learners/import',
    payload: `${HEADER}\n${x},Ada,Byron,,2000-01-01,F,,,,\n${x},Ada,Byron,,2000-13-01,F,,,,\n`,
    headers,
  });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().code, 'LEARNER_FILE_INVALID');
  t.same(
    bad.json().details.errors.map((e: any) => [e.row, e.field, e.code]),
    [[3, 'date_of_birth', 'date-invalid']],
  );
  t.match(bad.json().message, /row 3, date_of_birth/);
  t.equal((await registerEntries(app.deps.graph, [x])).size, 0, 'nothing stored');

  const many = `${HEADER}\n${Array.from({ length: 1_200 }, (_, i) => `${x},Ada,Byron,,2000-01-01,Q${i},,,,`).join('\n')}\n`;
  const capped = await app.inject({ method: 'POST', url: '/learners/import', payload: many, headers });
  t.equal(capped.json().details.total, 1_200, 'every problem is counted');
  t.equal(capped.json().details.errors.length, 1_000, 'the list is capped');

  const json = await app.inject({
    method: 'POST',
    url: '/learners/import',
    payload: { rows: [] },
    headers: await as(app, 'operator'),
  });
  t.equal(json.statusCode, 400, 'a JSON body is not a learner file');
  const plain = await app.inject({
    method: 'POST',
    url: '/learners/import?validateOnly=true',
    payload: text,
    headers: { ...headers, 'content-type': 'text/plain' },
  });
  t.equal(plain.statusCode, 200, 'text/plain is read as CSV too');
  const form = await app.inject({
    method: 'POST',
    url: '/learners/import',
    payload: text,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
  });
  t.equal(form.statusCode, 415, 'a form post (curl -d without a content type) is refused');
});

t.test('GraphQL registerLearner', async (t) => {
  const { app } = await setupApp(t);
  const [uln] = validUlns(620011000, 1);
  const gql = async (query: string, role?: Role) =>
    (
      await app.inject({
        method: 'POST',
        url: '/graphql',
        payload: { query },
        headers: role ? await as(app, role) : {},
      })
    ).json();
  const mutation = (family: string, dob = '2006-06-06') =>
    `mutation { registerLearner(input: { uln: "${uln}", givenName: "Jago", familyName: "${family}", dateOfBirth: "${dob}", gender: "M", available: false }) { created learner { uln gender postcode available } } }`;

  const first = await gql(mutation('Trelawny'), 'provider-user');
  t.same(first.data.registerLearner, {
    created: true,
    learner: { uln, gender: 'M', postcode: null, available: false },
  });
  t.equal((await gql(mutation('Trelawny'), 'operator')).data.registerLearner.created, false);
  const conflict = await gql(mutation('Trelawney'), 'operator');
  t.equal(conflict.errors[0].extensions.code, 'CONFLICT');
  const invalid = await gql(mutation('Trelawny', '2006-02-30'), 'operator');
  t.equal(invalid.errors[0].extensions.code, 'VALIDATION');
  t.equal(invalid.errors[0].extensions.details[0].field, 'dateOfBirth');
  t.equal((await gql(mutation('Trelawny'), 'analyst')).errors[0].extensions.code, 'FORBIDDEN');
  t.equal((await gql(mutation('Trelawny'))).errors[0].extensions.code, 'UNAUTHORIZED');
});
