/**
 * Loading a pathway data file (issue 17 point 1; docs/pathway-data-format.md): providers
 * and their offers, occupations, funding rules. Every problem is named (row and field),
 * catalogue references included, and with any problem nothing is stored. Each entry's
 * content hash is kept: an entry the graph already holds with the same hash is left alone
 * (a second load of the same file changes nothing), a changed one replaces what the graph
 * held for it, and the answer says which were added, changed and unchanged. Entries not in
 * the file are left as they are: a file replaces what it covers.
 */
import { readFile } from 'node:fs/promises';
import { levelRank } from '../catalogue/model.js';
import type { Graph } from '../platform/neo4j.js';
import { AppError } from '../platform/errors.js';
import { checkPathwayFile, entryHash, type PathwayFile, type PathwayProblem } from './pathway-file.js';
import { pathwayFileState, writePathwayFile } from './repository.js';
import { forgetRouteRules } from './rules-cache.js';

export interface KindChange {
  added: string[];
  changed: string[];
  unchanged: number;
}

export interface PathwayLoadAnswer {
  providers: KindChange;
  occupations: KindChange;
  fundingRules: KindChange;
  written: { offers: number; occupationLinks: number; fundingLinks: number };
  /** "nothing changed", or what did, in words. */
  summary: string;
}

export type PathwayLoadResult = { ok: true; report: PathwayLoadAnswer } | { ok: false; problems: PathwayProblem[] };

function changes<T>(entries: T[], key: (e: T) => string, stored: Map<string, string | null>) {
  const out: KindChange = { added: [], changed: [], unchanged: 0 };
  const write: { entry: T; hash: string }[] = [];
  for (const e of entries) {
    const hash = entryHash(e as object);
    const before = stored.get(key(e));
    if (before === hash) {
      out.unchanged++;
      continue;
    }
    (before === undefined ? out.added : out.changed).push(key(e));
    write.push({ entry: e, hash });
  }
  return { out, write };
}

/** Check and load the text of a pathway data file. */
export async function loadPathwayFile(graph: Graph, text: string): Promise<PathwayLoadResult> {
  const checked = checkPathwayFile(text);
  if (!checked.ok) return { ok: false, problems: checked.problems };
  const file: PathwayFile = checked.file;
  const urns = [...new Set(file.providers.flatMap((p) => p.offers.flatMap((o) => (o.urn ? [o.urn] : []))))];
  const offerQans = [...new Set(file.providers.flatMap((p) => p.offers.flatMap((o) => (o.qan ? [o.qan] : []))))];
  const qans = [
    ...new Set([...offerQans, ...file.occupations.flatMap((o) => o.qans), ...file.fundingRules.flatMap((f) => f.qans)]),
  ];
  const state = await pathwayFileState(graph, {
    urns,
    qans,
    offerQans,
    ukprns: file.providers.map((p) => p.ukprn),
    codes: file.occupations.map((o) => o.code),
    ids: file.fundingRules.map((f) => f.id),
  });

  // Catalogue references, each named where it is.
  const problems: PathwayProblem[] = [];
  const noUnit = new Set(state.missingUnits);
  const noQual = new Set(state.missingQualifications);
  file.providers.forEach((p, i) =>
    p.offers.forEach((o, j) => {
      if (o.urn && noUnit.has(o.urn))
        problems.push({
          row: `providers[${i}].offers[${j}]`,
          field: 'urn',
          problem: `no unit ${o.urn} in the catalogue`,
        });
      if (o.qan && noQual.has(o.qan))
        problems.push({
          row: `providers[${i}].offers[${j}]`,
          field: 'qan',
          problem: `no qualification ${o.qan} in the catalogue`,
        });
    }),
  );
  for (const [kind, list] of [
    ['occupations', file.occupations],
    ['fundingRules', file.fundingRules],
  ] as const) {
    list.forEach((e, i) =>
      e.qans.forEach((q, k) => {
        if (noQual.has(q))
          problems.push({
            row: `${kind}[${i}]`,
            field: `qans[${k}]`,
            problem: `no qualification ${q} in the catalogue`,
          });
      }),
    );
  }
  if (problems.length > 0) return { ok: false, problems };

  const providers = changes(file.providers, (p) => p.ukprn, state.hashes.providers);
  const occupations = changes(file.occupations, (o) => o.code, state.hashes.occupations);
  const fundingRules = changes(file.fundingRules, (f) => f.id, state.hashes.fundingRules);

  const providerRows = providers.write.map(({ entry: p, hash }) => {
    // One offer per unit: a unit offered alone and within a whole qualification, or twice, is one offer spanning both.
    const byUrn = new Map<
      string,
      { urn: string; from: string; to: string | null; deliveryModes: string[]; startDates: string[] }
    >();
    for (const o of p.offers) {
      for (const urn of o.urn ? [o.urn] : (state.qualificationUnits.get(o.qan!) ?? [])) {
        const had = byUrn.get(urn);
        const modes = o.deliveryMode ? [o.deliveryMode] : [];
        if (!had) byUrn.set(urn, { urn, from: o.from, to: o.to, deliveryModes: modes, startDates: o.startDates });
        else {
          had.from = o.from < had.from ? o.from : had.from;
          had.to = had.to === null || o.to === null ? null : o.to > had.to ? o.to : had.to;
          had.deliveryModes = [...new Set([...had.deliveryModes, ...modes])].sort();
          had.startDates = [...new Set([...had.startDates, ...o.startDates])].sort();
        }
      }
    }
    return {
      ukprn: p.ukprn,
      name: p.name,
      region: p.region,
      postcodeDistrict: p.postcodeDistrict,
      hash,
      offers: [...byUrn.values()],
    };
  });
  const occupationRows = occupations.write.map(({ entry: o, hash }) => ({ ...o, hash }));
  const fundingRows = fundingRules.write.map(({ entry: f, hash }) => ({
    ...f,
    maxLevelRank: f.maxLevel === null ? null : levelRank(f.maxLevel),
    hash,
  }));
  const written =
    providerRows.length + occupationRows.length + fundingRows.length === 0
      ? { offers: 0, occupationLinks: 0, fundingLinks: 0 }
      : await writePathwayFile(graph, {
          providers: providerRows,
          occupations: occupationRows,
          fundingRules: fundingRows,
        });
  if (providerRows.length + occupationRows.length + fundingRows.length > 0) forgetRouteRules(graph);

  const words = (name: string, c: KindChange) =>
    [
      c.added.length ? `${c.added.length} ${name} added (${c.added.join(', ')})` : '',
      c.changed.length ? `${c.changed.length} ${name} changed (${c.changed.join(', ')})` : '',
    ].filter(Boolean);
  const said = [
    ...words('providers', providers.out),
    ...words('occupations', occupations.out),
    ...words('funding rules', fundingRules.out),
  ];
  return {
    ok: true,
    report: {
      providers: providers.out,
      occupations: occupations.out,
      fundingRules: fundingRules.out,
      written,
      summary: said.length === 0 ? 'nothing changed: the graph already holds this file' : said.join('; '),
    },
  };
}

/** The same, for a route: a refused file is a 400 that lists every problem. */
export async function loadPathwayDataFile(graph: Graph, text: string): Promise<PathwayLoadAnswer> {
  const result = await loadPathwayFile(graph, text);
  if (!result.ok) {
    throw new AppError(
      400,
      'PATHWAY_FILE_REFUSED',
      `the file was refused, nothing was stored: ${result.problems.length} problem(s)`,
      result.problems.map((p) => ({ in: 'body', row: p.row, field: p.field, problem: p.problem })),
    );
  }
  return result.report;
}

/** For `plr pathways load FILE`: 0 loaded, 1 refused (nothing stored; every problem printed). */
export async function runPathwayLoad(
  graph: Graph,
  file: string,
  print: (line: string) => void = console.log,
): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    print(`cannot read ${file}: ${(err as Error).message}`);
    return 1;
  }
  const result = await loadPathwayFile(graph, text);
  if (!result.ok) {
    print(`the pathway data file was refused, nothing was stored: ${result.problems.length} problem(s)`);
    for (const p of result.problems) print(`  ${p.row || '(file)'} ${p.field}: ${p.problem}`);
    return 1;
  }
  print(result.report.summary);
  return 0;
}
