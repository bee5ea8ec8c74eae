/**
 * The text a PDF made by src/platform/pdf.ts shows, for assertions. Reports are written
 * uncompressed in tests (PDF_UNCOMPRESSED=1), where pdfkit puts each run of text as hex
 * strings inside TJ operators.
 */
export function pdfText(pdf: Buffer): string {
  const body = pdf.toString('latin1');
  const lines: string[] = [];
  for (const m of body.matchAll(/\[((?:<[0-9a-fA-F]*>\s*-?[0-9.]*\s*)+)\]\s*TJ/g)) {
    const hex = [...m[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join('');
    lines.push(Buffer.from(hex, 'hex').toString('latin1'));
  }
  return lines.join('\n');
}

export function isPdf(body: Buffer): boolean {
  return body.subarray(0, 5).toString('latin1') === '%PDF-';
}
