/**
 * Printable reports (pdfkit): the service's name in a header on every page, a title block,
 * then sections of key-value lines, paragraphs and tables, with page numbers and the date
 * in a footer. Every printable view (OCF 03, 04, 05, 06) uses this.
 *
 * - Text is set in Noto Sans (from @expo-google-fonts/noto-sans, OFL), embedded and subset,
 *   so any Latin, Greek or Cyrillic name prints as written (Łukasz, Wŷn-Llŷr, Siôn); the
 *   PDF standard fonts have no ŵ, ŷ or Ł.
 * - The PDF is tagged (structure tree, document language, title shown): headings, paragraphs
 *   and tables (TH/TD) are marked for screen readers; header and footer are pagination
 *   artifacts.
 * - Tables are pdfkit's own (doc.table). A table that runs onto another page is continued
 *   there as a new table that starts with the header row again. Columns are never narrower
 *   than their longest word, so headers and values do not break inside a word.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

export interface ReportTable {
  columns: { header: string; width: number; align?: 'left' | 'right' }[];
  rows: string[][];
}

export interface ReportSection {
  heading: string;
  /** Label and value pairs, printed as "Label: value". */
  facts?: [string, string][];
  paragraphs?: string[];
  table?: ReportTable;
}

export type ReportLanguage = 'en' | 'cy';

export interface Report {
  title: string;
  subtitle?: string;
  /** Printed in the footer of each page; a fixed value keeps output reproducible in tests. */
  generatedAt: string;
  /** The language the report is written in (default English); set as the document language. */
  lang?: ReportLanguage;
  sections: ReportSection[];
}

export const SERVICE_NAME = 'Personal Learning Record service';

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
} as const;
/**
 * The fonts, by path, and registered under their path as their name: pdfkit's table puts
 * the font back after each cell by its source, and pdfkit caches a font by its registered
 * name, so any other name or a buffer would have the file read and parsed again per cell.
 */
const REGULAR = require.resolve(FONT_FILES.regular);
const BOLD = require.resolve(FONT_FILES.bold);
const MARGIN = 50;
const HEADER_SPACE = 22;
const CELL_PADDING = 3;
const TABLE_FONT_SIZE = 9;
const GREY = '#505a5f';
const RULE = '#b1b4b6';

const WORDS: Record<ReportLanguage, { page: (n: number, of: number) => string; generated: string; tag: string }> = {
  en: { page: (n, of) => `Page ${n} of ${of}`, generated: 'Generated', tag: 'en-GB' },
  cy: { page: (n, of) => `Tudalen ${n} o ${of}`, generated: 'Crëwyd', tag: 'cy-GB' },
};

/** A date as people write it: 1 June 2025 (Welsh: 1 Mehefin 2025). Not a date: unchanged. */
export function longDate(iso: string | null | undefined, lang: ReportLanguage = 'en'): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(WORDS[lang].tag, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(d);
}

/** A moment as people write it, in UK time: 29 November 2026, 10:00. Not a time: unchanged. */
export function longDateTime(iso: string, lang: ReportLanguage = 'en'): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const tz = { timeZone: 'Europe/London' } as const;
  const day = new Intl.DateTimeFormat(WORDS[lang].tag, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...tz,
  }).format(d);
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...tz }).format(
    d,
  );
  return `${day}, ${time}`;
}

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

export function renderReport(report: Report): Promise<Buffer> {
  const lang = report.lang ?? 'en';
  const words = WORDS[lang];
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN + HEADER_SPACE, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    autoFirstPage: false,
    compress: process.env.PDF_UNCOMPRESSED !== '1',
    pdfVersion: '1.7',
    tagged: true,
    lang: words.tag,
    displayTitle: true,
    font: REGULAR,
    info: {
      Title: report.title,
      Author: SERVICE_NAME,
      Subject: report.subtitle ?? report.title,
      CreationDate: new Date(report.generatedAt),
    },
  });
  doc.registerFont(REGULAR, REGULAR);
  doc.registerFont(BOLD, BOLD);
  doc.font(REGULAR);
  doc.addPage();

  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  const main = doc.struct('Document');
  doc.addStructure(main);
  main.add(doc.struct('H1', {}, () => doc.font(BOLD).fontSize(18).text(report.title, { width })));
  if (report.subtitle)
    main.add(
      doc.struct('P', {}, () =>
        doc
          .moveDown(0.2)
          .font(REGULAR)
          .fontSize(11)
          .fillColor(GREY)
          .text(report.subtitle!, { width })
          .fillColor('black'),
      ),
    );
  doc.moveDown(1);

  for (const section of report.sections) {
    const sect = doc.struct('Sect');
    main.add(sect);
    ensureRoom(doc, 60);
    sect.add(doc.struct('H2', {}, () => doc.font(BOLD).fontSize(13).text(section.heading, MARGIN, doc.y, { width })));
    doc.moveDown(0.3).font(REGULAR).fontSize(10);
    for (const [label, value] of section.facts ?? [])
      sect.add(
        doc.struct('P', {}, () =>
          doc.font(BOLD).text(`${label}: `, MARGIN, doc.y, { continued: true, width }).font(REGULAR).text(value),
        ),
      );
    for (const p of section.paragraphs ?? [])
      sect.add(
        doc.struct('P', {}, () => doc.font(REGULAR).fontSize(10).text(p, MARGIN, doc.y, { width }).moveDown(0.3)),
      );
    if (section.table) drawTable(doc, sect, section.table, width);
    sect.end();
    doc.moveDown(0.8);
  }
  main.end();

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { top, bottom } = doc.page.margins;
    doc.page.margins.top = 0;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc
      .font(BOLD)
      .fontSize(9)
      .fillColor(GREY)
      .text(SERVICE_NAME, MARGIN, MARGIN - 14, { width, lineBreak: false });
    doc
      .moveTo(MARGIN, MARGIN)
      .lineTo(MARGIN + width, MARGIN)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc
      .font(REGULAR)
      .fontSize(8)
      .text(
        `${words.generated} ${longDateTime(report.generatedAt, lang)}   ${words.page(i + 1, range.count)}`,
        MARGIN,
        doc.page.height - MARGIN + 15,
        { width, align: 'right', lineBreak: false },
      )
      .fillColor('black');
    doc.endMarkedContent();
    doc.page.margins.top = top;
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

function ensureRoom(doc: Doc, needed: number): void {
  if (doc.y + needed > doc.page.maxY()) doc.addPage();
}

/** The widest single word of a text in the current font, so a column can hold it unbroken. */
function longestWord(doc: Doc, text: string): number {
  let widest = 0;
  for (const w of text.split(/\s+/)) if (w) widest = Math.max(widest, doc.widthOfString(w));
  return widest;
}

/**
 * Column widths in points: the table's proportions, but no column narrower than its longest
 * word (header in bold, cells in regular). Columns held at their minimum give up their share;
 * the rest is shared out by proportion again.
 */
export function columnWidths(doc: Doc, table: ReportTable, available: number): number[] {
  const n = table.columns.length;
  const min = table.columns.map((c, i) => {
    doc.font(BOLD).fontSize(TABLE_FONT_SIZE);
    let w = longestWord(doc, c.header);
    doc.font(REGULAR).fontSize(TABLE_FONT_SIZE);
    for (const r of table.rows) w = Math.max(w, longestWord(doc, r[i] ?? ''));
    return Math.ceil(w + 2 * CELL_PADDING + 1);
  });
  const widths = new Array<number>(n).fill(0);
  const fixed = new Set<number>();
  for (;;) {
    const free = available - [...fixed].reduce((s, i) => s + min[i], 0);
    const weight = table.columns.reduce((s, c, i) => (fixed.has(i) ? s : s + c.width), 0);
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (fixed.has(i)) {
        widths[i] = min[i];
        continue;
      }
      widths[i] = weight > 0 ? (table.columns[i].width / weight) * free : 0;
      if (widths[i] < min[i]) {
        fixed.add(i);
        changed = true;
      }
    }
    if (!changed || fixed.size === n) break;
  }
  // Words wider than the page allows: share the width by the minimums (some words must break).
  const total = widths.reduce((s, w) => s + w, 0);
  return total > available ? widths.map((w) => (w / total) * available) : widths;
}

function rowHeight(doc: Doc, cells: string[], widths: number[], font: string): number {
  doc.font(font).fontSize(TABLE_FONT_SIZE);
  let h = 0;
  cells.forEach((cell, i) => {
    if (cell) h = Math.max(h, doc.heightOfString(cell, { width: widths[i] - 2 * CELL_PADDING }));
  });
  return h + 2 * CELL_PADDING;
}

function drawTable(doc: Doc, parent: Struct, table: ReportTable, width: number): void {
  const widths = columnWidths(doc, table, width);
  const header = table.columns.map((c) => c.header);
  const headerHeight = rowHeight(doc, header, widths, BOLD);
  // pdfkit's table takes structParent, scope and per-cell fonts; its type definitions lag behind.
  const start = () =>
    doc.table(<PDFKit.Mixins.TableOptions>{
      structParent: parent,
      position: { x: MARGIN, y: doc.y },
      columnStyles: table.columns.map((c, i) => ({ width: widths[i], align: { x: c.align ?? 'left', y: 'top' } })),
      defaultStyle: {
        padding: CELL_PADDING,
        border: { top: 0, left: 0, right: 0, bottom: 0.3 },
        borderColor: RULE,
        font: { src: REGULAR, size: TABLE_FONT_SIZE },
      },
    });
  const headerRow = (): PDFKit.Mixins.RowOptions[] =>
    table.columns.map((c) => ({
      text: c.header,
      type: 'TH' as const,
      ...{ scope: 'column' },
      font: { src: BOLD, size: TABLE_FONT_SIZE },
      border: { top: 0, left: 0, right: 0, bottom: 0.8 },
    }));

  ensureRoom(doc, headerHeight + rowHeight(doc, table.rows[0] ?? [], widths, REGULAR));
  let current = start().row(headerRow());
  for (const row of table.rows) {
    const h = rowHeight(doc, row, widths, REGULAR);
    if (doc.y + h > doc.page.maxY()) {
      // Continued on the next page, under its header again.
      current.end();
      doc.addPage();
      current = start().row(headerRow());
    }
    current = current.row(row);
  }
  current.end();
  doc.x = MARGIN;
  doc.font(REGULAR).fontSize(10);
}
