/**
 * Micro-benchmark of the pure route optimiser and RoC evaluator (no server, no graph): a
 * generated catalogue and learners, the largest qualifications, each learner against each
 * one, as test/unit/pathways-optimiser.test.ts's "generated catalogue" case does, repeated --rounds
 * times. Prints CPU milliseconds per round (best and median, so that a busy machine says
 * less), the work done (search and evaluator nodes) and a digest of every answer: a
 * refactoring that keeps behaviour keeps the digest and the node counts.
 *
 *   npx tsx bench/optimiser.ts [--seed 11] [--learners 20] [--quals 12] [--rounds 5]
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { generateCatalogue } from '../src/catalogue/generator.js';
import { generateAchievements, generateLearners } from '../src/learners/generator.js';
import { optimiseRoute } from '../src/pathways/rules/optimiser/index.js';
import { evaluate } from '../src/catalogue/rules/roc/index.js';
import type { LearnerCredit, Qualification } from '../src/catalogue/model.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '11' },
    learners: { type: 'string', default: '20' },
    quals: { type: 'string', default: '12' },
    rounds: { type: 'string', default: '5' },
  },
});
const seed = Number(values.seed);
const catalogue = generateCatalogue({ seed, units: 3000, qualifications: 300 });
const units = new Map(catalogue.units.map((u) => [u.urn, u]));
const learners = generateLearners({ seed, count: Number(values.learners), referenceDate: '2026-11-01' });
const records = generateAchievements({ seed, learners, catalogue, referenceDate: '2026-11-01' });
const creditsOf = new Map<string, LearnerCredit[]>();
for (const a of records) {
  const list = creditsOf.get(a.uln) ?? [];
  list.push({
    id: `${a.aoUkprn}:${a.recordId}`,
    urn: a.urn,
    credit: a.credit,
    level: a.level,
    awardDate: a.awardDate,
    status: a.status === 'withdrawn' ? 'withdrawn' : a.underChallenge ? 'challenged' : 'active',
  });
  creditsOf.set(a.uln, list);
}
const size = (q: Qualification) => q.groups.reduce((s, g) => s + g.units.length, 0);
const quals = [...catalogue.qualifications]
  .sort((a, b) => size(b) - size(a) || (a.qan < b.qan ? -1 : 1))
  .slice(0, Number(values.quals));
/** A small deterministic generator (mulberry32), so that every round asks the same. */
function prng(s: number) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = prng(5);
const cases = learners.flatMap((l) =>
  quals.map((q) => {
    const own = [...new Set(q.groups.flatMap((g) => g.units))];
    return {
      qualification: q,
      units,
      credits: creditsOf.get(l.uln) ?? [],
      globalEquivalences: catalogue.equivalences,
      date: '2026-11-01',
      available: [...own.filter(() => rnd() < 0.9), ...catalogue.units.slice(0, 50).map((u) => u.urn)],
    };
  }),
);

function planned(available: string[]): LearnerCredit[] {
  return available.flatMap((urn) => {
    const u = units.get(urn);
    return u
      ? [{ id: `p:${urn}`, urn, credit: u.credit, level: u.level, awardDate: '2026-11-01', status: 'active' }]
      : [];
  });
}

function cpuMs(f: () => void): number {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
const rounds = Number(values.rounds);
const optimiserMs: number[] = [];
const evaluatorMs: number[] = [];
let digest = '';
let work = { nodes: 0, evaluations: 0, evaluatorNodes: 0, evaluatorOnlyNodes: 0 };
for (let r = 0; r < rounds; r++) {
  const hash = createHash('sha256');
  const w = { nodes: 0, evaluations: 0, evaluatorNodes: 0, evaluatorOnlyNodes: 0 };
  optimiserMs.push(
    cpuMs(() => {
      for (const c of cases) {
        const res = optimiseRoute(c);
        w.nodes += res.stats.nodes;
        w.evaluations += res.stats.evaluations;
        w.evaluatorNodes += res.stats.evaluatorNodes;
        hash.update(JSON.stringify(res));
      }
    }),
  );
  evaluatorMs.push(
    cpuMs(() => {
      for (const c of cases) {
        // The learner's credits, then also every available unit as a planned credit.
        for (const credits of [c.credits, [...c.credits, ...planned(c.available)]]) {
          const ev = evaluate({ ...c, credits });
          w.evaluatorOnlyNodes += ev.nodes;
          hash.update(JSON.stringify(ev));
        }
      }
    }),
  );
  digest = hash.digest('hex').slice(0, 16);
  work = w;
}
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const fmt = (xs: number[]) =>
  `best ${sorted(xs)[0].toFixed(0)} ms, median ${sorted(xs)[Math.floor(xs.length / 2)].toFixed(0)} ms`;
console.log(`${cases.length} cases x ${rounds} rounds`);
console.log(`optimiseRoute: ${fmt(optimiserMs)} CPU per round`);
console.log(`evaluate:      ${fmt(evaluatorMs)} CPU per round`);
console.log(`work per round: ${JSON.stringify(work)}`);
console.log(`digest of every answer: ${digest}`);
