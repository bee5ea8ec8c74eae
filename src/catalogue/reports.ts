/**
 * Printable versions of OCF 04 (rules, with a learner's progress) and OCF 05 (credit check).
 * Pure: views in, report descriptions out; src/platform/pdf.ts draws them.
 */
import { longDate, type Report, type ReportSection } from '../platform/pdf.js';
import type { CreditCheckView, ProgressView, RulesView } from './service.js';

const bounds = (g: {
  minCredits?: number;
  maxCredits?: number;
  minUnits?: number;
  maxUnits?: number;
  mandatory: boolean;
}) => {
  if (g.mandatory) return 'mandatory: every unit';
  const parts: string[] = [];
  if (g.minCredits !== undefined) parts.push(`at least ${g.minCredits} credits`);
  if (g.maxCredits !== undefined) parts.push(`at most ${g.maxCredits} credits count`);
  if (g.minUnits !== undefined) parts.push(`at least ${g.minUnits} units`);
  if (g.maxUnits !== undefined) parts.push(`at most ${g.maxUnits} units count`);
  return parts.length ? parts.join(', ') : 'optional';
};

export function rulesReport(rules: RulesView, progress: ProgressView | undefined, generatedAt: string): Report {
  const q = rules.qualification;
  const counted = new Map<string, { group: string; counted: number }>();
  for (const a of progress?.allocation ?? [])
    counted.set(`${a.group}|${a.countsAs}`, { group: a.group, counted: a.counted });

  const summary: ReportSection = {
    heading: 'Qualification',
    facts: [
      ['QAN', q.qan],
      ['Level', q.level],
      ['Size', `${q.size} (${q.totalCredits} credits needed)`],
      ['Awarding organisation', q.aoName ?? q.aoUkprn],
      ['Operational', `${longDate(q.operationalStart)} to ${q.operationalEnd ? longDate(q.operationalEnd) : 'open'}`],
      ...(q.minCreditsAtLevel
        ? [
            [
              'Level rule',
              `at least ${q.minCreditsAtLevel.credits} credits at level ${q.minCreditsAtLevel.level} or above`,
            ] as [string, string],
          ]
        : []),
      ...(q.validityYears
        ? [['Credit validity', `credit older than ${q.validityYears} years does not count`] as [string, string]]
        : []),
    ],
  };
  const sections: ReportSection[] = [summary];

  if (progress) {
    sections.push({
      heading: `Progress of learner ${progress.uln} on ${longDate(progress.date)}`,
      facts: [
        ['Achieved', progress.achieved ? 'yes' : 'not yet'],
        ['Credits counted', `${progress.totalCredits} of ${progress.totalRequired}`],
        ...(progress.creditsAtLevel
          ? [
              [
                'At level ' + progress.creditsAtLevel.level + ' or above',
                `${progress.creditsAtLevel.counted} of ${progress.creditsAtLevel.required}`,
              ] as [string, string],
            ]
          : []),
        ...(progress.scope === 'own-records'
          ? [
              ['Note', "the learner has not agreed to share: only your organisation's records were counted"] as [
                string,
                string,
              ],
            ]
          : []),
      ],
      paragraphs: progress.unmet.map((u) => `Still needed: ${u.message}`),
    });
  }

  for (const g of rules.groups) {
    const gp = progress?.groups.find((x) => x.id === g.id);
    sections.push({
      heading: `Group ${g.id}: ${g.title}`,
      paragraphs: [
        `Rule: ${bounds(g)}.${gp ? ` Progress: ${gp.credits} credits, ${gp.units} units${gp.met ? ' (met)' : ' (not met)'}.` : ''}`,
      ],
      table: {
        columns: [
          { header: 'URN', width: 2 },
          { header: 'Unit', width: 6 },
          { header: 'Level', width: 1 },
          { header: 'Credit', width: 1, align: 'right' },
          ...(progress ? [{ header: 'Counted', width: 1.4, align: 'right' as const }] : []),
        ],
        rows: g.units.map((u) => [
          u.urn,
          u.title,
          u.level,
          String(u.credit),
          ...(progress
            ? [counted.has(`${g.id}|${u.urn}`) ? String(counted.get(`${g.id}|${u.urn}`)!.counted) : '-']
            : []),
        ]),
      },
    });
  }
  if (rules.barred.length)
    sections.push({
      heading: 'Barred combinations',
      paragraphs: rules.barred.map((b) => `At most one of: ${b.join(', ')}`),
    });
  if (rules.equivalences.length)
    sections.push({
      heading: 'Equivalences',
      paragraphs: rules.equivalences.map(
        (e) => `${e.from} counts as ${e.to} (${e.scope === 'global' ? 'everywhere' : 'in this qualification'})`,
      ),
    });
  if (rules.exemptions.length)
    sections.push({
      heading: 'Exemptions',
      paragraphs: rules.exemptions.map((e) => `${e.name}: ${e.credits} credits in group ${e.group}`),
    });

  return {
    title: q.title,
    subtitle: `Rules of combination${progress ? ` and progress of learner ${progress.uln}` : ''}`,
    generatedAt,
    sections,
  };
}

const STATUS_WORDS = { active: 'Active', withdrawn: 'Withdrawn', 'under-challenge': 'Under data challenge' } as const;

export function creditCheckReport(check: CreditCheckView, generatedAt: string): Report {
  return {
    title: 'Credit check',
    subtitle: `Learner ${check.uln}, unit ${check.unit.urn}`,
    generatedAt,
    sections: [
      {
        heading: check.unit.title,
        facts: [
          ['Unit', check.unit.urn],
          ['Level', check.unit.level],
          ['Credit value', String(check.unit.credit)],
          ['Credit awarded', check.awarded ? 'yes' : 'no'],
          ...(check.scope === 'own-records'
            ? [
                ['Note', "the learner has not agreed to share: only your organisation's records are shown"] as [
                  string,
                  string,
                ],
              ]
            : []),
        ],
      },
      {
        heading: 'Records',
        paragraphs: check.records.length ? [] : ['No record of this credit.'],
        table: check.records.length
          ? {
              columns: [
                { header: 'Awarded by', width: 3 },
                { header: 'Date', width: 2 },
                { header: 'Credit', width: 1, align: 'right' },
                { header: 'Level', width: 1 },
                { header: 'Grade', width: 1.5 },
                { header: 'Status', width: 2.5 },
              ],
              rows: check.records.map((r) => [
                r.ao.name ?? r.ao.ukprn,
                longDate(r.awardDate),
                String(r.credit),
                r.level,
                r.grade ?? '',
                STATUS_WORDS[r.status],
              ]),
            }
          : undefined,
      },
      {
        heading: 'Counts towards',
        paragraphs: check.countsTowards.length ? [] : ['No qualification in the catalogue includes this unit.'],
        table: check.countsTowards.length
          ? {
              columns: [
                { header: 'QAN', width: 2 },
                { header: 'Qualification', width: 6 },
                { header: 'Level', width: 1 },
                { header: 'Groups', width: 2 },
              ],
              rows: check.countsTowards.map((m) => [
                m.qan,
                m.title,
                m.level,
                m.countsAs
                  .map((c) => (c.steps ? `${c.groups.join(', ')} as ${c.urn}` : c.groups.join(', ')))
                  .join('; '),
              ]),
            }
          : undefined,
      },
    ],
  };
}
