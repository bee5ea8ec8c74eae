/**
 * The printable routes to achievement (OCF 06). Pure: a view in, a report description out;
 * src/platform/pdf.ts draws it.
 */
import { longDate, type Report, type ReportSection } from '../platform/pdf.js';
import type { RoutesView } from './service.js';

function filterWords(v: RoutesView): string {
  const f = v.filters;
  const parts: string[] = [];
  if (f.minLevel !== null || f.maxLevel !== null)
    parts.push(
      f.minLevel === f.maxLevel ? `level ${f.minLevel}` : `levels ${f.minLevel ?? 'E1'} to ${f.maxLevel ?? '8'}`,
    );
  if (f.occupation) parts.push(`leading to occupation ${f.occupation}`);
  if (f.region) parts.push(`units offered in ${f.region}`);
  if (f.funded) parts.push(`funded for age band ${f.ageBand}`);
  return parts.length ? parts.join('; ') : 'none';
}

export function routesReport(view: RoutesView, generatedAt: string): Report {
  const sections: ReportSection[] = [
    {
      heading: 'Search',
      facts: [
        ['Learner', view.uln ?? '(none: planned units only)'],
        ['Date', longDate(view.filters.date)],
        ['Filters', filterWords(view)],
        ['Qualifications examined', `${view.candidates} of ${view.discovered} found`],
        ...(view.plannedUnits.length
          ? [['Planned units', view.plannedUnits.map((u) => u.urn).join(', ')] as [string, string]]
          : []),
        ...(view.scope === 'own-records'
          ? [
              ['Note', "the learner has not agreed to share: only your organisation's records were counted"] as [
                string,
                string,
              ],
            ]
          : []),
      ],
    },
  ];
  if (view.routes.length === 0)
    sections.push({ heading: 'Routes', paragraphs: ['No qualification is within reach with these filters.'] });
  view.routes.forEach((r, i) => {
    sections.push({
      heading: `${i + 1}. ${r.title} (${r.qan}, level ${r.level})`,
      facts: [
        [
          'Still needed',
          r.alreadyAchieved
            ? 'nothing: the rules are already met'
            : `${r.extraCredits} credits in ${r.extraUnits} unit(s)`,
        ],
        ...(r.groupsFilled.length
          ? [
              ['Groups filled', r.groupsFilled.map((g) => `${g.group}: ${g.units.join(', ')}`).join('; ')] as [
                string,
                string,
              ],
            ]
          : []),
        ...(r.optimal
          ? []
          : [['Note', 'the search stopped at its limit: a valid route, perhaps not the cheapest'] as [string, string]]),
      ],
      table: r.unitsToTake.length
        ? {
            columns: [
              { header: 'URN', width: 2 },
              { header: 'Unit', width: 5 },
              { header: 'Level', width: 1 },
              { header: 'Credit', width: 1, align: 'right' },
              { header: 'Offered by', width: 4 },
            ],
            rows: r.unitsToTake.map((u) => [
              u.urn,
              u.title,
              u.level,
              String(u.credit),
              u.providers.map((p) => `${p.name} (${p.region})`).join('; ') || '-',
            ]),
          }
        : undefined,
    });
  });
  if (view.combined.length) {
    sections.push({
      heading: 'Two qualifications with one set of units',
      table: {
        columns: [
          { header: 'Qualifications', width: 3 },
          { header: 'Units to take', width: 5 },
          { header: 'Credits', width: 1.2, align: 'right' },
          { header: 'Saved', width: 1.2, align: 'right' },
        ],
        rows: view.combined.map((c) => [
          c.qans.join(' and '),
          c.unitsToTake.map((u) => u.urn).join(', '),
          String(c.extraCredits),
          String(c.saving),
        ]),
      },
    });
  }
  if (view.unreachable.length) {
    sections.push({
      heading: 'Out of reach',
      paragraphs: view.unreachable.map((u) => `${u.title} (${u.qan}): ${u.message}`),
    });
  }
  return {
    title: 'Routes to achievement',
    subtitle: view.uln ? `Learner ${view.uln}` : 'What if',
    generatedAt,
    sections,
  };
}
