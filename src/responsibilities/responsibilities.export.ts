import { stringify } from 'csv-stringify/sync';
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';

export type ExportRow = { statement: string; criteria: { framework: string; id: string }[]; products: { name: string }[] };

const criteriaText = (r: ExportRow) => r.criteria.map((c) => `${c.framework} ${c.id}`).join('; ');
const productsText = (r: ExportRow) => r.products.map((p) => p.name).join('; ') || 'All products';

export function responsibilitiesCsv(rows: ExportRow[]): string {
  return stringify([['Statement', 'Criteria', 'Products'], ...rows.map((r) => [r.statement, criteriaText(r), productsText(r)])]);
}

// The standard fonts only encode WinAnsi; anything else would make pdf-lib throw.
const winAnsi = (s: string) => s.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/[\u2013\u2014]/g, '-').replace(/[^\x20-\x7e\xa0-\xff]/g, '?');

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of winAnsi(text).split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) { lines.push(line); line = word; } else line = next;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

/** A plain, paginated list customers can hand to their own auditors. */
export async function responsibilitiesPdf(orgName: string, rows: ExportRow[], generatedAt: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`${winAnsi(orgName)}: customer responsibilities`);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const [W, H, M] = [595, 842, 50];
  let page = doc.addPage([W, H]);
  let y = H - M;
  const line = (text: string, f: PDFFont, size: number, indent = 0, color = rgb(0, 0, 0)) => {
    for (const l of wrap(text, f, size, W - 2 * M - indent)) {
      if (y < M + size) { page = doc.addPage([W, H]); y = H - M; }
      page.drawText(l, { x: M + indent, y, size, font: f, color });
      y -= size * 1.4;
    }
  };
  line(`${orgName}: customer responsibilities`, bold, 16);
  line(`Controls our customers operate on their side (complementary user entity controls). Generated ${generatedAt.toISOString().slice(0, 10)}.`, font, 10, 0, rgb(0.3, 0.3, 0.3));
  y -= 8;
  rows.forEach((r, i) => {
    line(`${i + 1}. ${r.statement}`, bold, 11);
    line(`Criteria: ${criteriaText(r) || 'none'}`, font, 10, 14);
    line(`Products: ${productsText(r)}`, font, 10, 14);
    y -= 6;
  });
  if (!rows.length) line('No customer responsibilities are published.', font, 11);
  return doc.save();
}
