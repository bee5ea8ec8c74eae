/**
 * OCF 06, Routes to Achievement: what REST, GraphQL and the printable report all answer.
 * A learner's routes go through the learner gate; a what-if without a learner needs no
 * sign-in (it uses catalogue data only). A search reads the learner profile, the
 * candidates with a lower bound each, their rules in batches (usually one, cached between
 * searches) until the page is settled, then the page's details: see searchRoutes.
 */
import type { Graph } from '../platform/neo4j.js';
import type { Principal } from '../platform/auth.js';
import { AppError } from '../platform/errors.js';
import { openLearner, type LearnerPass } from '../learners/gate.js';
import { checkDate } from '../catalogue/service.js';
import { URN_PATTERN, isLevel, levelRank, type LearnerCredit, type Level, type Unit } from '../catalogue/model.js';
import { AGE_BANDS, REGIONS, type AgeBand } from './generator.js';
import {
  candidateBatch,
  findCandidates,
  learnerProfile,
  routeDetails,
  unitsByUrn,
  type CandidateRow,
  type CandidateRules,
  type OfferingProvider,
} from './repository.js';
import {
  plannedCredits,
  RouteRanker,
  type CombinedRoute,
  type RankedRoute,
  type UnreachableRoute,
} from './rules/ranking.js';
import { rulesCacheOf } from './rules-cache.js';

export const DEFAULT_ROUTE_LIMIT = 10;
/** Providers listed per unit to take when no region is chosen (all of them with a region). */
export const MAX_PROVIDERS_LISTED = 10;
export const MAX_ROUTE_LIMIT = 50;
/** Most planned units a what-if may carry. */
export const MAX_PLANNED_UNITS = 100;
/** Most candidate qualifications a search reads (in order of their lower bound). */
export const MAX_CANDIDATES = 1_000;
/** Providers listed per unit to take with a region (all of them, in practice). */
const MAX_PROVIDERS_IN_REGION = 100;
/** Rules read in the first round for a page of `limit` routes; each later round reads twice as many. */
const firstBatch = (limit: number) => limit + 10;

export interface RouteFilters {
  /** Exactly this level (sets both ends of the range). */
  level?: string;
  minLevel?: string;
  maxLevel?: string;
  /** Occupation code: only qualifications leading to it, including ones with no credit yet. */
  occupation?: string;
  /** Only units offered by a provider in this region on the date, and qualifications with such a unit. */
  region?: string;
  /** Only qualifications the learner is eligible to have funded (by age band and level). */
  funded?: boolean;
  /** What-if without a learner: the age band the funding filter uses. */
  ageBand?: string;
  /** Evaluation date YYYY-MM-DD; default today. */
  date?: string;
  limit?: number;
}

export interface AppliedFilters {
  minLevel: Level | null;
  maxLevel: Level | null;
  occupation: string | null;
  region: string | null;
  funded: boolean;
  ageBand: AgeBand | null;
  date: string;
  limit: number;
}

export type RouteUnit = Unit & { providers: OfferingProvider[] };

export interface RouteView extends Omit<RankedRoute, 'unitsToTake'> {
  unitsToTake: RouteUnit[];
  occupations: string[];
}

export interface RoutesView {
  uln: string | null;
  scope: LearnerPass['scope'] | null;
  filters: AppliedFilters;
  plannedUnits: Unit[];
  /** Candidate qualifications the optimiser was run on. */
  candidates: number;
  /** Candidate qualifications found (every filter applied); the ones not examined could not enter the page. */
  discovered: number;
  routes: RouteView[];
  unreachable: UnreachableRoute[];
  combined: CombinedRoute[];
}

const bad = (field: string, message: string, code = 'VALIDATION') => new AppError(400, code, message, { field });

function levelField(value: string | undefined, field: string): Level | null {
  if (value === undefined) return null;
  if (!isLevel(value)) throw bad(field, `${field} must be one of E1, E2, E3, 1 to 8; got ${JSON.stringify(value)}`);
  return value;
}

/** Check the filters and say which apply; every problem names its field. */
export function checkFilters(f: RouteFilters): Omit<AppliedFilters, 'ageBand'> & { ageBand: AgeBand | null } {
  const date = checkDate(f.date);
  const exact = levelField(f.level, 'level');
  let minLevel = levelField(f.minLevel, 'minLevel');
  let maxLevel = levelField(f.maxLevel, 'maxLevel');
  if (exact !== null) {
    if ((minLevel !== null && minLevel !== exact) || (maxLevel !== null && maxLevel !== exact))
      throw bad('level', 'give either level or minLevel/maxLevel, not both');
    minLevel = maxLevel = exact;
  }
  if (minLevel !== null && maxLevel !== null && levelRank(minLevel) > levelRank(maxLevel))
    throw bad('minLevel', `minLevel ${minLevel} is above maxLevel ${maxLevel}`);
  if (f.region !== undefined && !(REGIONS as readonly string[]).includes(f.region))
    throw bad('region', `region must be one of: ${REGIONS.join(', ')}; got ${JSON.stringify(f.region)}`);
  if (f.occupation !== undefined && !/^[A-Za-z0-9._-]{1,40}$/.test(f.occupation))
    throw bad(
      'occupation',
      `an occupation code is 1 to 40 letters, digits, dots, dashes or underscores; got ${JSON.stringify(f.occupation)}`,
    );
  if (f.ageBand !== undefined && !(AGE_BANDS as readonly string[]).includes(f.ageBand))
    throw bad('ageBand', `ageBand must be one of: ${AGE_BANDS.join(', ')}; got ${JSON.stringify(f.ageBand)}`);
  const limit = f.limit ?? DEFAULT_ROUTE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ROUTE_LIMIT)
    throw bad('limit', `limit must be a whole number from 1 to ${MAX_ROUTE_LIMIT}`);
  return {
    minLevel,
    maxLevel,
    occupation: f.occupation ?? null,
    region: f.region ?? null,
    funded: f.funded === true,
    ageBand: (f.ageBand as AgeBand | undefined) ?? null,
    date,
    limit,
  };
}

/** Credits that can count on the date: the units they stand for start the candidate search. */
function heldUrns(credits: LearnerCredit[], date: string): string[] {
  return [...new Set(credits.filter((c) => c.status !== 'withdrawn' && c.awardDate <= date).map((c) => c.urn))].sort();
}

/**
 * The search itself, for credits already read and filters already checked. Candidates come
 * cheapest-looking first, each with a lower bound on its extra credits; their rules (and,
 * with a region, their offered units) are read a batch at a time and optimised in that
 * order, until `limit` routes are known and the next lower bound is above the last of them:
 * no later candidate can enter the page, so the page is exact. Usually one batch does it,
 * and rules read before are reused (see rules-cache.ts). Round trips after the learner's
 * profile: the candidates, one per batch (none when its rules are all cached and no region
 * is given), then the details of the page shown.
 */
export async function searchRoutes(
  graph: Graph,
  credits: LearnerCredit[],
  filters: AppliedFilters,
): Promise<Omit<RoutesView, 'uln' | 'scope' | 'plannedUnits'>> {
  const { date, region, limit } = filters;
  const found = await findCandidates(graph, {
    heldUrns: heldUrns(credits, date),
    occupation: filters.occupation,
    minLevelRank: filters.minLevel === null ? null : levelRank(filters.minLevel),
    maxLevelRank: filters.maxLevel === null ? null : levelRank(filters.maxLevel),
    ageBand: filters.funded ? filters.ageBand : null,
    region,
    date,
    max: MAX_CANDIDATES,
  });
  const cache = rulesCacheOf(graph);
  cache.catalogueIs(found.stamp);
  const ranker = new RouteRanker({ credits, date });
  const queue = found.candidates;
  let at = 0;
  for (let size = firstBatch(limit); at < queue.length && !ranker.settled(limit, queue[at].lowerBound); size *= 2) {
    const batch = queue.slice(at, at + size);
    at += batch.length;
    const rules = await rulesOf(graph, batch, region, date);
    for (const c of batch) {
      if (ranker.settled(limit, c.lowerBound)) break;
      const r = rules.get(c.qan);
      if (r) ranker.add(r);
    }
  }
  const ranked = ranker.ranked();
  const shown = ranked.routes.slice(0, limit);
  // The page's details are read while the combined routes are worked out.
  const reading = routeDetails(
    graph,
    [...new Set(shown.flatMap((r) => r.unitsToTake.map((u) => u.urn)))].sort(),
    shown.map((r) => r.qan),
    region,
    date,
    region === null ? MAX_PROVIDERS_LISTED : MAX_PROVIDERS_IN_REGION,
  );
  reading.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
  await new Promise((resolve) => setImmediate(resolve)); // let the driver send it first
  const combined = ranker.combined(Math.min(10, limit));
  const details = await reading;
  const routes = shown.map((route): RouteView => ({
    ...route,
    unitsToTake: route.unitsToTake.map((u) => ({ ...u, providers: details.providers.get(u.urn) ?? [] })),
    occupations: details.occupations.get(route.qan) ?? [],
  }));
  return {
    filters,
    candidates: ranker.examined,
    discovered: queue.length,
    routes,
    unreachable: ranked.unreachable,
    combined,
  };
}

/**
 * The rules of a batch of candidates, from the cache or read, with the units each may use:
 * with a region, its units offered there on the date (read every time: offers change without
 * the catalogue); without, every unit of its groups. One read at most.
 */
async function rulesOf(
  graph: Graph,
  batch: CandidateRow[],
  region: string | null,
  date: string,
): Promise<Map<string, CandidateRules & { available: string[] }>> {
  const cache = rulesCacheOf(graph);
  const now = Date.now();
  const known = new Map<string, CandidateRules>();
  for (const c of batch) {
    const r = cache.get(c.qan, c.hash, now);
    if (r) known.set(c.qan, r);
  }
  const missing = batch.filter((c) => !known.has(c.qan));
  const read = await candidateBatch(
    graph,
    missing.map((c) => c.qan),
    batch.map((c) => c.qan),
    region,
    date,
  );
  const offers = region !== null ? read.offered : null;
  for (const c of missing) {
    const r = read.rules.get(c.qan);
    if (r) {
      known.set(c.qan, r);
      cache.set(c.qan, c.hash, r, now);
    }
  }
  const out = new Map<string, CandidateRules & { available: string[] }>();
  for (const [qan, r] of known) {
    const inGroups = new Set(r.qualification.groups.flatMap((g) => g.units));
    const available = offers !== null ? [...(offers.get(qan) ?? [])].filter((u) => inGroups.has(u)) : [...inGroups];
    out.set(qan, { ...r, available: available.sort() });
  }
  return out;
}

function needsAgeBand(
  filters: ReturnType<typeof checkFilters>,
  ageBand: AgeBand | null,
  field: string,
): AppliedFilters {
  if (filters.funded && ageBand === null) {
    throw new AppError(
      422,
      'AGE_BAND_UNKNOWN',
      "the funding filter needs the learner's age band, and it is not known",
      { field },
    );
  }
  return { ...filters, ageBand };
}

/** OCF 06 for a learner: their ranked routes, through the learner gate. */
export async function learnerRoutes(
  graph: Graph,
  principal: Principal,
  uln: string,
  raw: RouteFilters,
): Promise<RoutesView> {
  const checked = checkFilters({ ...raw, ageBand: undefined });
  const pass = await openLearner(graph, principal, uln, 'routes');
  const profile = await learnerProfile(graph, uln, pass.onlyAo, checked.date);
  const filters = needsAgeBand(checked, profile.ageBand, 'funded');
  return { uln, scope: pass.scope, plannedUnits: [], ...(await searchRoutes(graph, profile.credits, filters)) };
}

export interface WhatIfRequest {
  uln?: string;
  plannedUnits: string[];
  filters?: RouteFilters;
}

/**
 * OCF 06 what-if: the learner's credits (when a ULN is given) plus planned units, as if
 * awarded on the date; or planned units alone. `principal` is needed only with a ULN.
 */
export async function whatIfRoutes(
  graph: Graph,
  principal: Principal | undefined,
  body: WhatIfRequest,
): Promise<RoutesView> {
  const raw = body.filters ?? {};
  if (body.uln !== undefined && raw.ageBand !== undefined)
    throw bad('filters.ageBand', "with a learner the age band is the learner's own; leave filters.ageBand out");
  const checked = checkFilters(raw);
  if (body.plannedUnits.length > MAX_PLANNED_UNITS)
    throw bad('plannedUnits', `at most ${MAX_PLANNED_UNITS} planned units`);
  body.plannedUnits.forEach((urn, i) => {
    if (!URN_PATTERN.test(urn))
      throw bad(
        `plannedUnits[${i}]`,
        `a unit reference number looks like J/617/2480; got ${JSON.stringify(urn)}`,
        'INVALID_URN',
      );
  });
  const urns = [...new Set(body.plannedUnits)];
  if (body.uln === undefined && urns.length === 0 && checked.occupation === null) {
    throw bad('plannedUnits', 'without a learner, give planned units or an occupation to start from');
  }
  let credits: LearnerCredit[] = [];
  let ageBand = checked.ageBand;
  let pass: LearnerPass | null = null;
  if (body.uln !== undefined) {
    if (!principal)
      throw new AppError(
        401,
        'UNAUTHORIZED',
        'sign in first: a what-if for a learner needs a bearer token',
        undefined,
        { 'www-authenticate': 'Bearer' },
      );
    pass = await openLearner(graph, principal, body.uln, 'routes what-if');
    const profile = await learnerProfile(graph, body.uln, pass.onlyAo, checked.date);
    credits = profile.credits;
    ageBand = profile.ageBand;
  }
  const filters = needsAgeBand(checked, ageBand, body.uln === undefined ? 'filters.ageBand' : 'filters.funded');
  const units = await unitsByUrn(graph, urns);
  const unknown = body.plannedUnits.findIndex((urn) => !units.has(urn));
  if (unknown >= 0)
    throw bad(`plannedUnits[${unknown}]`, `no unit has URN ${body.plannedUnits[unknown]}`, 'UNIT_NOT_FOUND');
  const planned = urns.map((u) => units.get(u)!).sort((a, b) => (a.urn < b.urn ? -1 : 1));
  const all = [...credits, ...plannedCredits(planned, filters.date)];
  return {
    uln: body.uln ?? null,
    scope: pass?.scope ?? null,
    plannedUnits: planned,
    ...(await searchRoutes(graph, all, filters)),
  };
}
