import t from 'tap';
import { setupApp } from '../helpers/app.js';
import { credit, learner, loadSample, recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';
import { applyChunk, newBatchState, planChunk, submitterFor, writeChunk } from '../../src/achievements/records.js';
import { recordHistory } from '../../src/achievements/repository.js';
import type { NumberedRecord, SubmittedRecord, Submitter } from '../../src/achievements/rows.js';
import type { Graph } from '../../src/platform/neo4j.js';

const AO = '10000001';
const ADA = '1234567805';
const BOB = '1234567813';
const SUBMITTER: Submitter = { aoUkprn: AO, nation: 'GB-ENG', subject: 'user-ao' };
const JUNE_5 = new Date('2025-06-05T10:00:00Z');

const ada = { uln: ADA, given_name: 'Ada', family_name: 'Lovelace', date_of_birth: '2004-12-10', gender: 'F' };
const bob = { uln: BOB, given_name: 'Bob', family_name: 'Babbage', date_of_birth: '2003-01-02', gender: 'M' };

function unitRow(
  recordId: string,
  urn: string,
  creditValue: number,
  level: string,
  extra: SubmittedRecord = {},
): SubmittedRecord {
  return {
    record_id: recordId,
    action: 'ADD',
    ...ada,
    urn,
    credit: String(creditValue),
    level,
    award_date: '2025-06-02',
    ...extra,
  };
}

function numbered(records: SubmittedRecord[], first = 1): NumberedRecord[] {
  return records.map((record, i) => ({ row: first + i, record }));
}

async function countAchievements(graph: Graph): Promise<number> {
  const rows = await graph.read<{ recordId: string }>('achievements/list-records', {
    aoUkprn: AO,
    uln: null,
    skip: 0,
    limit: 1000,
  });
  return rows.length;
}

t.test('a mixed chunk: units before awards, exact counts, late marked, nothing doubled on resubmission', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  await loadSample(graph);
  await upsertLearners(graph, [
    learner(ADA),
    learner(BOB, { givenName: 'Bob', familyName: 'Babbage', dateOfBirth: '2003-01-02', gender: 'M' }),
  ]);

  const rows = numbered([
    // The award comes first in the file; the unit credits it rests on are in the same chunk.
    { record_id: 'q1', action: 'ADD', ...ada, qan: '600/1101/4', level: '2', award_date: '2025-06-03' },
    unitRow('u1', 'H/601/4101', 1, '2'),
    unitRow('u2', 'K/601/4102', 1, '2', { award_date: '2025-05-01' }),
    unitRow('u3', 'M/601/4103', 5, '1'),
    { record_id: 'q2', action: 'ADD', ...bob, qan: '600/1101/4', level: '2', award_date: '2025-06-03' },
    unitRow('u1', 'H/601/4101', 1, '2'),
    {
      record_id: 'nope',
      action: 'AMEND',
      ...ada,
      urn: 'H/601/4101',
      credit: '1',
      level: '2',
      award_date: '2025-06-02',
    },
  ]);
  const outcome = await applyChunk(
    graph,
    SUBMITTER,
    rows,
    { validateOnly: false, submittedAt: JUNE_5, batchId: 'b-1' },
    newBatchState(),
  );
  t.equal(outcome.accepted, 3, 'u1, u2 and the award q1');
  t.equal(outcome.late, 1, 'u2 was awarded more than 10 working days before');
  t.equal(outcome.unchanged, 0);
  t.same(
    outcome.rejected.map((r) => [r.row, r.code]),
    [
      [4, 'E015'],
      [5, 'E026'],
      [6, 'E003'],
      [7, 'E023'],
    ],
  );
  t.match(outcome.rejected[1].message, /rules of combination of 600\/1101\/4/);
  t.notMatch(JSON.stringify(outcome.rejected), /Bob|Babbage|2003-01-02/, 'no personal details in the problems');
  t.equal(await countAchievements(graph), 3);

  const q1 = await recordHistory(graph, AO, 'q1');
  t.equal(q1?.current.kind, 'qualification');
  t.equal(q1?.current.qan, '600/1101/4');
  t.equal(q1?.current.credit, 2, 'a qualification award carries its total credits');
  t.equal(q1?.current.batchId, 'b-1');
  const u2 = await recordHistory(graph, AO, 'u2');
  t.equal(u2?.current.late, true);

  // The same rows again as another batch: the accepted ones are unchanged, nothing is written twice.
  const again = await applyChunk(
    graph,
    SUBMITTER,
    rows,
    { validateOnly: false, submittedAt: new Date('2025-06-06T10:00:00Z'), batchId: 'b-2' },
    newBatchState(),
  );
  t.equal(again.accepted, 0);
  t.equal(again.unchanged, 3);
  t.same(
    again.rejected.map((r) => [r.row, r.code]),
    [
      [4, 'E015'],
      [5, 'E026'],
      [6, 'E003'],
      [7, 'E023'],
    ],
    'row 6 repeats row 2 of the same batch',
  );
  t.equal(await countAchievements(graph), 3);
  t.equal((await recordHistory(graph, AO, 'u1'))?.current.version, 1);

  // The same batch re-planned after its chunk committed (a retried job): counted as before, not doubled.
  const replay = await applyChunk(
    graph,
    SUBMITTER,
    rows,
    { validateOnly: false, submittedAt: JUNE_5, batchId: 'b-1' },
    newBatchState(),
  );
  t.same({ ...replay, rejected: replay.rejected.length }, { accepted: 3, late: 1, unchanged: 0, rejected: 4 });
  t.equal(await countAchievements(graph), 3);
});

t.test('validate-only reports the same outcome and writes nothing, across chunks', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  await loadSample(graph);
  await upsertLearners(graph, [learner(ADA)]);
  const state = newBatchState();
  const options = { validateOnly: true, submittedAt: JUNE_5, batchId: 'v-1' };
  const first = await applyChunk(
    graph,
    SUBMITTER,
    numbered([unitRow('u1', 'H/601/4101', 1, '2'), unitRow('u2', 'K/601/4102', 1, '2')]),
    options,
    state,
  );
  t.same(first, { accepted: 2, late: 0, unchanged: 0, rejected: [] });
  // The second chunk's award rests on credits the first chunk only validated.
  const second = await applyChunk(
    graph,
    SUBMITTER,
    numbered(
      [
        {
          record_id: 'q1',
          action: 'ADD',
          ...ada,
          qan: '6001101/4'.replace('/', ''),
          level: '2',
          award_date: '2025-06-03',
        },
        { record_id: 'u1', action: 'WITHDRAW' },
      ],
      3,
    ),
    options,
    state,
  );
  t.equal(second.accepted, 1, 'the award is accepted');
  t.same(
    second.rejected.map((r) => [r.row, r.code]),
    [[4, 'E003']],
    'u1 was already changed by row 1 of this run',
  );
  t.equal(await countAchievements(graph), 0, 'nothing stored');

  // writeChunk with a validate-only plan writes nothing either.
  const plan = await planChunk(
    graph,
    SUBMITTER,
    numbered([unitRow('u9', 'H/601/4101', 1, '2')]),
    { ...options, batchId: 'v-2' },
    newBatchState(),
  );
  const outcome = await graph.writeTx((tx) => writeChunk(tx, plan));
  t.equal(outcome.accepted, 1);
  t.equal(await countAchievements(graph), 0);
});

t.test('amend and withdraw keep versions; a withdrawn credit stops counting towards an award', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  await loadSample(graph);
  await upsertLearners(graph, [learner(ADA)]);
  const opts = (batchId: string) => ({ validateOnly: false, submittedAt: JUNE_5, batchId });
  await applyChunk(
    graph,
    SUBMITTER,
    numbered([unitRow('u1', 'H/601/4101', 1, '2'), unitRow('u2', 'K/601/4102', 1, '2')]),
    opts('a'),
    newBatchState(),
  );
  const amended = await applyChunk(
    graph,
    SUBMITTER,
    numbered([{ ...unitRow('u1', 'H/601/4101', 1, '2', { grade: 'Pass' }), action: 'AMEND' }]),
    opts('b'),
    newBatchState(),
  );
  t.same(amended, { accepted: 1, late: 0, unchanged: 0, rejected: [] });
  const withdrawn = await applyChunk(
    graph,
    SUBMITTER,
    numbered([{ record_id: 'u2', action: 'WITHDRAW' }]),
    opts('c'),
    newBatchState(),
  );
  t.equal(withdrawn.accepted, 1);
  const history = await recordHistory(graph, AO, 'u2');
  t.equal(history?.current.status, 'withdrawn');
  t.equal(history?.current.version, 2);
  t.same(
    history?.versions.map((v) => [v.version, v.status, v.action]),
    [[1, 'active', 'ADD']],
  );
  const u1 = await recordHistory(graph, AO, 'u1');
  t.equal(u1?.current.grade, 'Pass');
  t.equal(u1?.versions[0].grade, null, 'the earlier version keeps its values');

  const award = await applyChunk(
    graph,
    SUBMITTER,
    numbered([{ record_id: 'q1', action: 'ADD', ...ada, qan: '600/1101/4', level: '2', award_date: '2025-06-03' }]),
    opts('d'),
    newBatchState(),
  );
  t.equal(award.rejected[0]?.code, 'E026', 'K/601/4102 was withdrawn');
  t.match(award.rejected[0]?.message, /K\/601\/4102|mandatory/i);

  // Withdrawing again changes nothing; AMEND reinstates.
  const twice = await applyChunk(
    graph,
    SUBMITTER,
    numbered([{ record_id: 'u2', action: 'WITHDRAW' }]),
    opts('e'),
    newBatchState(),
  );
  t.equal(twice.unchanged, 1);
  const back = await applyChunk(
    graph,
    SUBMITTER,
    numbered([{ ...unitRow('u2', 'K/601/4102', 1, '2'), action: 'AMEND' }]),
    opts('f'),
    newBatchState(),
  );
  t.equal(back.accepted, 1);
  const accepted = await applyChunk(
    graph,
    SUBMITTER,
    numbered([{ record_id: 'q1', action: 'ADD', ...ada, qan: '600/1101/4', level: '2', award_date: '2025-06-03' }]),
    opts('g'),
    newBatchState(),
  );
  t.equal(accepted.accepted, 1, 'with the credit reinstated the award meets its rules');
  const u2 = await recordHistory(graph, AO, 'u2');
  t.same(
    u2?.versions.map((v) => [v.version, v.status]),
    [
      [2, 'withdrawn'],
      [1, 'active'],
    ],
  );
});

t.test('lateness follows the AO nation and recorded outages', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  await loadSample(graph);
  await upsertLearners(graph, [learner(ADA)]);
  t.same(
    await submitterFor(graph, AO, 's'),
    { aoUkprn: AO, subject: 's', nation: 'GB-ENG' },
    'England when the organisation says nothing',
  );
  // Award Wed 2025-06-04: the 10 working days end at midnight starting Thu 2025-06-19.
  const row = (id: string) => numbered([unitRow(id, 'H/601/4101', 1, '2', { award_date: '2025-06-04' })]);
  const at = new Date('2025-06-19T09:00:00+01:00');
  t.equal(
    (await applyChunk(graph, SUBMITTER, row('x1'), { validateOnly: true, submittedAt: at }, newBatchState())).late,
    1,
  );
  await graph.driver.executeQuery(
    "CREATE (:ServiceOutage {start: datetime('2025-06-10T09:00:00Z'), end: datetime('2025-06-10T21:00:00Z')})",
    {},
    { database: graph.database },
  );
  t.equal(
    (await applyChunk(graph, SUBMITTER, row('x2'), { validateOnly: true, submittedAt: at }, newBatchState())).late,
    0,
    'twelve hours of outage move the deadline to Thursday noon',
  );
});

t.test('recordUnitCredits still writes credits as given', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const c = await loadSample(graph);
  t.equal(
    await recordUnitCredits(graph, [
      credit(c, ADA, 'H/601/4101', 'seed-1', { aoUkprn: AO }),
      { ...credit(c, ADA, 'H/601/4101', 'seed-2', { aoUkprn: AO }), urn: 'Z/999/9999' },
    ]),
    1,
  );
  const h = await recordHistory(graph, AO, 'seed-1');
  t.equal(h?.current.status, 'active');
  t.equal(h?.current.version, 1);
});
