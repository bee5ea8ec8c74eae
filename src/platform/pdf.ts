/**
 * Printable reports (pdfkit): a title block, then sections of key-value lines and tables,
 * with page breaks and page numbers. Every printable view (OCF 03, 04, 05, 06) uses this.
 */
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

export interface Report {
  title: string;
  subtitle?: string;
  /** Printed in the footer of each page; a fixed value keeps output reproducible in tests. */
  generatedAt: string;
  sections: ReportSection[];
}

const MARGIN = 50;

export function renderReport(report: Report): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: process.env.PDF_UNCOMPRESSED !== '1',
    info: {
      Title: report.title,
      Author: 'Personal Learning Record service',
      Subject: report.subtitle ?? report.title,
      CreationDate: new Date(report.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  doc.font('Helvetica-Bold').fontSize(18).text(report.title, { width });
  if (report.subtitle)
    doc
      .moveDown(0.2)
      .font('Helvetica')
      .fontSize(11)
      .fillColor('#505a5f')
      .text(report.subtitle, { width })
      .fillColor('black');
  doc.moveDown(1);

  for (const section of report.sections) {
    ensureRoom(doc, 60);
    doc.font('Helvetica-Bold').fontSize(13).text(section.heading, MARGIN, doc.y, { width });
    doc.moveDown(0.3).font('Helvetica').fontSize(10);
    for (const [label, value] of section.facts ?? []) {
      doc.font('Helvetica-Bold').text(`${label}: `, { continued: true, width }).font('Helvetica').text(value);
    }
    for (const p of section.paragraphs ?? []) doc.text(p, { width }).moveDown(0.3);
    if (section.table) drawTable(doc, section.table, width);
    doc.moveDown(0.8);
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.height - MARGIN + 15;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#505a5f')
      .text(`Generated ${report.generatedAt}   Page ${i + 1} of ${range.count}`, MARGIN, bottom, {
        width,
        align: 'right',
        lineBreak: false,
      })
      .fillColor('black');
  }
  doc.end();
  return done;
}

function ensureRoom(doc: PDFKit.PDFDocument, needed: number): void {
  if (doc.y + needed > doc.page.height - MARGIN) doc.addPage();
}

function drawTable(doc: PDFKit.PDFDocument, table: ReportTable, width: number): void {
  const total = table.columns.reduce((s, c) => s + c.width, 0);
  const widths = table.columns.map((c) => (c.width / total) * width);
  const row = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    const heights = cells.map((cell, i) => doc.heightOfString(cell, { width: widths[i] - 4 }));
    const h = Math.max(12, ...heights) + 4;
    ensureRoom(doc, h);
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.text(cell, x + 2, y + 2, { width: widths[i] - 4, align: table.columns[i].align ?? 'left' });
      x += widths[i];
    });
    doc
      .moveTo(MARGIN, y + h)
      .lineTo(MARGIN + width, y + h)
      .lineWidth(0.3)
      .strokeColor('#b1b4b6')
      .stroke();
    doc.y = y + h;
    doc.x = MARGIN;
  };
  row(
    table.columns.map((c) => c.header),
    true,
  );
  for (const r of table.rows) row(r, false);
}
