/**
 * What a PDF made by src/platform/pdf.ts shows, read the way a user's tools read it:
 * poppler's pdftotext, pdffonts and pdfinfo (Debian's poppler-utils; .ci/run installs it).
 * The fonts are embedded subsets with glyph ids for codes, so only a real PDF reader gets
 * the text back.
 */
import { spawnSync } from 'node:child_process';

function poppler(tool: string, pdf: Buffer, args: string[]): string {
  const r = spawnSync(tool, [...args, '-'], { input: pdf, encoding: 'utf8' });
  if (r.error)
    throw new Error(`${tool} is needed to read PDFs in tests (apt-get install poppler-utils): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * The text of a PDF in the order it was drawn (pdftotext -raw: a table cell's lines stay
 * together), with every run of white space made one space, so a value wrapped inside a
 * cell still reads as one string. `pages` limits it to a range.
 */
export function pdfText(pdf: Buffer, pages?: { first: number; last: number }): string {
  const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
  return poppler('pdftotext', pdf, [...range, '-raw', '-enc', 'UTF-8', '-']).replace(/\s+/g, ' ');
}

/** pdftotext's own lines, for checks on what sits on one line. */
export function pdfLines(pdf: Buffer, pages?: { first: number; last: number }): string[] {
  const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
  return poppler('pdftotext', pdf, [...range, '-layout', '-enc', 'UTF-8', '-']).split('\n');
}

/** pdffonts' table: one entry per font, with whether it is embedded. */
export function pdfFonts(pdf: Buffer): { name: string; type: string; embedded: boolean }[] {
  return poppler('pdffonts', pdf, [])
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const f = l.trim().split(/\s+/);
      // name, type (one or more words), encoding, emb, sub, uni, object id, generation
      const emb = f[f.length - 5];
      return { name: f[0], type: f.slice(1, f.length - 6).join(' '), embedded: emb === 'yes' };
    });
}

/** pdfinfo's fields, e.g. { Tagged: 'yes', Pages: '3' }. */
export function pdfInfo(pdf: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of poppler('pdfinfo', pdf, []).split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) out[m[1].trim()] = m[2].trim();
  }
  return out;
}

export function isPdf(body: Buffer): boolean {
  return body.subarray(0, 5).toString('latin1') === '%PDF-';
}
