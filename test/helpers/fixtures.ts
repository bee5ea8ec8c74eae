import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { parseCatalogue } from '../../src/catalogue/catalogue-file.js';
import { loadCatalogue } from '../../src/catalogue/service.js';
import type { Catalogue } from '../../src/catalogue/model.js';
import type { Graph } from '../../src/platform/neo4j.js';
import { upsertLearners, type LearnerRow } from '../../src/learners/repository.js';
import { recordUnitCredits, type UnitCreditRow } from '../../src/achievements/repository.js';

export function sampleCatalogue(): Catalogue {
  const parsed = parseCatalogue(readFileSync(path.join(PROJECT_ROOT, 'catalogue', 'sample-catalogue.json'), 'utf8'));
  if (!parsed.ok) throw new Error('the sample catalogue does not validate');
  return parsed.catalogue;
}

export async function loadSample(graph: Graph): Promise<Catalogue> {
  const c = sampleCatalogue();
  await loadCatalogue(graph, c);
  return c;
}

export function learner(uln: string, extra: Partial<LearnerRow> = {}): LearnerRow {
  return {
    uln,
    givenName: 'Ada',
    familyName: 'Lovelace',
    dateOfBirth: '2004-12-10',
    gender: 'F',
    postcode: 'W1 1AA',
    email: 'ada@example.org',
    ...extra,
  };
}

/** A unit credit with the catalogue's value and level for the unit. */
export function credit(
  c: Catalogue,
  uln: string,
  urn: string,
  recordId: string,
  extra: Partial<UnitCreditRow> = {},
): UnitCreditRow {
  const unit = c.units.find((u) => u.urn === urn);
  if (!unit) throw new Error(`no unit ${urn} in the catalogue`);
  return {
    recordId,
    aoUkprn: '10000001',
    uln,
    urn,
    credit: unit.credit,
    level: unit.level,
    awardDate: '2025-06-01',
    status: 'active',
    ...extra,
  };
}

export { upsertLearners, recordUnitCredits };
