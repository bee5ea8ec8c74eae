import t from 'tap';
import { renderReport } from '../../src/platform/pdf.js';
import { isPdf, pdfText } from '../helpers/pdf.js';

process.env.PDF_UNCOMPRESSED = '1';

t.test('a report shows its title, facts and table rows, across pages', async (t) => {
  const rows = Array.from({ length: 120 }, (_, i) => [`Unit ${i + 1}`, String(i % 9), 'Active']);
  const pdf = await renderReport({
    title: 'Credit check',
    subtitle: 'Learner 9276308686',
    generatedAt: '2026-11-29T10:00:00.000Z',
    sections: [
      {
        heading: 'Summary',
        facts: [
          ['Awarded', 'yes'],
          ['Credits', '12'],
        ],
        paragraphs: ['Counts towards two qualifications.'],
      },
      {
        heading: 'Units',
        table: {
          columns: [
            { header: 'Unit', width: 3 },
            { header: 'Credit', width: 1, align: 'right' },
            { header: 'Status', width: 1 },
          ],
          rows,
        },
      },
    ],
  });
  t.ok(isPdf(pdf));
  const text = pdfText(pdf);
  for (const s of [
    'Credit check',
    'Learner 9276308686',
    'Summary',
    'Awarded',
    'Counts towards two qualifications.',
    'Unit 1',
    'Unit 120',
    'Status',
  ]) {
    t.match(text, s, `shows "${s}"`);
  }
  const pages = Number(/Page 1 of (\d+)/.exec(text)?.[1]);
  t.ok(pages >= 2, `a long table breaks onto more pages (${pages})`);
});
