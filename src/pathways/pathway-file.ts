/**
 * The pathway data file (docs/pathway-data-format.md), pure: parse and check one JSON
 * document of providers and their offers, occupations, and funding rules, naming every
 * problem by where it is (row) and which field; and the content hash of each entry, so a
 * second load of the same file changes nothing and a changed one says what changed.
 */
import { createHash } from 'node:crypto';
import { isLevel, QAN_PATTERN, UKPRN_PATTERN, URN_PATTERN, type Level } from '../catalogue/model.js';
import { AGE_BANDS, REGIONS, type AgeBand } from './generator.js';

export const MAX_PATHWAY_FILE_BYTES = 20 * 1024 * 1024;
export const DELIVERY_MODES = ['classroom', 'online', 'blended', 'work-based'] as const;
export const PRIOR_ATTAINMENT = ['none', 'first-full-level-2', 'first-full-level-3', 'legal-entitlement'] as const;

export interface FileOffer {
  urn?: string;
  qan?: string;
  deliveryMode?: string;
  from: string;
  to: string | null;
  startDates: string[];
}
export interface FileProvider {
  ukprn: string;
  name: string;
  region: string;
  postcodeDistrict: string | null;
  offers: FileOffer[];
}
export interface FileOccupation {
  code: string;
  scheme: 'SOC2020' | 'standard';
  title: string;
  qans: string[];
}
export interface FileFundingRule {
  id: string;
  name: string;
  ageBands: AgeBand[];
  maxLevel: Level | null;
  priorAttainment: string[];
  from: string | null;
  to: string | null;
  qans: string[];
}
export interface PathwayFile {
  providers: FileProvider[];
  occupations: FileOccupation[];
  fundingRules: FileFundingRule[];
}
export interface PathwayProblem {
  /** Where: e.g. "providers[2].offers[0]", or "" for the whole file. */
  row: string;
  field: string;
  problem: string;
}

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const realDate = (s: unknown): s is string =>
  typeof s === 'string' && DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const SOC2020 = /^[0-9]{4}$/;
const STANDARD = /^ST[0-9]{4}$/;
const DISTRICT = /^[A-Z]{1,2}[0-9][0-9A-Z]?$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One offer of a provider, or null when it is not an object. */
function checkOffer(
  o: unknown,
  orow: string,
  bad: (row: string, field: string, problem: string) => void,
): FileOffer | null {
  if (!isObj(o)) {
    bad(orow, '', 'must be an object');
    return null;
  }
  for (const k of Object.keys(o))
    if (!['urn', 'qan', 'deliveryMode', 'from', 'to', 'startDates'].includes(k))
      bad(orow, k, 'is not a field of this row');
  const hasUrn = o.urn !== undefined;
  const hasQan = o.qan !== undefined;
  if (hasUrn === hasQan) bad(orow, 'urn', 'give exactly one of urn (a unit) or qan (a whole qualification)');
  if (hasUrn && (typeof o.urn !== 'string' || !URN_PATTERN.test(o.urn)))
    bad(orow, 'urn', 'must be a URN like J/617/2480');
  if (hasQan && (typeof o.qan !== 'string' || !QAN_PATTERN.test(o.qan)))
    bad(orow, 'qan', 'must be a QAN like 501/1855/9');
  if (o.deliveryMode !== undefined && !(DELIVERY_MODES as readonly unknown[]).includes(o.deliveryMode))
    bad(orow, 'deliveryMode', `must be one of ${DELIVERY_MODES.join(', ')}`);
  if (!realDate(o.from)) bad(orow, 'from', 'must be a real day written YYYY-MM-DD');
  const to = o.to === undefined || o.to === null ? null : (o.to as string);
  if (to !== null && !realDate(to)) bad(orow, 'to', 'must be a real day written YYYY-MM-DD');
  if (to !== null && realDate(o.from) && to < o.from) bad(orow, 'to', 'is before from');
  const starts: string[] = [];
  if (o.startDates !== undefined) {
    if (!Array.isArray(o.startDates)) bad(orow, 'startDates', 'must be a list of days');
    else
      o.startDates.forEach((d, k) => {
        if (!realDate(d)) bad(orow, `startDates[${k}]`, 'must be a real day written YYYY-MM-DD');
        else starts.push(d);
      });
  }
  return {
    ...(hasUrn ? { urn: o.urn as string } : { qan: o.qan as string }),
    ...(o.deliveryMode !== undefined ? { deliveryMode: o.deliveryMode as string } : {}),
    from: o.from as string,
    to,
    startDates: starts.sort(),
  };
}

/** Check a parsed document; every problem is listed, and a file with any is not loaded. */
export function checkPathwayFile(
  text: string,
): { ok: true; file: PathwayFile } | { ok: false; problems: PathwayProblem[] } {
  const problems: PathwayProblem[] = [];
  const bad = (row: string, field: string, problem: string) => problems.push({ row, field, problem });
  if (Buffer.byteLength(text) > MAX_PATHWAY_FILE_BYTES)
    return {
      ok: false,
      problems: [{ row: '', field: '', problem: `the file is over ${MAX_PATHWAY_FILE_BYTES} bytes` }],
    };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [{ row: '', field: '', problem: `not JSON: ${(err as Error).message}` }] };
  }
  if (!isObj(doc)) return { ok: false, problems: [{ row: '', field: '', problem: 'the file must be a JSON object' }] };
  for (const k of Object.keys(doc))
    if (!['format', 'providers', 'occupations', 'fundingRules'].includes(k)) bad('', k, 'is not a field of the file');
  if (doc.format !== 'plr-pathways-1') bad('', 'format', 'must be "plr-pathways-1"');
  const list = (k: string): unknown[] => {
    if (doc[k] === undefined) return [];
    if (!Array.isArray(doc[k])) {
      bad('', k, 'must be a list');
      return [];
    }
    return doc[k];
  };
  const str = (o: Obj, row: string, f: string, max = 200): string => {
    const v = o[f];
    if (typeof v !== 'string' || v.trim() === '' || v.length > max) {
      bad(row, f, `must be text of 1 to ${max} characters`);
      return '';
    }
    return v.trim();
  };
  const optDate = (o: Obj, row: string, f: string): string | null => {
    if (o[f] === undefined || o[f] === null) return null;
    if (!realDate(o[f])) bad(row, f, 'must be a real day written YYYY-MM-DD');
    return o[f] as string;
  };
  const qanList = (o: Obj, row: string, f: string): string[] => {
    const v = o[f];
    if (!Array.isArray(v) || v.length === 0) {
      bad(row, f, 'must be a list of one or more QANs');
      return [];
    }
    v.forEach((q, i) => {
      if (typeof q !== 'string' || !QAN_PATTERN.test(q)) bad(row, `${f}[${i}]`, 'must be a QAN like 501/1855/9');
    });
    return [...new Set(v as string[])];
  };
  const fields = (o: Obj, row: string, allowed: string[]) => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) bad(row, k, 'is not a field of this row');
  };

  const providers: FileProvider[] = [];
  const seenUkprn = new Set<string>();
  list('providers').forEach((p, i) => {
    const row = `providers[${i}]`;
    if (!isObj(p)) return bad(row, '', 'must be an object');
    fields(p, row, ['ukprn', 'name', 'region', 'postcodeDistrict', 'offers']);
    const ukprn = typeof p.ukprn === 'string' ? p.ukprn : '';
    if (!UKPRN_PATTERN.test(ukprn)) bad(row, 'ukprn', 'must be 8 digits starting with 1');
    else if (seenUkprn.has(ukprn)) bad(row, 'ukprn', `${ukprn} is listed twice`);
    seenUkprn.add(ukprn);
    const name = str(p, row, 'name');
    const region = typeof p.region === 'string' ? p.region : '';
    if (!(REGIONS as readonly string[]).includes(region)) bad(row, 'region', `must be one of ${REGIONS.join(', ')}`);
    let district: string | null = null;
    if (p.postcodeDistrict !== undefined && p.postcodeDistrict !== null) {
      if (typeof p.postcodeDistrict !== 'string' || !DISTRICT.test(p.postcodeDistrict))
        bad(row, 'postcodeDistrict', 'must be a postcode district such as LS1 or SW1A');
      else district = p.postcodeDistrict;
    }
    const offers: FileOffer[] = [];
    if (!Array.isArray(p.offers)) bad(row, 'offers', 'must be a list');
    else
      p.offers.forEach((o, j) => {
        const offer = checkOffer(o, `${row}.offers[${j}]`, bad);
        if (offer) offers.push(offer);
      });
    providers.push({ ukprn, name, region, postcodeDistrict: district, offers });
  });

  const occupations: FileOccupation[] = [];
  const seenCode = new Set<string>();
  list('occupations').forEach((o, i) => {
    const row = `occupations[${i}]`;
    if (!isObj(o)) return bad(row, '', 'must be an object');
    fields(o, row, ['code', 'title', 'qans']);
    const code = typeof o.code === 'string' ? o.code : '';
    const scheme = SOC2020.test(code) ? 'SOC2020' : STANDARD.test(code) ? 'standard' : null;
    if (!scheme) bad(row, 'code', 'must be a SOC 2020 unit group (4 digits) or an occupational standard (ST0123)');
    else if (seenCode.has(code)) bad(row, 'code', `${code} is listed twice`);
    seenCode.add(code);
    occupations.push({ code, scheme: scheme ?? 'SOC2020', title: str(o, row, 'title'), qans: qanList(o, row, 'qans') });
  });

  const fundingRules: FileFundingRule[] = [];
  const seenId = new Set<string>();
  list('fundingRules').forEach((f, i) => {
    const row = `fundingRules[${i}]`;
    if (!isObj(f)) return bad(row, '', 'must be an object');
    fields(f, row, ['id', 'name', 'ageBands', 'maxLevel', 'priorAttainment', 'from', 'to', 'qans']);
    const id = str(f, row, 'id', 60);
    if (id && seenId.has(id)) bad(row, 'id', `${id} is listed twice`);
    seenId.add(id);
    const bands = Array.isArray(f.ageBands) ? f.ageBands : null;
    if (!bands || bands.length === 0 || bands.some((b) => !(AGE_BANDS as readonly unknown[]).includes(b)))
      bad(row, 'ageBands', `must be a list of one or more of ${AGE_BANDS.join(', ')}`);
    if (f.maxLevel !== undefined && f.maxLevel !== null && !isLevel(f.maxLevel))
      bad(row, 'maxLevel', 'must be a level: E1, E2, E3 or 1 to 8');
    const prior = f.priorAttainment === undefined ? [] : f.priorAttainment;
    if (!Array.isArray(prior) || prior.some((p) => !(PRIOR_ATTAINMENT as readonly unknown[]).includes(p)))
      bad(row, 'priorAttainment', `must be a list of ${PRIOR_ATTAINMENT.join(', ')}`);
    const from = optDate(f, row, 'from');
    const to = optDate(f, row, 'to');
    if (from && to && to < from) bad(row, 'to', 'is before from');
    fundingRules.push({
      id,
      name: str(f, row, 'name'),
      ageBands: [...new Set((bands ?? []) as AgeBand[])].sort(),
      maxLevel: isLevel(f.maxLevel) ? f.maxLevel : null,
      priorAttainment: Array.isArray(prior) ? [...new Set(prior as string[])].sort() : [],
      from,
      to,
      qans: qanList(f, row, 'qans'),
    });
  });
  if (providers.length + occupations.length + fundingRules.length === 0 && problems.length === 0)
    bad('', '', 'the file holds no providers, occupations or funding rules');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, file: { providers, occupations, fundingRules } };
}

/** The content hash of one entry: the same content, whatever its order in the file, the same hash. */
export function entryHash(entry: object): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
      : isObj(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon(v[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canon(entry)))
    .digest('hex')
    .slice(0, 32);
}
