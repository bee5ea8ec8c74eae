/**
 * Routes to achievement in the graph: the filter data (providers and their offers,
 * occupations, funding rules) and the reads the route search makes. The only code that
 * runs the statements in cypher/pathways/. docs/routes-to-achievement.md describes them.
 */
import { openDetails } from '../platform/personal-details.js';
import { levelRank, type LearnerCredit, type Level, type Unit } from '../catalogue/model.js';
import type { Graph } from '../platform/neo4j.js';
import { rulesFromRow, type QualificationRules, type RulesRow } from '../catalogue/repository.js';
import type { AgeBand, PathwayData } from './generator.js';

/** Rows per write statement. */
const CHUNK = 2_000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface PathwayLoadReport {
  providers: number;
  offers: number;
  occupations: number;
  occupationLinks: number;
  fundingRules: number;
  fundingLinks: number;
}

/**
 * Write providers with their offers, occupations and funding rules, in UNWIND batches.
 * Everything is MERGEd, so loading the same data twice leaves the graph as it was. Units
 * and qualifications must already be in the catalogue; rows naming others are skipped.
 */
export async function loadPathwayData(graph: Graph, data: PathwayData): Promise<PathwayLoadReport> {
  const report: PathwayLoadReport = {
    providers: data.providers.length,
    offers: 0,
    occupations: data.occupations.length,
    occupationLinks: 0,
    fundingRules: data.fundingRules.length,
    fundingLinks: 0,
  };
  // A provider's offers can be many: a big provider is written in several rows of CHUNK offers.
  const providerRows = data.providers.flatMap((p) =>
    (p.offers.length === 0 ? [[]] : chunks(p.offers)).map((offers) => ({
      ukprn: p.ukprn,
      name: p.name,
      region: p.region,
      offers,
    })),
  );
  for (const batch of chunks(providerRows, 10)) {
    const [r] = await graph.write<{ offers: number }>('pathways/upsert-providers', { rows: batch });
    report.offers += r?.offers ?? 0;
  }
  for (const batch of chunks(data.occupations)) {
    const [r] = await graph.write<{ links: number }>('pathways/upsert-occupations', { rows: batch });
    report.occupationLinks += r?.links ?? 0;
  }
  for (const batch of chunks(data.fundingRules)) {
    const rows = batch.map((f) => ({
      id: f.id,
      name: f.name,
      ageBands: f.ageBands,
      maxLevel: f.maxLevel,
      maxLevelRank: f.maxLevel === null ? null : levelRank(f.maxLevel),
      qans: f.qans,
    }));
    const [r] = await graph.write<{ links: number }>('pathways/upsert-funding-rules', { rows });
    report.fundingLinks += r?.links ?? 0;
  }
  return report;
}

export interface LearnerProfile {
  ageBand: AgeBand | null;
  credits: LearnerCredit[];
}

interface CreditRow {
  id: string;
  urn: string;
  credit: number;
  level: Level;
  awardDate: string;
  status: string;
  underChallenge: boolean | null;
}

/** Whole years from a date of birth to a date (both YYYY-MM-DD), as funding bands count them. */
function ageBandOn(dateOfBirth: string | null, date: string): AgeBand | null {
  if (!dateOfBirth) return null;
  const [y1, m1, d1] = dateOfBirth.split('-').map(Number);
  const [y2, m2, d2] = date.split('-').map(Number);
  const age = y2 - y1 - (m2 < m1 || (m2 === m1 && d2 < d1) ? 1 : 0);
  return age < 16 ? 'under-16' : age <= 18 ? '16-18' : age <= 23 ? '19-23' : '24+';
}

/** A learner's unit credits (merged ULNs included; one AO's only when `onlyAo`) and funding age band on the date. */
export async function learnerProfile(
  graph: Graph,
  uln: string,
  onlyAo: string | null,
  date: string,
): Promise<LearnerProfile> {
  const [row] = await graph.read<{ sealedDetails: string | null; credits: CreditRow[] }>('pathways/learner-profile', {
    uln,
    aoUkprn: onlyAo,
  });
  const credits = (row?.credits ?? [])
    .map((r): LearnerCredit => ({
      id: r.id,
      urn: r.urn,
      credit: r.credit,
      level: r.level,
      awardDate: r.awardDate,
      status: r.status === 'withdrawn' ? 'withdrawn' : r.underChallenge ? 'challenged' : 'active',
    }))
    .sort((a, b) => (a.awardDate === b.awardDate ? (a.id < b.id ? -1 : 1) : a.awardDate < b.awardDate ? -1 : 1));
  return { ageBand: ageBandOn(openDetails(graph.sealer, row?.sealedDetails)?.dateOfBirth ?? null, date), credits };
}

export interface CandidateQuery {
  heldUrns: string[];
  occupation: string | null;
  minLevelRank: number | null;
  maxLevelRank: number | null;
  /** Funding filter: only qualifications funded for this band; null for no funding filter. */
  ageBand: string | null;
  region: string | null;
  date: string;
  /** Most candidates read. */
  max: number;
}

export interface CandidateRow {
  qan: string;
  /** No route to the qualification needs fewer extra credits (see cypher/pathways/candidates). */
  lowerBound: number;
  /** The qualification's content hash: its rules are unchanged while this is. */
  hash: string | null;
}

export interface Candidates {
  candidates: CandidateRow[];
  /** Changes when units or equivalences are added to the catalogue. */
  stamp: string;
}

/** Candidate qualifications with every filter applied in the query, by lower bound then QAN. */
export async function findCandidates(graph: Graph, query: CandidateQuery): Promise<Candidates> {
  const [row] = await graph.read<{ candidates: CandidateRow[]; units: number; equivalences: number }>(
    'pathways/candidates',
    { ...query },
  );
  return { candidates: row?.candidates ?? [], stamp: `${row?.units ?? 0}/${row?.equivalences ?? 0}` };
}

const toUnit = (raw: unknown): Unit => {
  const r = raw as Unit;
  return { urn: r.urn, title: r.title, level: r.level, credit: r.credit };
};

export type CandidateRules = QualificationRules;

export interface CandidateBatch {
  /** The rules of each qualification asked for, by QAN. */
  rules: Map<string, CandidateRules>;
  /** For each qualification asked for, the URNs of its units on offer in the region on the date. */
  offered: Map<string, Set<string>>;
}

/**
 * One read for a batch of candidates: the rules of `qans` and, with a region, the units of
 * `offerQans` offered there on the date.
 */
export async function candidateBatch(
  graph: Graph,
  qans: string[],
  offerQans: string[],
  region: string | null,
  date: string,
): Promise<CandidateBatch> {
  const out: CandidateBatch = { rules: new Map(), offered: new Map() };
  if (region === null) offerQans = [];
  if (qans.length === 0 && offerQans.length === 0) return out;
  const [row] = await graph.read<{ rules: RulesRow[]; offered: { qan: string; urns: string[] }[] }>(
    'pathways/candidate-batch',
    { qans, offerQans, region, date },
  );
  for (const r of row?.rules ?? []) out.rules.set(r.qualification.qan, rulesFromRow(r));
  for (const o of row?.offered ?? []) out.offered.set(o.qan, new Set(o.urns));
  return out;
}

export interface OfferingProvider {
  ukprn: string;
  name: string;
  region: string;
}

export interface RouteDetails {
  /** Who offers each unit on the date (in the region when given), at most `max`, by UKPRN. */
  providers: Map<string, OfferingProvider[]>;
  /** Occupation codes each qualification leads to, sorted. */
  occupations: Map<string, string[]>;
}

/** What a page of routes shows about its units and qualifications, in one read. */
export async function routeDetails(
  graph: Graph,
  urns: string[],
  qans: string[],
  region: string | null,
  date: string,
  max: number,
): Promise<RouteDetails> {
  if (urns.length === 0 && qans.length === 0) return { providers: new Map(), occupations: new Map() };
  const [row] = await graph.read<{
    units: { urn: string; providers: OfferingProvider[] }[];
    qualifications: { qan: string; occupations: string[] }[];
  }>('pathways/route-details', { urns, qans, region, date, max });
  return {
    providers: new Map((row?.units ?? []).map((u) => [u.urn, u.providers])),
    occupations: new Map((row?.qualifications ?? []).map((q) => [q.qan, q.occupations])),
  };
}

/** Catalogue units by URN (for planned units); unknown URNs are left out. */
export async function unitsByUrn(graph: Graph, urns: string[]): Promise<Map<string, Unit>> {
  if (urns.length === 0) return new Map();
  const rows = await graph.read('catalogue/get-units', { urns });
  return new Map(rows.map((r) => [r.urn as string, toUnit(r)]));
}

// ---------------------------------------------------------------------------------------
// Pathway data files (docs/pathway-data-format.md)

export interface PathwayFileState {
  missingUnits: string[];
  missingQualifications: string[];
  qualificationUnits: Map<string, string[]>;
  /** Content hash each covered entry was last loaded with, by kind and key. */
  hashes: {
    providers: Map<string, string | null>;
    occupations: Map<string, string | null>;
    fundingRules: Map<string, string | null>;
  };
}

export async function pathwayFileState(
  graph: Graph,
  keys: { urns: string[]; qans: string[]; offerQans: string[]; ukprns: string[]; codes: string[]; ids: string[] },
): Promise<PathwayFileState> {
  type KeyHash = { key: string; hash: string | null };
  const [row] = await graph.read<{
    missingUnits: string[];
    missingQualifications: string[];
    qualificationUnits: { qan: string; urns: string[] }[];
    providers: KeyHash[];
    occupations: KeyHash[];
    fundingRules: KeyHash[];
  }>('pathways/file-state', keys);
  const map = (rows: KeyHash[]) => new Map(rows.map((r) => [r.key, r.hash ?? null]));
  return {
    missingUnits: row.missingUnits,
    missingQualifications: row.missingQualifications,
    qualificationUnits: new Map(row.qualificationUnits.map((q) => [q.qan, q.urns])),
    hashes: { providers: map(row.providers), occupations: map(row.occupations), fundingRules: map(row.fundingRules) },
  };
}

export interface PathwayFileRows {
  providers: Record<string, unknown>[];
  occupations: Record<string, unknown>[];
  fundingRules: Record<string, unknown>[];
}

/** Write the new and changed entries of a file in one transaction: all of them, or none. */
export async function writePathwayFile(
  graph: Graph,
  rows: PathwayFileRows,
): Promise<{ offers: number; occupationLinks: number; fundingLinks: number }> {
  return graph.writeTx(async (tx) => {
    const out = { offers: 0, occupationLinks: 0, fundingLinks: 0 };
    for (const batch of chunks(rows.providers, 50)) {
      const [r] = await tx.run<{ offers: number }>('pathways/file-providers', { rows: batch });
      out.offers += Number(r?.offers ?? 0);
    }
    for (const batch of chunks(rows.occupations)) {
      const [r] = await tx.run<{ links: number }>('pathways/file-occupations', { rows: batch });
      out.occupationLinks += Number(r?.links ?? 0);
    }
    for (const batch of chunks(rows.fundingRules)) {
      const [r] = await tx.run<{ links: number }>('pathways/file-funding-rules', { rows: batch });
      out.fundingLinks += Number(r?.links ?? 0);
    }
    return out;
  });
}
