import t, { type Test } from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { parseCatalogue, serializeCatalogue } from '../../src/catalogue/catalogue-file.js';
import { generateCatalogue } from '../../src/catalogue/generator.js';
import type { Catalogue, Equivalence, Qualification, Unit } from '../../src/catalogue/model.js';
import { loadCatalogueFile, runCatalogueLoad } from '../../src/catalogue/load.js';
import {
  InvalidCatalogueError,
  catalogueSnapshot,
  getQualificationRules,
  getUnit,
  listQualifications,
  loadCatalogue,
  qualificationsContainingUnit,
  type LoadProgress,
} from '../../src/catalogue/repository.js';
import type { Graph } from '../../src/platform/neo4j.js';
import { setupApp } from '../helpers/app.js';

const SAMPLE_FILE = path.join(PROJECT_ROOT, 'catalogue', 'sample-catalogue.json');

function sample(): Catalogue {
  const parsed = parseCatalogue(readFileSync(SAMPLE_FILE, 'utf8'));
  if (!parsed.ok) throw new Error('the sample catalogue does not parse');
  return parsed.catalogue;
}

const clone = <T>(x: T): T => structuredClone(x);
const json = (c: Catalogue) => JSON.stringify(serializeCatalogue(c));
/** JSON with object keys sorted: equal for deeply equal plain data, whatever the key order. */
const canon = (x: unknown): string =>
  JSON.stringify(x, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

/** URNs a qualification's rules name: groups, barred sets and its own equivalences. */
function namedUnits(q: Qualification): Set<string> {
  const out = new Set<string>();
  for (const g of q.groups) for (const u of g.units) out.add(u);
  for (const b of q.barred) for (const u of b) out.add(u);
  for (const e of q.equivalences) {
    out.add(e.from);
    out.add(e.to);
  }
  return out;
}

/** In memory, the global equivalences that lead by any chain into one of q's group units. */
function expectedGlobalEquivalences(c: Catalogue, q: Qualification): Equivalence[] {
  const edges = [
    ...c.equivalences.map((e) => ({ ...e, global: true })),
    ...q.equivalences.map((e) => ({ ...e, global: false })),
  ];
  const reached = new Set(q.groups.flatMap((g) => g.units));
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of edges) {
      if (reached.has(e.to) && !reached.has(e.from)) {
        reached.add(e.from);
        grew = true;
      }
    }
  }
  return c.equivalences
    .filter((e) => reached.has(e.to))
    .sort((a, b) => (a.from + '>' + a.to < b.from + '>' + b.to ? -1 : 1));
}

/** In memory: QANs whose groups hold the unit or a unit it reaches by global or q's own equivalences. */
function expectedTransfer(c: Catalogue, urn: string): string[] {
  const out: string[] = [];
  for (const q of c.qualifications) {
    const edges = [...c.equivalences, ...q.equivalences];
    const reach = new Set([urn]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const e of edges) {
        if (reach.has(e.from) && !reach.has(e.to)) {
          reach.add(e.to);
          grew = true;
        }
      }
    }
    if (q.groups.some((g) => g.units.some((u) => reach.has(u)))) out.push(q.qan);
  }
  return out.sort();
}

/** Every qualification reads back exactly as given, with its units and the relevant global equivalences. */
async function checkRoundTrip(t: Test, graph: Graph, c: Catalogue): Promise<void> {
  const units = new Map(c.units.map((u) => [u.urn, u]));
  let failures = 0;
  for (const q of c.qualifications) {
    const rules = await getQualificationRules(graph, q.qan);
    if (!rules) {
      t.fail(`${q.qan} is missing`);
      failures++;
      continue;
    }
    const globals = expectedGlobalEquivalences(c, q);
    const wantedUnits = new Map<string, Unit>();
    for (const urn of namedUnits(q)) wantedUnits.set(urn, units.get(urn)!);
    for (const e of globals) wantedUnits.set(e.from, units.get(e.from)!);
    // A cheap comparison first; tap's deep comparison (with its diff) only where it fails.
    const same =
      canon(rules.qualification) === canon(q) &&
      canon(rules.globalEquivalences) === canon(globals) &&
      canon([...rules.units.entries()].sort()) === canon([...wantedUnits.entries()].sort());
    if (!same) {
      failures++;
      t.strictSame(rules.qualification, q, `${q.qan}: the qualification`);
      t.strictSame(rules.globalEquivalences, globals, `${q.qan}: global equivalences`);
      t.strictSame(new Map([...rules.units].sort()), new Map([...wantedUnits].sort()), `${q.qan}: units`);
    }
  }
  t.equal(failures, 0, `all ${c.qualifications.length} qualifications read back equal to the catalogue`);
}

t.test('the sample catalogue loads and reads back equal to the file', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const c = sample();
  const progress: LoadProgress[] = [];
  const result = await loadCatalogueFile(graph, SAMPLE_FILE, { onProgress: (p) => progress.push(p) });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  t.strictSame(result.report.units, { created: c.units.length, updated: 0, unchanged: 0 });
  t.strictSame(result.report.qualifications, { created: c.qualifications.length, updated: 0, unchanged: 0 });
  t.strictSame(result.report.globalEquivalences, { created: c.equivalences.length, unchanged: 0 });
  t.equal(result.report.mode, 'single', 'a small file is written in one transaction');
  t.equal(result.report.transactions, 1);
  for (const phase of ['units', 'equivalences', 'qualifications'] as const) {
    const last = progress.filter((p) => p.phase === phase).at(-1);
    t.ok(last && last.done === last.total, `progress reaches the end of ${phase}`);
  }

  // Deep equality with the file's own content, optional fields absent as in the file.
  const food = await getQualificationRules(graph, '600/1102/6');
  t.strictSame(
    food?.qualification,
    c.qualifications.find((q) => q.qan === '600/1102/6'),
  );
  t.ok(food?.qualification.operationalEnd === '2017-12-31', 'dates come back as ISO strings');
  t.strictSame(food?.qualification.exemptions, [
    { name: 'Employer kitchen skills portfolio (non-QCF)', group: 'B', credits: 3 },
  ]);
  await checkRoundTrip(t, graph, c);

  // The global equivalence into a unit of 600/1101/4 comes with the unit it starts from.
  const hygiene = await getQualificationRules(graph, '600/1101/4');
  t.strictSame(hygiene?.globalEquivalences, [{ from: 'Y/601/4111', to: 'H/601/4101' }]);
  t.strictSame(
    hygiene?.units.get('Y/601/4111'),
    c.units.find((u) => u.urn === 'Y/601/4111'),
  );

  t.strictSame(await getUnit(graph, 'H/601/4101'), {
    urn: 'H/601/4101',
    title: 'Principles of food hygiene',
    level: '2',
    credit: 1,
  });
  t.equal(await getUnit(graph, 'Z/999/9999'), null, 'an unknown unit is null');
  t.equal(await getQualificationRules(graph, '999/9999/9'), null, 'an unknown qualification is null');
});

t.test('loading the same file twice changes nothing', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const c = sample();
  const first = await loadCatalogueFile(graph, SAMPLE_FILE);
  t.ok(first.ok);
  const before = await catalogueSnapshot(graph);
  t.equal(before.counts.Unit, c.units.length);
  t.equal(before.counts.Qualification, c.qualifications.length);
  t.equal(
    before.counts.RuleGroup,
    c.qualifications.reduce((n, q) => n + q.groups.length, 0),
  );

  const second = await loadCatalogueFile(graph, SAMPLE_FILE);
  if (!second.ok) throw new Error('second load refused');
  t.strictSame(second.report.units, { created: 0, updated: 0, unchanged: c.units.length });
  t.strictSame(second.report.qualifications, { created: 0, updated: 0, unchanged: c.qualifications.length });
  t.strictSame(second.report.globalEquivalences, { created: 0, unchanged: c.equivalences.length });
  const after = await catalogueSnapshot(graph);
  t.strictSame(after.counts, before.counts, 'same node and relationship counts');
  t.equal(after.fingerprint, before.fingerprint, 'same content');
  t.equal(after.identity, before.identity, 'no node or relationship was recreated');

  // The same through the chunked path: many small transactions, still nothing changes.
  const third = await loadCatalogue(graph, c, { transaction: 'chunked', chunkSize: 7 });
  t.equal(third.mode, 'chunked');
  t.ok(third.transactions > 3);
  t.strictSame(third.qualifications, { created: 0, updated: 0, unchanged: c.qualifications.length });
  t.equal((await catalogueSnapshot(graph)).identity, before.identity);
});

t.test('a changed qualification replaces its rules; a changed unit is updated; absent entries stay', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const c = sample();
  await loadCatalogue(graph, c);
  const before = await catalogueSnapshot(graph);

  const changed = clone(c);
  const cookery = changed.qualifications.find((q) => q.qan === '600/1102/6')!;
  const removed = cookery.groups.find((g) => g.id === 'C')!;
  t.ok(removed, 'the sample has a group C to remove');
  cookery.groups = cookery.groups.filter((g) => g.id !== 'C');
  cookery.title = 'Level 2 Certificate in Professional Cookery Skills (revised)';
  cookery.barred = [];
  cookery.totalCredits = Math.min(
    cookery.totalCredits,
    cookery.groups.reduce(
      (n, g) => n + g.units.reduce((m, u) => m + changed.units.find((x) => x.urn === u)!.credit, 0),
      0,
    ),
  );
  delete cookery.operationalEnd;
  const care = changed.qualifications.find((q) => q.qan === '601/4401/7')!;
  t.equal(care.equivalences.length, 1, 'the sample has a scoped equivalence');
  care.equivalences = [];
  const unit = changed.units.find((u) => u.urn === 'H/601/4101')!;
  unit.title = 'Principles of food hygiene (2015)';
  unit.credit = 2;
  t.ok(parseCatalogue(serializeCatalogue(changed)).ok, 'the changed catalogue is valid');

  const report = await loadCatalogue(graph, changed);
  t.strictSame(report.qualifications, { created: 0, updated: 2, unchanged: c.qualifications.length - 2 });
  t.strictSame(report.units, { created: 0, updated: 1, unchanged: c.units.length - 1 });

  const rules = await getQualificationRules(graph, '600/1102/6');
  t.strictSame(rules?.qualification, cookery, 'the new rules, exactly');
  t.notOk(
    rules?.qualification.groups.some((g) => g.id === 'C'),
    'the removed group is gone',
  );
  t.notOk('operationalEnd' in (rules?.qualification ?? {}), 'a removed end date is gone');
  t.strictSame((await getQualificationRules(graph, '601/4401/7'))?.qualification.equivalences, []);
  t.strictSame(await getUnit(graph, 'H/601/4101'), unit);

  const after = await catalogueSnapshot(graph);
  t.equal(after.counts.RuleGroup, before.counts.RuleGroup - 1, 'one group fewer in the graph');
  t.equal(after.counts.INCLUDES, before.counts.INCLUDES - removed.units.length, 'its memberships are gone');
  t.equal(after.counts.BarredSet ?? 0, before.counts.BarredSet - 1, 'the barred set is gone');
  t.equal(after.counts.BARS ?? 0, 0);
  t.equal(after.counts.COUNTS_AS, before.counts.COUNTS_AS - 1, 'the scoped equivalence is gone');
  t.equal(after.counts.OWNS, c.qualifications.length, 'still one owner per qualification');
  const transfer = await qualificationsContainingUnit(graph, 'L/604/5508');
  t.notOk(
    transfer.some((m) => m.qan === '601/4401/7'),
    'credit transfer no longer goes through the removed equivalence',
  );
  await checkRoundTrip(t, graph, changed);

  // A new owner replaces the old one.
  const moved = clone(changed);
  moved.qualifications.find((q) => q.qan === '600/3301/1')!.aoUkprn = '10099999';
  await loadCatalogue(graph, moved);
  t.equal((await getQualificationRules(graph, '600/3301/1'))?.qualification.aoUkprn, '10099999');
  t.equal((await catalogueSnapshot(graph)).counts.OWNS, c.qualifications.length);

  // A partial file: one qualification and its units. Nothing else is deleted.
  const partial: Catalogue = {
    units: moved.units.filter((u) => namedUnits(care).has(u.urn)),
    qualifications: [care],
    equivalences: [],
  };
  const partialReport = await loadCatalogue(graph, partial);
  t.strictSame(partialReport.qualifications, { created: 0, updated: 0, unchanged: 1 });
  const all = await listQualifications(graph, { limit: 100, offset: 0 });
  t.equal(all.total, c.qualifications.length, 'qualifications absent from a later file are kept');
  t.equal((await catalogueSnapshot(graph)).counts.Unit, c.units.length, 'units absent from a later file are kept');
});

t.test('a bad file stores nothing and names what is wrong', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const good = sample();

  const bad = JSON.parse(readFileSync(SAMPLE_FILE, 'utf8'));
  // The first qualifications are fine; one further on names a unit the file lacks.
  bad.qualifications[4].groups[0].units.push('Z/999/9999');
  bad.units.push({ ...bad.units[0] });
  const dir = t.testdir({
    'bad.json': JSON.stringify(bad),
    'broken.json': '{"units": [',
    'big.json': JSON.stringify(serializeCatalogue(good)),
  });

  const result = await loadCatalogueFile(graph, path.join(dir, 'bad.json'));
  t.equal(result.ok, false);
  const errors = result.ok ? [] : result.errors;
  const unknown = errors.find((e) => e.code === 'unknown-unit');
  t.match(unknown?.message, /600\/3302\/3/, 'the message names the qualification');
  t.match(unknown?.message, /Z\/999\/9999/, 'and the unit');
  t.match(unknown?.path, /^qualifications\[4\]\.groups\[0\]\.units\[\d+\]$/);
  const dup = errors.find((e) => e.code === 'duplicate-urn');
  t.match(dup?.message, new RegExp(bad.units[0].urn));

  const broken = await loadCatalogueFile(graph, path.join(dir, 'broken.json'));
  t.strictSame(broken.ok ? [] : broken.errors.map((e) => e.code), ['invalid-json']);
  const big = await loadCatalogueFile(graph, path.join(dir, 'big.json'), { maxBytes: 1000 });
  t.strictSame(big.ok ? [] : big.errors.map((e) => e.code), ['too-large'], 'an oversized file is refused unread');
  const missing = await loadCatalogueFile(graph, path.join(dir, 'nothing-here.json'));
  t.strictSame(missing.ok ? [] : missing.errors.map((e) => e.code), ['unreadable-file']);
  const folder = await loadCatalogueFile(graph, dir);
  t.strictSame(
    folder.ok ? [] : folder.errors.map((e) => e.code),
    ['unreadable-file'],
    'a directory is not a catalogue',
  );
  writeFileSync(path.join(dir, 'latin1.json'), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
  const latin1 = await loadCatalogueFile(graph, path.join(dir, 'latin1.json'));
  t.strictSame(
    latin1.ok ? [] : latin1.errors.map((e) => e.code),
    ['invalid-json'],
    'text that is not UTF-8 is refused',
  );

  // A catalogue handed over in code is checked the same way.
  const wrong = clone(good);
  wrong.qualifications[1].groups[0].units.push('Z/999/9999');
  await t.rejects(loadCatalogue(graph, wrong), InvalidCatalogueError);
  await t.rejects(loadCatalogue(graph, good, { chunkSize: 0 }), RangeError);

  // Many problems: the command prints the first ones and counts the rest.
  const many = JSON.parse(readFileSync(SAMPLE_FILE, 'utf8'));
  for (const u of many.units) Object.assign(u, { credit: 0, level: 'X', title: ' ' });
  writeFileSync(path.join(dir, 'many.json'), JSON.stringify(many));
  const printed: string[] = [];
  t.equal(await runCatalogueLoad(graph, path.join(dir, 'many.json'), (l) => printed.push(l)), 1);
  t.match(printed.at(-1), /^ {2}\.\.\. and \d+ more$/);

  const snapshot = await catalogueSnapshot(graph);
  t.strictSame(snapshot.counts, {}, 'nothing at all was stored');

  const lines: string[] = [];
  t.equal(await runCatalogueLoad(graph, path.join(dir, 'bad.json'), (l) => lines.push(l)), 1);
  t.match(lines.join('\n'), /refused, nothing was stored/);
  t.match(lines.join('\n'), /Z\/999\/9999/);
  t.strictSame((await catalogueSnapshot(graph)).counts, {});

  lines.length = 0;
  t.equal(await runCatalogueLoad(graph, SAMPLE_FILE, (l) => lines.push(l)), 0, 'the command loads a good file');
  t.match(lines.join('\n'), /qualifications: +6 created/);
});

t.test('credit transfer finds every qualification a unit counts towards', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const c = sample();
  // Chains and scoping: X counts as V everywhere, V as H/601/4101 everywhere (the sample's
  // Y/601/4111 does too); W counts as H/601/4101 for 600/1101/4 only.
  const extra: Unit[] = [
    { urn: 'X/700/0001', title: 'Hygiene basics (2001)', level: '2', credit: 1 },
    { urn: 'V/700/0002', title: 'Hygiene basics (2005)', level: '2', credit: 1 },
    { urn: 'W/700/0003', title: 'Hygiene for food stalls', level: '2', credit: 1 },
  ];
  c.units.push(...extra);
  c.equivalences.push({ from: 'X/700/0001', to: 'V/700/0002' }, { from: 'V/700/0002', to: 'H/601/4101' });
  c.qualifications.find((q) => q.qan === '600/1101/4')!.equivalences.push({ from: 'W/700/0003', to: 'H/601/4101' });
  await loadCatalogue(graph, c);

  const direct = await qualificationsContainingUnit(graph, 'H/601/4101');
  t.strictSame(
    direct.map((m) => m.qan),
    expectedTransfer(c, 'H/601/4101'),
  );
  t.ok(direct.length >= 2 && direct.every((m) => m.direct));

  const viaGlobal = await qualificationsContainingUnit(graph, 'Y/601/4111');
  t.strictSame(
    viaGlobal.map((m) => m.qan),
    direct.map((m) => m.qan),
    'a global equivalence counts everywhere',
  );
  t.ok(viaGlobal.every((m) => !m.direct && m.countsAs.some((x) => x.urn === 'H/601/4101' && x.steps === 1)));

  const chain = await qualificationsContainingUnit(graph, 'X/700/0001');
  t.strictSame(
    chain.map((m) => m.qan),
    direct.map((m) => m.qan),
    'a chain of equivalences is followed',
  );
  t.ok(chain.every((m) => m.countsAs.some((x) => x.urn === 'H/601/4101' && x.steps === 2)));

  const scoped = await qualificationsContainingUnit(graph, 'W/700/0003');
  t.strictSame(
    scoped.map((m) => m.qan),
    ['600/1101/4'],
    'a scoped equivalence counts for its qualification only',
  );

  t.strictSame(await qualificationsContainingUnit(graph, 'Z/999/9999'), [], 'an unknown unit counts towards nothing');

  // Every unit of the catalogue against the in-memory answer.
  for (const u of c.units) {
    const got = (await qualificationsContainingUnit(graph, u.urn)).map((m) => m.qan);
    t.strictSame(got, expectedTransfer(c, u.urn), `credit transfer of ${u.urn}`);
  }

  // The RoC reader brings in the whole chain for the evaluator.
  const rules = await getQualificationRules(graph, '600/1101/4');
  t.strictSame(
    rules?.globalEquivalences,
    expectedGlobalEquivalences(
      c,
      c.qualifications.find((q) => q.qan === '600/1101/4')!,
    ),
  );
  t.ok(rules?.units.has('X/700/0001') && rules.units.has('W/700/0003'));
});

t.test('listQualifications filters and paginates', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const c = generateCatalogue({ seed: 3, units: 300, qualifications: 60 });
  await loadCatalogue(graph, c);

  const all = [...c.qualifications].sort((a, b) => (a.qan < b.qan ? -1 : 1));
  const pages: string[] = [];
  for (let offset = 0; offset < all.length + 10; offset += 25) {
    const page = await listQualifications(graph, { limit: 25, offset });
    t.equal(page.total, all.length);
    pages.push(...page.items.map((q) => q.qan));
  }
  t.strictSame(
    pages,
    all.map((q) => q.qan),
    'the pages together list every qualification once, in QAN order',
  );

  const first = (await listQualifications(graph, { limit: 1, offset: 0 })).items[0];
  const q0 = all[0];
  t.strictSame(first, {
    qan: q0.qan,
    title: q0.title,
    level: q0.level,
    size: q0.totalCredits <= 12 ? 'Award' : q0.totalCredits <= 36 ? 'Certificate' : 'Diploma',
    totalCredits: q0.totalCredits,
    aoUkprn: q0.aoUkprn,
    operationalStart: q0.operationalStart,
    operationalEnd: q0.operationalEnd ?? null,
  });

  const level = all[0].level;
  const ofLevel = all.filter((q) => q.level === level).map((q) => q.qan);
  const byLevel = await listQualifications(graph, { level, limit: 1000, offset: 0 });
  t.equal(byLevel.total, ofLevel.length);
  t.strictSame(
    byLevel.items.map((q) => q.qan),
    ofLevel,
  );

  const word = 'diploma';
  const withWord = all.filter((q) => q.title.toLowerCase().includes(word)).map((q) => q.qan);
  t.ok(withWord.length > 0, 'the generated catalogue has diplomas');
  const byText = await listQualifications(graph, { text: 'DIPLOMA', limit: 5, offset: 0 });
  t.equal(byText.total, withWord.length, 'text matches regardless of case');
  t.strictSame(
    byText.items.map((q) => q.qan),
    withWord.slice(0, 5),
  );

  const both = await listQualifications(graph, { text: word, level, limit: 1000, offset: 0 });
  t.strictSame(
    both.items.map((q) => q.qan),
    all.filter((q) => q.level === level && q.title.toLowerCase().includes(word)).map((q) => q.qan),
  );

  const byQan = await listQualifications(graph, { text: all[5].qan, limit: 10, offset: 0 });
  t.strictSame(
    byQan.items.map((q) => q.qan),
    [all[5].qan],
    'a QAN finds its qualification',
  );

  const beyond = await listQualifications(graph, { limit: 10, offset: 10_000 });
  t.strictSame(beyond, { total: all.length, items: [] });
  t.strictSame(await listQualifications(graph, { text: 'no such words anywhere', limit: 10, offset: 0 }), {
    total: 0,
    items: [],
  });
  await t.rejects(listQualifications(graph, { limit: 0, offset: 0 }), RangeError);
  await t.rejects(listQualifications(graph, { limit: 10, offset: -1 }), RangeError);
  await t.rejects(listQualifications(graph, { level: 'Z' as never, limit: 10, offset: 0 }), RangeError);
});

t.test('a generated catalogue round-trips, in chunks, and a half-done load completes on re-run', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const c = generateCatalogue({ seed: 11, units: 500, qualifications: 200 });
  t.ok(
    c.qualifications.some((q) => q.barred.length > 0) || c.qualifications.some((q) => q.equivalences.length > 0),
    'the sample has some of the rarer rules',
  );

  // A load that stopped half-way: only some qualifications made it.
  const half: Catalogue = { ...c, qualifications: c.qualifications.slice(0, 90) };
  const firstReport = await loadCatalogue(graph, half, { transaction: 'chunked', chunkSize: 400 });
  t.equal(firstReport.qualifications.created, 90);

  const progress: LoadProgress[] = [];
  const report = await loadCatalogue(graph, c, {
    transaction: 'chunked',
    chunkSize: 400,
    onProgress: (p) => progress.push(p),
  });
  t.equal(report.mode, 'chunked');
  t.ok(report.transactions > 5, `written in ${report.transactions} transactions`);
  t.strictSame(report.units, { created: 0, updated: 0, unchanged: 500 });
  t.strictSame(report.qualifications, { created: 110, updated: 0, unchanged: 90 });
  const quals = progress.filter((p) => p.phase === 'qualifications');
  t.ok(
    quals.length > 1 && quals.every((p, i) => i === 0 || p.done > quals[i - 1].done),
    'progress rises chunk by chunk',
  );
  t.equal(quals.at(-1)?.done, 200);

  await checkRoundTrip(t, graph, c);

  const before = await catalogueSnapshot(graph);
  t.equal(
    before.counts.INCLUDES,
    c.qualifications.reduce((n, q) => n + q.groups.reduce((m, g) => m + g.units.length, 0), 0),
  );
  const again = await loadCatalogue(graph, c, { transaction: 'single' });
  t.strictSame(again.qualifications, { created: 0, updated: 0, unchanged: 200 });
  const after = await catalogueSnapshot(graph);
  t.equal(after.fingerprint, before.fingerprint);
  t.equal(after.identity, before.identity);

  // The same catalogue written back out from the graph parses to the same thing.
  const reread: Catalogue = { units: c.units, qualifications: [], equivalences: c.equivalences };
  for (const q of c.qualifications)
    reread.qualifications.push((await getQualificationRules(graph, q.qan))!.qualification);
  t.equal(json(reread), json(c));
});
