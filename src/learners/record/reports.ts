/**
 * The printable learner record (OCF 03). Pure: the record view in, a report description
 * out; src/platform/pdf.ts draws it. It shows what the JSON view shows and no more: names
 * only when the view carries them.
 */
import { longDate, longDateTime, type Report, type ReportSection } from '../../platform/pdf.js';
import type { RecordAchievement } from './record.js';
import type { RecordAnswer } from './service.js';

export function statusWords(a: Pick<RecordAchievement, 'status' | 'underChallenge'>): string {
  if (a.status === 'withdrawn') return 'Withdrawn';
  return a.underChallenge ? 'Active, under data challenge' : 'Active';
}

/** The awarding organisation by name; its UKPRN only when the register has no name for it. */
const aoWords = (a: RecordAchievement) => a.ao.name ?? a.ao.ukprn;

export function recordReport(record: RecordAnswer): Report {
  const name = record.name ? [record.name.givenName, record.name.familyName].filter(Boolean).join(' ') : '';
  const facts: [string, string][] = [['ULN', record.uln]];
  if (name) facts.push(['Name', name]);
  facts.push(
    ['Active unit credits', `${record.summary.unitCredits} (${record.summary.creditValue} credits)`],
    ['Qualifications awarded', String(record.summary.qualificationsAwarded)],
  );
  if (record.summary.underChallenge > 0) facts.push(['Under data challenge', String(record.summary.underChallenge)]);
  if (record.scope === 'own-records')
    facts.push(['Note', "the learner has not agreed to share: only your organisation's records are shown"]);
  if (record.sharedLink)
    facts.push([
      'Shared link',
      `read-only, valid until ${longDateTime(record.sharedLink.expiresAt)}${record.sharedLink.singleUse ? ', single use' : ''}`,
    ]);

  const sections: ReportSection[] = [{ heading: 'Learner', facts }];

  if (record.awards.length > 0) {
    sections.push({
      heading: 'Qualifications awarded',
      table: {
        columns: [
          { header: 'QAN', width: 2 },
          { header: 'Qualification', width: 5 },
          { header: 'Awarded by', width: 3 },
          { header: 'Date', width: 2 },
          { header: 'Grade', width: 1.5 },
          { header: 'Status', width: 2.5 },
        ],
        rows: record.awards.map((a) => [
          a.qan ?? '',
          a.title ?? '',
          aoWords(a),
          longDate(a.awardDate),
          a.grade ?? '',
          statusWords(a),
        ]),
      },
    });
  }

  for (const q of record.byQualification) {
    sections.push({
      heading: `${q.title} (${q.qan})`,
      paragraphs: [
        `${q.awarded ? 'Awarded. ' : ''}Level ${q.level}. ${
          q.verdict
            ? q.verdict.summary
            : `Units held in its rules: ${q.creditsTowards} of the ${q.totalCredits} credits it needs (the catalogue holds no rules of combination to judge them by).`
        }`,
        ...(q.verdict?.excluded ?? []).map(
          (e) => `Not counted: ${e.urn}${e.title ? ` ${e.title}` : ''} (record ${e.recordId}): ${e.explanation}.`,
        ),
      ],
      table:
        q.credits.length > 0
          ? {
              columns: [
                { header: 'URN', width: 2 },
                { header: 'Unit', width: 5 },
                { header: 'Groups', width: 1.5 },
                { header: 'Credit', width: 1, align: 'right' },
                { header: 'Date', width: 2 },
                { header: 'Status', width: 2.5 },
              ],
              rows: q.credits.map((c) => [
                c.countsAs === c.urn ? (c.urn ?? '') : `${c.urn} (as ${c.countsAs})`,
                c.title ?? '',
                c.groups.join(', '),
                String(c.credit ?? ''),
                longDate(c.awardDate),
                statusWords(c),
              ]),
            }
          : undefined,
    });
  }

  sections.push({
    heading: 'All unit credits',
    paragraphs: record.byUnit.length ? [] : ['No unit credits are on this record.'],
    table: record.byUnit.length
      ? {
          columns: [
            { header: 'URN', width: 2 },
            { header: 'Unit', width: 4.5 },
            { header: 'Level', width: 1 },
            { header: 'Credit', width: 1, align: 'right' },
            { header: 'Awarded by', width: 2.5 },
            { header: 'Date', width: 2 },
            { header: 'Grade', width: 1.5 },
            { header: 'Status', width: 2.5 },
          ],
          rows: record.byUnit.map((a) => [
            a.urn ?? '',
            a.title ?? '',
            a.level ?? '',
            String(a.credit ?? ''),
            aoWords(a),
            longDate(a.awardDate),
            a.grade ?? '',
            statusWords(a),
          ]),
        }
      : undefined,
  });

  return {
    title: 'Personal Learning Record',
    subtitle: name ? `${name}, ULN ${record.uln}` : `Learner ${record.uln}`,
    generatedAt: record.generatedAt,
    sections,
  };
}
