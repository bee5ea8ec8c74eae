/**
 * A seeded, deterministic generator of realistic QCF catalogues, for tests, demos and
 * load checks. Pure: no I/O, no clock, no Math.random. The same options always give the
 * same catalogue; every catalogue it makes passes parseCatalogue.
 *
 * Shape: units spread from Entry 1 to level 8 (most at levels 1 to 3), each in a subject
 * sector; qualifications in a sector and at a level draw their units mostly from that
 * sector at or next to that level, plus some cross-sector "common" units, so units are
 * shared by many qualifications as in the real framework.
 */
import { CATALOGUE_LIMITS, groupReach } from './catalogue-file.js';
import {
  type Catalogue,
  type Equivalence,
  type Exemption,
  type Qualification,
  type QualificationSize,
  type RuleGroup,
  type Unit,
  LEVELS,
  qualificationSize,
  UKPRN_PATTERN,
} from './model.js';

export interface GenerateCatalogueOptions {
  seed: number;
  /** Number of units; default 20,000. */
  units?: number;
  /** Number of qualifications; default 10,000. */
  qualifications?: number;
  /** UKPRNs of the awarding organisations to own qualifications; default DEFAULT_AOS. */
  aos?: string[];
}

export const DEFAULT_UNIT_COUNT = 20_000;
export const DEFAULT_QUALIFICATION_COUNT = 10_000;

/** Invented UKPRNs (8 digits starting with 1) for made-up awarding organisations. */
export const DEFAULT_AOS: readonly string[] = [
  '10000418',
  '10001736',
  '10002952',
  '10004471',
  '10005389',
  '10006620',
  '10007304',
  '10008815',
  '10010267',
  '10011543',
  '10012908',
  '10014172',
  '10015536',
  '10016847',
  '10018093',
  '10019360',
  '10020714',
  '10021985',
  '10023241',
  '10024678',
  '10025907',
  '10027153',
  '10028469',
  '10029730',
];

/** mulberry32: a small, fast 32-bit PRNG; good enough for test data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded stream of random choices; every generator (catalogue, learners, pathways) draws from one. */
export class Random {
  private readonly next: () => number;
  /** A salt keeps streams made from the same seed apart (learners and their achievements). */
  constructor(seed: number, salt = 0) {
    // Spread nearby seeds apart before feeding the PRNG (one splitmix32-style round).
    let s = (Math.trunc(seed) ^ salt ^ 0x9e3779b9) >>> 0;
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
    this.next = mulberry32((s ^ (s >>> 16)) >>> 0);
  }
  float(): number {
    return this.next();
  }
  /** Whole number in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Like pick, but earlier items are more likely (common names first). */
  pickCommon<T>(items: readonly T[]): T {
    return items[Math.floor(items.length * this.next() ** 1.3)];
  }
  /** Index chosen with the given relative weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    // The last index takes whatever is left, including any rounding remainder.
    for (let i = 0; i < weights.length - 1; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.length - 1;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const x = items[i];
      items[i] = items[j];
      items[j] = x;
    }
    return items;
  }
}

interface Sector {
  /** As it appears in qualification titles, e.g. "Food Safety". */
  areas: string[];
  /** Unit topics, e.g. "food hygiene". */
  topics: string[];
}

const SECTORS: Sector[] = [
  {
    areas: ['Food Safety', 'Professional Cookery', 'Food and Beverage Service', 'Hospitality Supervision'],
    topics: [
      'food hygiene',
      'kitchen equipment',
      'food storage',
      'allergen control',
      'menu planning',
      'pastry work',
      'cooking vegetables',
      'fish and shellfish',
      'meat and poultry',
      'beverage service',
      'front of house service',
      'HACCP procedures',
    ],
  },
  {
    areas: ['Health and Social Care', 'Adult Care', 'Dementia Care', 'Care Leadership'],
    topics: [
      'safeguarding adults',
      'duty of care',
      'person-centred care',
      'infection control',
      'medication handling',
      'dementia awareness',
      'end of life care',
      'moving and positioning',
      'nutrition and hydration',
      'mental health awareness',
    ],
  },
  {
    areas: ['Business Administration', 'Team Leading', 'Management', 'Project Management'],
    topics: [
      'business documents',
      'office procedures',
      'team leadership',
      'meeting organisation',
      'budget control',
      'project planning',
      'change management',
      'performance review',
      'records management',
      'business communication',
    ],
  },
  {
    areas: ['Customer Service', 'Retail Skills', 'Contact Centre Operations', 'Sales'],
    topics: [
      'customer service',
      'customer complaints',
      'stock control',
      'visual merchandising',
      'telephone handling',
      'sales techniques',
      'product knowledge',
      'payment handling',
      'customer feedback',
      'service improvement',
    ],
  },
  {
    areas: ['Information Technology', 'Software Development', 'IT User Skills', 'Digital Marketing'],
    topics: [
      'spreadsheet software',
      'word processing',
      'database design',
      'web development',
      'network security',
      'programming principles',
      'software testing',
      'IT troubleshooting',
      'social media marketing',
      'data analysis',
    ],
  },
  {
    areas: ['Construction', 'Bricklaying', 'Carpentry and Joinery', 'Site Supervision'],
    topics: [
      'construction site safety',
      'brickwork',
      'timber frame construction',
      'roof structures',
      'setting out',
      'scaffolding awareness',
      'building regulations',
      'site surveys',
      'plastering',
      'ground works',
    ],
  },
  {
    areas: ['Electrical Installation', 'Engineering Maintenance', 'Mechanical Engineering', 'Welding'],
    topics: [
      'electrical principles',
      'wiring systems',
      'inspection and testing',
      'engineering drawings',
      'hand tools',
      'hydraulic systems',
      'pneumatic systems',
      'fault diagnosis',
      'welding processes',
      'machining',
    ],
  },
  {
    areas: ['Early Years Education', 'Supporting Teaching and Learning', 'Education and Training', 'Youth Work'],
    topics: [
      'child development',
      'play and learning',
      'safeguarding children',
      'special educational needs',
      'classroom support',
      'assessment practice',
      'lesson planning',
      'inclusive teaching',
      'behaviour support',
      'working with parents',
    ],
  },
  {
    areas: ['Hairdressing', 'Beauty Therapy', 'Nail Services', 'Barbering'],
    topics: [
      'hair cutting',
      'hair colouring',
      'shampoo and conditioning',
      'facial treatments',
      'nail art',
      'make-up application',
      'salon hygiene',
      'client consultation',
      'waxing techniques',
      'barbering techniques',
    ],
  },
  {
    areas: ['Sport and Fitness', 'Personal Training', 'Outdoor Activity Leadership', 'Exercise and Health'],
    topics: [
      'anatomy and physiology',
      'fitness instruction',
      'exercise programming',
      'sports coaching',
      'nutrition for sport',
      'first aid in sport',
      'outdoor leadership',
      'injury prevention',
      'gym induction',
      'health screening',
    ],
  },
  {
    areas: ['Warehousing and Storage', 'Logistics Operations', 'Driving Goods Vehicles', 'Supply Chain Management'],
    topics: [
      'forklift operation',
      'goods receipt',
      'order picking',
      'route planning',
      'vehicle checks',
      'dangerous goods',
      'inventory control',
      'supply chain planning',
      'loading and securing',
      'transport law',
    ],
  },
  {
    areas: ['Horticulture', 'Agriculture', 'Animal Care', 'Land-based Operations'],
    topics: [
      'plant propagation',
      'soil science',
      'crop production',
      'livestock husbandry',
      'animal welfare',
      'grounds maintenance',
      'tractor operation',
      'tree planting',
      'pest control',
      'animal feeding',
    ],
  },
  {
    areas: ['Creative Media', 'Art and Design', 'Music Technology', 'Photography'],
    topics: [
      'digital imaging',
      'video editing',
      'sound recording',
      'graphic design',
      'drawing techniques',
      'photographic lighting',
      'media law',
      'storyboarding',
      'music sequencing',
      'portfolio preparation',
    ],
  },
  {
    areas: ['Accounting', 'Bookkeeping', 'Financial Services', 'Payroll'],
    topics: [
      'double-entry bookkeeping',
      'bank reconciliation',
      'payroll processing',
      'VAT returns',
      'management accounts',
      'financial statements',
      'credit control',
      'cost accounting',
      'financial regulation',
      'audit principles',
    ],
  },
];

/** Units of this sector appear in qualifications of every sector. */
const COMMON: Sector = {
  areas: ['Employability', 'Personal Development'],
  topics: [
    'health and safety at work',
    'equality and diversity',
    'working in a team',
    'personal effectiveness',
    'communication skills',
    'problem solving',
    'numeracy at work',
    'preparing for work',
    'first aid at work',
    'environmental awareness',
  ],
};

const ALL_SECTORS = [...SECTORS, COMMON];
const COMMON_INDEX = SECTORS.length;
const RANKS = LEVELS.length;

/** Relative frequency of units and qualifications by level, Entry 1 ... level 8. */
const UNIT_LEVEL_WEIGHTS = [3, 3, 5, 14, 20, 20, 9, 9, 7, 6, 4];
const QUAL_LEVEL_WEIGHTS = [3, 3, 5, 14, 22, 20, 9, 8, 7, 6, 3];

/** Typical unit credit values by level band. */
const CREDITS_ENTRY = [1, 1, 2, 2, 3, 3, 4, 5, 6];
const CREDITS_LOW = [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8, 10, 12, 15];
const CREDITS_MID = [3, 4, 5, 6, 8, 10, 10, 12, 15, 15, 20, 30];
const CREDITS_HIGH = [5, 10, 10, 15, 15, 20, 20, 30, 40, 60];

const VERBS_LOW = ['Introduction to', 'Developing skills in', 'Awareness of', 'Basic', 'Getting started with'];
const VERBS_MID = ['Principles of', 'Understand', 'Carry out', 'Contribute to', 'Safe practice in', 'Working with'];
const VERBS_HIGH = ['Manage', 'Lead', 'Strategic approaches to', 'Evaluate', 'Research methods in', 'Plan and review'];

const EXEMPTION_NAMES = [
  'Completed apprenticeship framework (pre-QCF)',
  'Recognised prior learning portfolio',
  'Overseas vocational certificate',
  'Employer in-house training programme',
  'Armed forces trade qualification',
  'Legacy NVQ certificate',
];

const GROUP_LETTERS = 'ABCDEFGHIJKLMNOP';
const QAN_CHECK_CHARS = [...'0123456789X'];

function levelName(rank: number): string {
  const level = LEVELS[rank];
  return level.startsWith('E') ? `Entry ${level.slice(1)}` : `Level ${level}`;
}

function isoDate(epochDays: number): string {
  return new Date(epochDays * 86_400_000).toISOString().slice(0, 10);
}

function checkCount(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be a whole number from 0 to ${max}, got ${value}`);
  }
  return value;
}

/** Build a seeded catalogue. Throws RangeError only for impossible options. */
export function generateCatalogue(opts: GenerateCatalogueOptions): Catalogue {
  if (typeof opts.seed !== 'number' || !Number.isFinite(opts.seed))
    throw new RangeError('seed must be a finite number');
  const unitCount = checkCount('units', opts.units, DEFAULT_UNIT_COUNT, CATALOGUE_LIMITS.maxUnits);
  const qualCount = checkCount(
    'qualifications',
    opts.qualifications,
    DEFAULT_QUALIFICATION_COUNT,
    CATALOGUE_LIMITS.maxQualifications,
  );
  const aos = opts.aos ?? DEFAULT_AOS;
  if (aos.length === 0) throw new RangeError('aos must name at least one awarding organisation');
  for (const ao of aos) if (!UKPRN_PATTERN.test(ao)) throw new RangeError(`not a UKPRN: ${ao}`);
  if (qualCount > 0 && unitCount === 0) throw new RangeError('qualifications need at least one unit');

  const rnd = new Random(opts.seed);
  const { units, unitSector, unitRank } = makeUnits(rnd, unitCount);
  const pools = makePools(unitSector, unitRank);
  const drawer = new UnitDrawer(rnd, pools, unitCount);

  const qualifications: Qualification[] = [];
  const qans = new Set<string>();
  for (let i = 0; i < qualCount; i++) {
    let qan: string;
    do {
      qan = `${rnd.int(500, 699)}/${String(rnd.int(0, 9999)).padStart(4, '0')}/${rnd.pick(QAN_CHECK_CHARS)}`;
    } while (qans.has(qan));
    qans.add(qan);
    qualifications.push(makeQualification(rnd, drawer, units, qan, aos));
  }

  const equivalences = makeGlobalEquivalences(rnd, units, pools, unitSector, unitRank);
  return { units, qualifications, equivalences };
}

function makeUnits(rnd: Random, count: number): { units: Unit[]; unitSector: Uint8Array; unitRank: Uint8Array } {
  const units = new Array<Unit>(count);
  const unitSector = new Uint8Array(count);
  const unitRank = new Uint8Array(count);
  const urns = new Set<string>();
  for (let i = 0; i < count; i++) {
    let urn: string;
    do {
      urn = `${String.fromCharCode(65 + rnd.int(0, 25))}/${rnd.int(100, 699)}/${String(rnd.int(0, 9999)).padStart(4, '0')}`;
    } while (urns.has(urn));
    urns.add(urn);
    const sector = rnd.chance(0.12) ? COMMON_INDEX : rnd.int(0, SECTORS.length - 1);
    const rank = rnd.weighted(UNIT_LEVEL_WEIGHTS);
    const band = rank <= 2 ? CREDITS_ENTRY : rank <= 5 ? CREDITS_LOW : rank <= 8 ? CREDITS_MID : CREDITS_HIGH;
    const verbs = rank <= 3 ? VERBS_LOW : rank <= 6 ? VERBS_MID : VERBS_HIGH;
    const topic = rnd.pick(ALL_SECTORS[sector].topics);
    units[i] = { urn, title: `${rnd.pick(verbs)} ${topic}`, level: LEVELS[rank], credit: rnd.pick(band) };
    unitSector[i] = sector;
    unitRank[i] = rank;
  }
  return { units, unitSector, unitRank };
}

/** Unit indices by (sector, level rank): pools[sector * RANKS + rank]. */
function makePools(unitSector: Uint8Array, unitRank: Uint8Array): number[][] {
  const pools: number[][] = Array.from({ length: ALL_SECTORS.length * RANKS }, () => []);
  for (let i = 0; i < unitSector.length; i++) pools[unitSector[i] * RANKS + unitRank[i]].push(i);
  return pools;
}

class UnitDrawer {
  constructor(
    private readonly rnd: Random,
    private readonly pools: number[][],
    private readonly unitCount: number,
  ) {}

  /** A unit near (sector, rank): usually the same sector and level, sometimes one level off or common. */
  draw(sector: number, rank: number): number {
    const rnd = this.rnd;
    const s = rnd.chance(0.2) ? COMMON_INDEX : sector;
    let r = rank;
    if (rnd.chance(0.35)) r += rnd.chance(0.5) ? -1 : 1;
    r = Math.max(0, Math.min(RANKS - 1, r));
    const pool = this.pools[s * RANKS + r];
    if (pool.length > 0) return rnd.pick(pool);
    // Sparse catalogues: widen the search by level, then fall back to any unit.
    for (let d = 0; d < RANKS; d++) {
      for (const rr of [rank - d, rank + d]) {
        if (rr < 0 || rr >= RANKS) continue;
        for (const ss of [sector, COMMON_INDEX]) {
          const p = this.pools[ss * RANKS + rr];
          if (p.length > 0) return rnd.pick(p);
        }
      }
    }
    return rnd.int(0, this.unitCount - 1);
  }
}

function pickTotalCredits(rnd: Random, size: QualificationSize, rank: number): number {
  if (size === 'Award') return rnd.int(rank >= 9 ? 5 : rank >= 6 ? 3 : 1, 12);
  if (size === 'Certificate') return rnd.int(13, 36);
  // Diplomas: mostly 37 to 120 credits, a few up to about 240.
  const x = rnd.float();
  return 37 + Math.floor(x * x * 200);
}

interface Draft {
  group: RuleGroup;
  /** Unit indices, parallel to group.units. */
  members: number[];
}

function makeQualification(
  rnd: Random,
  drawer: UnitDrawer,
  units: Unit[],
  qan: string,
  aos: readonly string[],
): Qualification {
  const rank = rnd.weighted(QUAL_LEVEL_WEIGHTS);
  const sectorIndex = rnd.int(0, SECTORS.length - 1);
  const sizeRoll = rnd.float();
  const plannedSize: QualificationSize = sizeRoll < 0.45 ? 'Award' : sizeRoll < 0.8 ? 'Certificate' : 'Diploma';
  const planned = pickTotalCredits(rnd, plannedSize, rank);
  const credit = (u: number) => units[u].credit;

  const used = new Set<number>();
  const drafts: Draft[] = [];
  const nextId = () => GROUP_LETTERS[drafts.length];

  // Mandatory group.
  let mandatoryCredits = 0;
  const mandatoryChance = plannedSize === 'Award' ? 0.6 : plannedSize === 'Certificate' ? 0.8 : 0.85;
  if (rnd.chance(mandatoryChance)) {
    const target = planned <= 3 ? planned : Math.max(1, Math.round(planned * (0.25 + 0.5 * rnd.float())));
    const members: number[] = [];
    for (let attempt = 0; attempt < 60 && mandatoryCredits < target && members.length < 60; attempt++) {
      const u = drawer.draw(sectorIndex, rank);
      if (used.has(u) || mandatoryCredits + credit(u) > target) continue;
      used.add(u);
      members.push(u);
      mandatoryCredits += credit(u);
    }
    if (members.length > 0) {
      drafts.push({
        group: { id: nextId(), title: 'Mandatory units', mandatory: true, units: members.map((u) => units[u].urn) },
        members,
      });
    }
  }

  // Optional groups with credit minimums that together make up the rest.
  const remaining = planned - mandatoryCredits;
  let total = mandatoryCredits;
  const optionalWithMinimum: Draft[] = [];
  if (remaining > 0) {
    let k =
      plannedSize === 'Award'
        ? 1
        : plannedSize === 'Certificate'
          ? rnd.int(1, 2)
          : 1 + Math.floor(remaining / 50) + rnd.int(0, 1);
    k = Math.max(1, Math.min(k, 6, remaining));
    const shares = splitInto(rnd, remaining, k);
    for (const share of shares) {
      const draft = makeOptionalGroup(rnd, drawer, units, used, sectorIndex, rank, share, nextId());
      if (!draft) continue;
      drafts.push(draft);
      optionalWithMinimum.push(draft);
      total += draft.group.minCredits!;
    }
  }

  // Sometimes an extra optional group with no minimum, which only adds choice.
  if (plannedSize !== 'Award' && rnd.chance(0.3) && drafts.length < GROUP_LETTERS.length) {
    const members: number[] = [];
    const want = rnd.int(3, 10);
    for (let attempt = 0; attempt < want * 4 && members.length < want; attempt++) {
      const u = drawer.draw(sectorIndex, rank);
      if (used.has(u)) continue;
      used.add(u);
      members.push(u);
    }
    if (members.length > 0) {
      const group: RuleGroup = {
        id: nextId(),
        title: 'Further optional units',
        mandatory: false,
        units: members.map((u) => units[u].urn),
      };
      if (rnd.chance(0.5)) {
        group.maxCredits = rnd.int(3, 15);
        group.title = `Further optional units (up to ${group.maxCredits} credits)`;
      }
      drafts.push({ group, members });
    }
  }

  // A unit that sits in two optional groups of this qualification.
  if (optionalWithMinimum.length >= 2 && rnd.chance(0.15)) {
    const a = optionalWithMinimum[0];
    const b = optionalWithMinimum[1];
    const u = rnd.pick(a.members);
    if (!b.members.includes(u) && b.members.length < CATALOGUE_LIMITS.maxUnitsPerGroup) {
      b.members.push(u);
      b.group.units.push(units[u].urn);
    }
  }

  const size = qualificationSize(total);
  const q: Qualification = {
    qan,
    title: `${levelName(rank)} ${size} in ${rnd.pick(SECTORS[sectorIndex].areas)}`,
    level: LEVELS[rank],
    aoUkprn: aos[Math.floor(aos.length * rnd.float() ** 2)],
    operationalStart: '',
    totalCredits: total,
    groups: drafts.map((d) => d.group),
    barred: [],
    equivalences: [],
    exemptions: [],
  };
  const startDay = Date.UTC(2010, 8, 1) / 86_400_000 + rnd.int(0, 7 * 365);
  q.operationalStart = isoDate(startDay);
  if (rnd.chance(0.6)) q.operationalEnd = isoDate(startDay + rnd.int(3 * 365, 8 * 365));

  // Credits at or above the qualification's level.
  if (size !== 'Award' && rnd.chance(0.2)) {
    let available = 0;
    for (const u of used) if (LEVELS.indexOf(units[u].level) >= rank) available += credit(u);
    const wanted = Math.round(total * (0.3 + 0.3 * rnd.float()));
    const credits = Math.min(wanted, available, total);
    if (credits >= 1) q.minCreditsAtLevel = { level: LEVELS[rank], credits };
  }

  addCrossRules(rnd, drawer, units, used, { sectorIndex, rank }, optionalWithMinimum, q);
  if (rnd.chance(0.08)) q.validityYears = rnd.int(3, 10);
  return q;
}

/**
 * The rules across a qualification's groups, drawn after its groups (in this order, so that a
 * seed draws the same catalogue): sometimes a barred pair, equivalences, an exemption.
 */
function addCrossRules(
  rnd: Random,
  drawer: UnitDrawer,
  units: Unit[],
  used: Set<number>,
  { sectorIndex, rank }: { sectorIndex: number; rank: number },
  optionalWithMinimum: Draft[],
  q: Qualification,
): void {
  const credit = (u: number) => units[u].credit;
  // A barred pair inside an optional group that has room to lose either unit.
  if (rnd.chance(0.08)) {
    const candidates = optionalWithMinimum.filter((d) => d.members.length >= 3);
    if (candidates.length > 0) {
      const d = rnd.pick(candidates);
      const i = rnd.int(0, d.members.length - 1);
      let j = rnd.int(0, d.members.length - 2);
      if (j >= i) j++;
      const [a, b] = [d.members[i], d.members[j]];
      const bigger = credit(a) >= credit(b) ? a : b;
      const rest = d.members.filter((u) => u !== bigger).map(credit);
      const reach = groupReach(d.group, rest);
      if (reach.bestCredits >= d.group.minCredits! && rest.length >= (d.group.minUnits ?? 0)) {
        const set = [units[a].urn, units[b].urn];
        if (rnd.chance(0.3)) {
          const outside = drawer.draw(sectorIndex, rank);
          if (!used.has(outside)) set.push(units[outside].urn);
        }
        q.barred.push(set);
      }
    }
  }

  // Equivalences for this qualification: an outside unit counts as one of its own.
  if (rnd.chance(0.05)) {
    const inside = [...used];
    const n = rnd.int(1, 2);
    const seen = new Set<string>();
    for (let e = 0; e < n; e++) {
      const from = drawer.draw(sectorIndex, rank);
      const to = rnd.pick(inside);
      if (from === to || used.has(from)) continue;
      const key = `${from}>${to}`;
      if (seen.has(key)) continue;
      seen.add(key);
      q.equivalences.push({ from: units[from].urn, to: units[to].urn });
    }
  }

  // An exemption counting towards a group with a credit minimum.
  if (optionalWithMinimum.length > 0 && rnd.chance(0.05)) {
    const d = rnd.pick(optionalWithMinimum);
    const ex: Exemption = {
      name: rnd.pick(EXEMPTION_NAMES),
      group: d.group.id,
      credits: rnd.int(1, Math.min(6, d.group.minCredits!)),
    };
    q.exemptions.push(ex);
  }
}

/** Split n into k positive whole parts at random. */
function splitInto(rnd: Random, n: number, k: number): number[] {
  if (k <= 1) return [n];
  const cuts = new Set<number>();
  while (cuts.size < k - 1) cuts.add(rnd.int(1, n - 1));
  const sorted = [...cuts].sort((a, b) => a - b);
  const parts: number[] = [];
  let prev = 0;
  for (const c of sorted) {
    parts.push(c - prev);
    prev = c;
  }
  parts.push(n - prev);
  return parts;
}

/**
 * An optional group asking for `share` credits, with more units than it needs so
 * learners have a choice. Returns null only when no unused unit could be found at all.
 * When units are too scarce to offer `share` credits, the minimum is lowered to what
 * the group can give.
 */
function makeOptionalGroup(
  rnd: Random,
  drawer: UnitDrawer,
  units: Unit[],
  used: Set<number>,
  sector: number,
  rank: number,
  share: number,
  id: string,
): Draft | null {
  const maxMembers = 60;
  // Offer a real choice: well over the minimum in credits, and at least a handful of units.
  const want = Math.ceil(share * (1.5 + 2.5 * rnd.float())) + 2;
  const fewest = rnd.int(3, 8);
  const members: number[] = [];
  let sum = 0;
  for (
    let attempt = 0;
    attempt < 400 && (sum < want || members.length < fewest) && members.length < maxMembers;
    attempt++
  ) {
    const u = drawer.draw(sector, rank);
    if (used.has(u)) continue;
    used.add(u);
    members.push(u);
    sum += units[u].credit;
  }
  if (sum < share) {
    // Scarce or unlucky: scan the catalogue from a random point for unused units.
    const n = units.length;
    const start = rnd.int(0, n - 1);
    for (let step = 0; step < n && sum < share && members.length < CATALOGUE_LIMITS.maxUnitsPerGroup; step++) {
      const u = (start + step) % n;
      if (used.has(u)) continue;
      used.add(u);
      members.push(u);
      sum += units[u].credit;
    }
  }
  if (members.length === 0) return null;
  const minCredits = Math.min(share, sum);
  const group: RuleGroup = {
    id,
    title: `Optional units: at least ${minCredits} credits`,
    mandatory: false,
    minCredits,
    units: members.map((u) => units[u].urn),
  };
  if (rnd.chance(0.25)) group.maxCredits = minCredits + rnd.int(0, minCredits);
  if (rnd.chance(0.15)) group.minUnits = rnd.int(1, Math.min(3, members.length));
  if (rnd.chance(0.15)) {
    // The fewest units that can reach the minimum, plus a little room.
    const sorted = members.map((u) => units[u].credit).sort((a, b) => b - a);
    let needed = 0;
    let acc = 0;
    while (acc < minCredits && needed < sorted.length) acc += sorted[needed++];
    group.maxUnits = Math.min(members.length, Math.max(needed, group.minUnits ?? 1, 1) + rnd.int(0, 3));
  }
  return { group, members };
}

function makeGlobalEquivalences(
  rnd: Random,
  units: Unit[],
  pools: number[][],
  unitSector: Uint8Array,
  unitRank: Uint8Array,
): Equivalence[] {
  const out: Equivalence[] = [];
  if (units.length < 2) return out;
  const wanted = Math.round(units.length * 0.005);
  const seen = new Set<string>();
  for (let attempt = 0; attempt < wanted * 3 && out.length < wanted; attempt++) {
    const a = rnd.int(0, units.length - 1);
    const pool = pools[unitSector[a] * RANKS + unitRank[a]];
    const b = rnd.pick(pool);
    const key = `${a}>${b}`;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    // Read as: an older unit `a` counts as its replacement `b`.
    out.push({ from: units[a].urn, to: units[b].urn });
  }
  return out;
}
