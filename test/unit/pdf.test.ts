import t from 'tap';
import { longDate, longDateTime, renderReport } from '../../src/platform/pdf.js';
import { isPdf, pdfFonts, pdfInfo, pdfLines, pdfText } from '../helpers/pdf.js';

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

const WELSH_NAME = 'Łukasz Wŷn-Llŷr ap Siôn';
const COLUMNS = [
  { header: 'URN', width: 2 },
  { header: 'Unit', width: 4.5 },
  { header: 'Level', width: 1 },
  { header: 'Credit', width: 0.5, align: 'right' as const },
  { header: 'Awarded by', width: 1 },
  { header: 'Date', width: 2 },
  { header: 'Status', width: 2.5 },
];
const longTable = () =>
  renderReport({
    title: 'Personal Learning Record',
    subtitle: `${WELSH_NAME}, ULN 9276308686`,
    generatedAt: '2026-11-29T10:00:00.000Z',
    sections: [
      { heading: 'Learner', facts: [['Name', WELSH_NAME]] },
      {
        heading: 'All unit credits',
        table: {
          columns: COLUMNS,
          rows: Array.from({ length: 60 }, (_, i) => [
            'J/617/2480',
            `Unit ${i + 1}`,
            '2',
            '3',
            'Cymwysterau Cymru',
            '1 June 2025',
            'Active',
          ]),
        },
      },
    ],
  });

t.test('an embedded Unicode font prints any name as written', async (t) => {
  const pdf = await longTable();
  const fonts = pdfFonts(pdf);
  t.ok(fonts.length > 0, 'fonts are listed');
  t.ok(
    fonts.every((f) => f.embedded),
    `every font is embedded: ${fonts.map((f) => f.name).join(', ')}`,
  );
  t.match(fonts[0].name, /NotoSans/);
  const text = pdfText(pdf);
  t.match(text, `Name: ${WELSH_NAME}`, 'the name comes back exactly');
  t.match(text, `${WELSH_NAME}, ULN 9276308686`);
});

t.test('the PDF is tagged, in English, with the service named on every page', async (t) => {
  const pdf = await longTable();
  const info = pdfInfo(pdf);
  t.equal(info.Tagged, 'yes');
  t.match(pdf.toString('latin1'), /\/Lang \(en-GB\)/, 'the document language');
  const pages = Number(info.Pages);
  t.ok(pages >= 2);
  for (let p = 1; p <= pages; p++) {
    const text = pdfText(pdf, { first: p, last: p });
    t.match(text, 'Personal Learning Record service', `page ${p}: the service's name in the header`);
    t.match(text, `Generated 29 November 2026, 10:00 Page ${p} of ${pages}`, `page ${p}: date as people write it`);
  }
});

t.test('a table across two pages repeats its header row, and no column breaks a word', async (t) => {
  const pdf = await longTable();
  const headerLine = (p: number) =>
    pdfLines(pdf, { first: p, last: p }).find((l) => /\bURN\b/.test(l) && /\bStatus\b/.test(l));
  for (const p of [1, 2]) {
    const line = headerLine(p);
    t.ok(line, `page ${p} has the header row`);
    t.match(line, /URN\s+Unit\s+Level\s+Credit\s+Awarded\s+by\s+Date\s+Status/, `page ${p}: every header whole`);
  }
  t.match(pdfText(pdf, { first: 2, last: 2 }), /Unit \d+/, 'page 2 carries on with the rows');
  t.match(pdfText(pdf), /\bCymwysterau\b/, 'a narrow column widens to hold its longest word');
});

t.test('dates as people write them', async (t) => {
  t.equal(longDate('2025-06-01'), '1 June 2025');
  t.equal(longDate('2025-06-01', 'cy'), '1 Mehefin 2025');
  t.equal(longDate(null), '');
  t.equal(longDate('soon'), 'soon', 'not a date: as given');
  t.equal(longDateTime('2026-07-01T09:05:00Z'), '1 July 2026, 10:05', 'UK summer time');
  t.equal(longDateTime('later'), 'later');
});
