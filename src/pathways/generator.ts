/**
 * Seeded, deterministic data for the routes-to-achievement filters (OCF 06), for a given
 * catalogue: providers with their region and the units they offer (availability: a few
 * hundred units each, whole qualifications of one to three subject areas),
 * occupations and the qualifications leading to them (career aspiration), and funding
 * rules (financial support). Pure: no I/O, no clock, no Math.random.
 */
import { Random } from '../catalogue/generator.js';
import { type Catalogue, type Level, levelRank } from '../catalogue/model.js';

/** The nine English regions, then the three other nations. */
export const REGIONS = [
  'North East',
  'North West',
  'Yorkshire and the Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East',
  'South West',
  'Wales',
  'Scotland',
  'Northern Ireland',
] as const;

/** Funding age bands, measured on the evaluation date (docs/routes-to-achievement.md). */
export const AGE_BANDS = ['under-16', '16-18', '19-23', '24+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export interface ProviderOffer {
  urn: string;
  /** ISO dates; `to` null when open-ended. */
  from: string;
  to: string | null;
}

export interface ProviderData {
  ukprn: string;
  name: string;
  region: string;
  offers: ProviderOffer[];
}

export interface OccupationData {
  code: string;
  title: string;
  qans: string[];
}

export interface FundingRuleData {
  id: string;
  name: string;
  ageBands: AgeBand[];
  /** Highest level funded; null for no cap. */
  maxLevel: Level | null;
  qans: string[];
}

export interface PathwayData {
  providers: ProviderData[];
  occupations: OccupationData[];
  fundingRules: FundingRuleData[];
}

export interface GeneratePathwayOptions {
  seed: number;
  catalogue: Catalogue;
  /** Number of providers; default one per 40 units, at least 3. */
  providers?: number;
  /** Units a provider teaches: a whole number drawn from this range; default 100 to 400. */
  unitsPerProvider?: { min: number; max: number };
  /** Number of occupations; default one per 20 qualifications, at least 2. */
  occupations?: number;
  /** Offers start on or before this date (default 2024-09-01) and most stay open. */
  referenceDate?: string;
}

const OCCUPATION_WORDS = [
  'Chef',
  'Customer adviser',
  'Care worker',
  'Kitchen supervisor',
  'Team leader',
  'Technician',
  'Administrator',
  'Retail assistant',
  'Electrician',
  'Bookkeeper',
];
const PROVIDER_WORDS = ['College', 'Training', 'Skills Centre', 'Academy', 'Learning'];
const PLACES = [
  'Northgate',
  'Riverside',
  'Hillcrest',
  'Kingsbridge',
  'Ashford Vale',
  'Millbrook',
  'Fairholme',
  'Castleton',
];

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Salt of the pathway data's random stream (see Random). */
const PATHWAY_SALT = 0x50415448; // "PATH"

/**
 * The subject area of a qualification, from its title ("Level 2 Certificate in Adult Care"
 * gives "Adult Care"); the whole title when it has no " in ".
 */
function areaOf(title: string): string {
  const at = title.lastIndexOf(' in ');
  return at < 0 ? title : title.slice(at + 4);
}

export function generatePathwayData(opts: GeneratePathwayOptions): PathwayData {
  const rnd = new Random(opts.seed, PATHWAY_SALT);
  const pick = <T>(xs: readonly T[]): T => rnd.pick(xs);
  const random = () => rnd.float();
  const { catalogue } = opts;
  const reference = opts.referenceDate ?? '2024-09-01';
  const providerCount = opts.providers ?? Math.max(3, Math.ceil(catalogue.units.length / 40));
  const occupationCount = opts.occupations ?? Math.max(2, Math.ceil(catalogue.qualifications.length / 20));
  const perProvider = opts.unitsPerProvider ?? { min: 100, max: 400 };
  if (
    !Number.isInteger(perProvider.min) ||
    !Number.isInteger(perProvider.max) ||
    perProvider.min < 1 ||
    perProvider.max < perProvider.min
  ) {
    throw new RangeError(
      `unitsPerProvider must have whole numbers 1 <= min <= max, got ${perProvider.min}..${perProvider.max}`,
    );
  }

  // Qualifications by subject area, in catalogue order: a provider teaches in one to three
  // areas, whole qualifications at a time (every unit of their groups, less one in ten it
  // leaves out), up to its size. A few hundred units each, like a real college.
  const byArea = new Map<string, string[][]>();
  for (const q of catalogue.qualifications) {
    const area = areaOf(q.title);
    const list = byArea.get(area) ?? [];
    list.push([...new Set(q.groups.flatMap((g) => g.units))]);
    byArea.set(area, list);
  }
  const areas = [...byArea.keys()];
  const known = new Set(catalogue.units.map((u) => u.urn));

  // Providers: UKPRNs 1 then 7 digits from 3000000, clear of the generators' AO numbers.
  const providers: ProviderData[] = [];
  for (let i = 0; i < providerCount; i++) {
    const size = rnd.int(perProvider.min, perProvider.max);
    const chosenAreas =
      areas.length === 0 ? [] : [...new Set(Array.from({ length: 1 + rnd.weighted([70, 22, 8]) }, () => pick(areas)))];
    const pool = rnd.shuffle(chosenAreas.flatMap((a) => byArea.get(a)!.map((_, k) => [a, k] as const)));
    const taught = new Set<string>();
    for (const [area, k] of pool) {
      if (taught.size >= size) break;
      const units = byArea.get(area)![k].filter((urn) => known.has(urn) && !taught.has(urn) && !rnd.chance(0.1));
      // A qualification that would take the provider over its size is left to others (unless it is the first).
      if (taught.size > 0 && taught.size + units.length > size) continue;
      for (const urn of units) taught.add(urn);
    }
    const offers: ProviderOffer[] = [...taught].sort().map((urn) => {
      const from = addDays(reference, -Math.floor(random() * 1500));
      // One offer in ten has ended, on a day before the reference date.
      const to = random() < 0.1 ? addDays(reference, -1 - Math.floor(random() * 60)) : null;
      return { urn, from, to: to !== null && to < from ? from : to };
    });
    providers.push({
      ukprn: String(13_000_000 + i * 7 + 1),
      name: `${pick(PLACES)} ${pick(PROVIDER_WORDS)} ${i + 1}`,
      region: REGIONS[i % REGIONS.length],
      offers,
    });
  }

  // Occupations: each takes a few qualifications, so some qualifications lead to several.
  const qans = catalogue.qualifications.map((q) => q.qan);
  const occupations: OccupationData[] = [];
  for (let i = 0; i < occupationCount; i++) {
    const chosen = new Set<string>();
    const n = Math.min(qans.length, 1 + Math.floor(random() * 4));
    while (chosen.size < n) chosen.add(pick(qans));
    occupations.push({
      code: `OCC${String(i + 1).padStart(4, '0')}`,
      title: `${OCCUPATION_WORDS[i % OCCUPATION_WORDS.length]} (${i + 1})`,
      qans: [...chosen].sort(),
    });
  }

  // Funding, in the shape of the English rules: young people funded up to level 3, adults
  // for a first level 2 or 3, and loans for adults at level 3 and above.
  const atMost = (level: Level) =>
    catalogue.qualifications
      .filter((q) => levelRank(q.level) <= levelRank(level) && random() < 0.8)
      .map((q) => q.qan)
      .sort();
  const fundingRules: FundingRuleData[] = [
    { id: 'young-people', name: '16 to 18 study programmes', ageBands: ['16-18'], maxLevel: '3', qans: atMost('3') },
    {
      id: 'adult-entitlement',
      name: 'Adult legal entitlement (first full level 2 or 3)',
      ageBands: ['19-23'],
      maxLevel: '3',
      qans: atMost('3'),
    },
    {
      id: 'adult-loans',
      name: 'Advanced learner loans',
      ageBands: ['19-23', '24+'],
      maxLevel: null,
      qans: catalogue.qualifications
        .filter((q) => levelRank(q.level) >= levelRank('3') && random() < 0.8)
        .map((q) => q.qan)
        .sort(),
    },
  ];
  return { providers, occupations, fundingRules };
}
