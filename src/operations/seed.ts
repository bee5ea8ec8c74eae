/**
 * Demo data for `plr start` and `plr seed`: the sample catalogue, the sample learner file
 * (so the README's sample achievement files match registered learners), and generated
 * learners with unit credits against the catalogue. Deterministic, so seeding again
 * changes nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import type { Graph } from '../platform/neo4j.js';
import { parseCatalogue } from '../catalogue/catalogue-file.js';
import { loadCatalogue } from '../catalogue/service.js';
import { generateAchievements, generateLearners } from '../learners/generator.js';
import { upsertLearners } from '../learners/repository.js';
import { recordUnitCredits } from '../achievements/repository.js';
import { loadLearnerFile } from '../learners/register/load.js';
import { upsertOrganisation } from '../identity/repository.js';

export const SAMPLE_CATALOGUE = path.join(PROJECT_ROOT, 'catalogue', 'sample-catalogue.json');
/** Names for the sample catalogue's awarding organisations (invented, like the catalogue), so prints name them. */
export const DEMO_AOS = [
  { ukprn: '10034567', name: 'Northgate Awards', nation: 'GB-ENG', kind: 'ao' as const },
  { ukprn: '10087654', name: 'Cymwysterau Glannau Dyfrdwy', nation: 'GB-WLS', kind: 'ao' as const },
];
export const SAMPLE_LEARNERS = path.join(PROJECT_ROOT, 'samples', 'learners.sample.csv');

export interface SeedReport {
  units: number;
  qualifications: number;
  learners: number;
  /** Learners from samples/learners.sample.csv. */
  sampleLearners: number;
  credits: number;
  /** A few learners worth looking at, with what they hold. */
  examples: { uln: string; credits: number }[];
}

export async function seedDemo(graph: Graph, opts: { learners?: number; seed?: number } = {}): Promise<SeedReport> {
  const parsed = parseCatalogue(readFileSync(SAMPLE_CATALOGUE, 'utf8'));
  if (!parsed.ok) throw new Error(`the sample catalogue does not validate: ${parsed.errors[0].message}`);
  const catalogue = parsed.catalogue;
  await loadCatalogue(graph, catalogue);
  for (const ao of DEMO_AOS) await upsertOrganisation(graph, ao);

  const seed = opts.seed ?? 2026;
  const learners = generateLearners({ seed, count: opts.learners ?? 200 });
  const achievements = generateAchievements({ seed, learners, catalogue });
  await upsertLearners(graph, learners);
  const samples = await loadLearnerFile(graph, SAMPLE_LEARNERS);
  if (!samples.ok) throw new Error(`the sample learner file does not validate: ${samples.errors[0]?.message}`);
  const credits = await recordUnitCredits(
    graph,
    achievements.map((a) => ({ ...a, grade: a.grade ?? undefined })),
  );

  const perLearner = new Map<string, number>();
  for (const a of achievements) perLearner.set(a.uln, (perLearner.get(a.uln) ?? 0) + 1);
  const examples = learners
    .filter((l) => l.available && !l.linkedTo && (perLearner.get(l.uln) ?? 0) >= 4)
    .slice(0, 3)
    .map((l) => ({ uln: l.uln, credits: perLearner.get(l.uln) ?? 0 }));
  return {
    units: catalogue.units.length,
    qualifications: catalogue.qualifications.length,
    learners: learners.length,
    sampleLearners: samples.rows,
    credits,
    examples,
  };
}
