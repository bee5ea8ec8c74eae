/**
 * Issue 17 point 1: pathway data loaded from a file through the public interfaces (the
 * operator route and `plr pathways load`), every problem named with nothing stored, a
 * second load changing nothing, a changed file replacing what it covers and saying so,
 * and routes to achievement (OCF 06) that respect what was loaded.
 */
import t from 'tap';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setupApp, tokenFor } from '../helpers/app.js';
import { credit, learner, loadSample, recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { runPathwayLoad } from '../../src/pathways/data-load.js';

const ULN = '9276308686';
const AWARD = '600/3301/1';
const SAMPLE = path.join(PROJECT_ROOT, 'samples', 'pathways', 'pathways.sample.json');
const sample = () => JSON.parse(readFileSync(SAMPLE, 'utf8'));

t.test('load, load again, change, refuse; routes respect the data', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const c = await loadSample(graph);
  await upsertLearners(graph, [learner(ULN)]);
  await recordUnitCredits(graph, [
    credit(c, ULN, 'F/603/2201', 'r1', { awardDate: '2025-03-01' }),
    credit(c, ULN, 'R/603/2204', 'r2', { awardDate: '2025-03-01' }),
  ]);
  const operator = { authorization: `Bearer ${await tokenFor(app, 'operator')}` };
  const adviser = { authorization: `Bearer ${await tokenFor(app, 'careers-adviser')}` };
  const load = (payload: object) => app.inject({ method: 'POST', url: '/pathways/data', headers: operator, payload });
  const routes = async (query: string) => {
    const res = await app.inject({
      method: 'GET',
      url: `/learners/${ULN}/routes?date=2025-10-01${query}`,
      headers: adviser,
    });
    t.equal(res.statusCode, 200, res.body);
    return res.json().routes as { qan: string; unitsToTake: { urn: string; providers: { name: string }[] }[] }[];
  };

  // Before any data: a region finds nothing.
  t.same(await routes('&region=Yorkshire%20and%20the%20Humber'), [], 'no providers, no routes in a region');

  const first = await load(sample());
  t.equal(first.statusCode, 200, first.body);
  t.same(first.json().providers, { added: ['10040001', '10040002'], changed: [], unchanged: 0 });
  t.same(first.json().occupations.added, ['7219', 'ST0228']);
  t.same(first.json().fundingRules.added, ['legal-entitlement-l2', '16-18-entitlement']);
  t.ok(first.json().written.offers > 5, 'a whole qualification offered is its units');

  const again = await load(sample());
  t.same(again.json().summary, 'nothing changed: the graph already holds this file');
  t.same(again.json().written, { offers: 0, occupationLinks: 0, fundingLinks: 0 });

  // Routes respect it: the award's missing unit is offered in Yorkshire by the sample college, not in Wales.
  const yorkshire = await routes('&region=Yorkshire%20and%20the%20Humber');
  const award = yorkshire.find((r) => r.qan === AWARD);
  t.ok(award, 'the customer service award is reachable with what Leeds offers');
  t.ok(
    award!.unitsToTake.every((u) => u.providers.some((p) => p.name === 'Leeds City College (sample)')),
    'each unit to take, with who offers it',
  );
  t.notOk(
    (await routes('&region=Wales')).some((r) => r.qan === AWARD),
    'nobody in Wales offers its units',
  );
  t.same(
    [...new Set((await routes('&occupation=7219')).map((r) => r.qan))],
    [AWARD],
    'the occupation leads to the customer service qualifications only (the certificate is closed)',
  );
  t.notOk(
    (await routes('&funded=true')).some((r) => r.qan === AWARD),
    'at 20, nothing funds the award yet',
  );

  // A changed file: the legal entitlement now funds the award; Leeds stops offering online.
  const changed = sample();
  changed.fundingRules[0].qans.push(AWARD);
  changed.providers[0].offers.pop();
  const third = await load(changed);
  t.same(third.json().providers, { added: [], changed: ['10040001'], unchanged: 1 });
  t.same(third.json().fundingRules, { added: [], changed: ['legal-entitlement-l2'], unchanged: 1 });
  t.same(third.json().occupations, { added: [], changed: [], unchanged: 2 });
  t.match(third.json().summary, /1 providers changed \(10040001\); 1 funding rules changed \(legal-entitlement-l2\)/);
  t.ok(
    (await routes('&funded=true')).some((r) => r.qan === AWARD),
    'now funded',
  );

  // A bad file: every problem named, nothing stored.
  const bad = sample();
  bad.providers[0].ukprn = '2004';
  bad.providers[1].offers[0].urn = 'Z/999/9999';
  bad.providers[1].offers[1].to = '2020-01-01';
  bad.occupations[0].code = 'chef';
  bad.fundingRules[1].ageBands = ['adult'];
  bad.fundingRules[0].name = 'Renamed rule that must not be stored';
  const refused = await load(bad);
  t.equal(refused.statusCode, 400);
  t.equal(refused.json().code, 'PATHWAY_FILE_REFUSED');
  t.same(
    refused.json().details.map((d: any) => `${d.row} ${d.field}`),
    ['providers[0] ukprn', 'providers[1].offers[1] to', 'occupations[0] code', 'fundingRules[1] ageBands'],
    'each shape problem by row and field',
  );
  const unknownUnit = sample();
  unknownUnit.providers[1].offers[0].urn = 'Z/999/9999';
  unknownUnit.fundingRules[0].name = 'Renamed rule that must not be stored';
  const refused2 = await load(unknownUnit);
  t.same(
    refused2.json().details.map((d: any) => [d.row, d.field, d.problem]),
    [['providers[1].offers[0]', 'urn', 'no unit Z/999/9999 in the catalogue']],
    'catalogue references too',
  );
  const after = await load(changed);
  t.equal(
    after.json().summary,
    'nothing changed: the graph already holds this file',
    'nothing of the refused files was stored',
  );

  // plr pathways load FILE: the same service.
  const dir = mkdtempSync(path.join(tmpdir(), 'plr-pathways-'));
  const file = path.join(dir, 'p.json');
  writeFileSync(file, JSON.stringify(sample()));
  const lines: string[] = [];
  t.equal(await runPathwayLoad(graph, file, (l) => lines.push(l)), 0);
  t.match(
    lines.join('\n'),
    /1 providers changed \(10040001\); 1 funding rules changed \(legal-entitlement-l2\)/,
    'back to the sample',
  );
  writeFileSync(file, '{"format": "plr-pathways-1", "providers": [{"ukprn": "1"}]}');
  lines.length = 0;
  t.equal(await runPathwayLoad(graph, file, (l) => lines.push(l)), 1, 'exit 1 when refused');
  t.match(lines[0], /refused, nothing was stored: 4 problem/);
});
