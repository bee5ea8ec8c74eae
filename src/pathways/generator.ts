/**
 * Seeded, deterministic data for the routes-to-achievement filters (OCF 06), for a given
 * catalogue: providers with their region and the units they offer (availability),
 * occupations and the qualifications leading to them (career aspiration), and funding
 * rules (financial support). Pure: no I/O, no clock, no Math.random.
 */
import { mulberry32 } from '../catalogue/generator.js';
import { type Catalogue, type Level, levelRank } from '../catalogue/model.js';

/** The nine English regions, then the three other nations. */
export const REGIONS = [
  'North East', 'North West', 'Yorkshire and the Humber', 'East Midlands', 'West Midlands',
  'East of England', 'London', 'South East', 'South West', 'Wales', 'Scotland', 'Northern Ireland',
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
  /** Number of occupations; default one per 20 qualifications, at least 2. */
  occupations?: number;
  /** Offers start on or before this date (default 2024-09-01) and most stay open. */
  referenceDate?: string;
}

const OCCUPATION_WORDS = ['Chef', 'Customer adviser', 'Care worker', 'Kitchen supervisor', 'Team leader', 'Technician', 'Administrator', 'Retail assistant', 'Electrician', 'Bookkeeper'];
const PROVIDER_WORDS = ['College', 'Training', 'Skills Centre', 'Academy', 'Learning'];
const PLACES = ['Northgate', 'Riverside', 'Hillcrest', 'Kingsbridge', 'Ashford Vale', 'Millbrook', 'Fairholme', 'Castleton'];

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function generatePathwayData(opts: GeneratePathwayOptions): PathwayData {
  const random = mulberry32(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const { catalogue } = opts;
  const reference = opts.referenceDate ?? '2024-09-01';
  const providerCount = opts.providers ?? Math.max(3, Math.ceil(catalogue.units.length / 40));
  const occupationCount = opts.occupations ?? Math.max(2, Math.ceil(catalogue.qualifications.length / 20));

  // Providers: UKPRNs 1 then 7 digits from 3000000, clear of the generators' AO numbers.
  const providers: ProviderData[] = [];
  for (let i = 0; i < providerCount; i++) {
    const offers: ProviderOffer[] = [];
    for (const u of catalogue.units) {
      if (random() >= 0.35) continue;
      const from = addDays(reference, -Math.floor(random() * 1500));
      // One offer in ten has ended, on a day before the reference date.
      const to = random() < 0.1 ? addDays(reference, -1 - Math.floor(random() * 60)) : null;
      offers.push({ urn: u.urn, from, to: to !== null && to < from ? from : to });
    }
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
    occupations.push({ code: `OCC${String(i + 1).padStart(4, '0')}`, title: `${OCCUPATION_WORDS[i % OCCUPATION_WORDS.length]} (${i + 1})`, qans: [...chosen].sort() });
  }

  // Funding, in the shape of the English rules: young people funded up to level 3, adults
  // for a first level 2 or 3, and loans for adults at level 3 and above.
  const atMost = (level: Level) => catalogue.qualifications.filter((q) => levelRank(q.level) <= levelRank(level) && random() < 0.8).map((q) => q.qan).sort();
  const fundingRules: FundingRuleData[] = [
    { id: 'young-people', name: '16 to 18 study programmes', ageBands: ['16-18'], maxLevel: '3', qans: atMost('3') },
    { id: 'adult-entitlement', name: 'Adult legal entitlement (first full level 2 or 3)', ageBands: ['19-23'], maxLevel: '3', qans: atMost('3') },
    { id: 'adult-loans', name: 'Advanced learner loans', ageBands: ['19-23', '24+'], maxLevel: null, qans: catalogue.qualifications.filter((q) => levelRank(q.level) >= levelRank('3') && random() < 0.8).map((q) => q.qan).sort() },
  ];
  return { providers, occupations, fundingRules };
}
