/**
 * Per-recipient PDF watermarks for gated Trust Hub documents. Every page gets a faint diagonal
 * stamp and a footer with the recipient, the time and the download id, so a leaked copy names
 * its source. Text is drawn in the page's *displayed* orientation (rotated pages included) and
 * with the standard Helvetica font: no font file ships with a runtime dependency (pdfjs-dist's
 * Liberation fonts are a dev dependency and pdf-lib needs @pdf-lib/fontkit to embed a TTF), so
 * characters outside WinAnsi are transliterated. The exact Unicode name goes into the metadata.
 */
import { PDFDocument, type PDFFont, type PDFPage, StandardFonts, degrees, rgb } from 'pdf-lib';
import { AppError, InvalidInputError } from '../lib/errors.ts';

export type WatermarkStamp = { name: string; email: string; company: string; downloadedAt: Date; downloadId: string };
export type PdfInfo = { pageCount: number; encrypted: boolean };

const PDF_HEADER = '%PDF-';
const FOOTER_SIZE = 7;
const MARGIN = 18;

/**
 * What an upload is: page count and whether it is encrypted. Non-PDF or damaged bytes are a
 * typed error. An unencrypted file also gets a trial watermark, so a document that passes here
 * cannot fail later at download time.
 */
export async function inspectPdf(bytes: Uint8Array): Promise<PdfInfo> {
  return processPdf(bytes, 'The upload', { allowEncrypted: true }, async (doc) => {
    if (doc.isEncrypted) return { pageCount: doc.getPageCount(), encrypted: true };
    await stampDocument(doc, { name: 'Trial', email: 'trial@example.invalid', company: 'Trial', downloadedAt: new Date(0), downloadId: 'trial' });
    return { pageCount: doc.getPageCount(), encrypted: false };
  });
}

/** Upload-time gate: inspectPdf, with encryption refused too (a gated file must be stampable). */
export async function assertUploadablePdf(bytes: Uint8Array): Promise<PdfInfo> {
  const info = await inspectPdf(bytes);
  if (info.encrypted) throw new InvalidInputError(ENCRYPTED('The upload'));
  return info;
}

export async function watermarkPdf(input: Uint8Array, stamp: WatermarkStamp): Promise<Uint8Array> {
  if (Number.isNaN(stamp.downloadedAt.getTime())) throw new InvalidInputError('The download time is not a valid date.');
  return processPdf(input, 'The document', { allowEncrypted: false }, (doc) => stampDocument(doc, stamp));
}

async function stampDocument(doc: PDFDocument, stamp: WatermarkStamp): Promise<Uint8Array> {
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const time = stamp.downloadedAt.toISOString();
  const who = `${encodable(font, stamp.name)} <${encodable(font, stamp.email)}>, ${encodable(font, stamp.company)}`;
  const diagonal = `CONFIDENTIAL - ${who}`;
  const footer = [`Confidential. Downloaded by ${who}`, `at ${time} - download id ${encodable(font, stamp.downloadId)}`];
  for (const page of doc.getPages()) stampPage(page, font, diagonal, footer);

  doc.setSubject(`Confidential copy for ${stamp.name} <${stamp.email}>, ${stamp.company}; downloaded ${time}; download id ${stamp.downloadId}`);
  doc.setKeywords([`download-id:${stamp.downloadId}`, `recipient:${stamp.email}`, `downloaded:${time}`]);
  doc.setModificationDate(stamp.downloadedAt);
  doc.setProducer('Attest Trust Hub');
  return doc.save({ useObjectStreams: true });
}

/**
 * Loads and hands the document to `work`. pdf-lib reports broken structure (a page tree with a
 * missing Kids array, a dangling reference) as plain errors deep inside page access or saving;
 * those are the input's fault, so they become InvalidInputError like a failed parse.
 */
async function processPdf<T>(bytes: Uint8Array, what: string, opts: { allowEncrypted: boolean }, work: (doc: PDFDocument) => Promise<T>): Promise<T> {
  // pdf-lib happily "repairs" arbitrary bytes into an empty document; insist on the header first.
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes(PDF_HEADER)) throw new InvalidInputError(`${what} is not a PDF file.`);
  let doc: PDFDocument;
  try {
    // ignoreEncryption lets us report encryption as its own error instead of a parse failure.
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, throwOnInvalidObject: true, updateMetadata: false });
  } catch (e) {
    throw new InvalidInputError(`${what} is not a readable PDF (${firstLine(e)}).`);
  }
  if (doc.isEncrypted && !opts.allowEncrypted) throw new InvalidInputError(ENCRYPTED(what));
  try {
    if (doc.getPageCount() === 0) throw new InvalidInputError(`${what} has no pages.`);
    return await work(doc);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new InvalidInputError(`${what} has a damaged structure (${firstLine(e)}).`);
  }
}

const ENCRYPTED = (what: string) => `${what} is encrypted or password-protected; upload an unencrypted PDF.`;
const firstLine = (e: unknown) => (e instanceof Error ? (e.message.split('\n')[0] ?? '').slice(0, 200) : 'unknown error');

/** Replaces what the font cannot encode: accents are dropped (Ł -> L), anything else becomes "?". */
export function encodable(font: PDFFont, text: string): string {
  const supported = new Set(font.getCharacterSet());
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (supported.has(cp)) { out += ch; continue; }
    const base = (TRANSLITERATION[ch] ?? ch.normalize('NFKD').replace(/\p{M}/gu, ''));
    out += [...base].every((c) => supported.has(c.codePointAt(0) ?? 0)) && base ? base : '?';
  }
  return out;
}
// Letters whose decomposition has no combining mark to drop.
const TRANSLITERATION: Record<string, string> = {
  Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l', Ŧ: 'T', ŧ: 't', Ø: 'O', ø: 'o',
  Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe', ß: 'ss', Þ: 'Th', þ: 'th', Ð: 'D', ð: 'd', ĸ: 'k', Ŋ: 'N', ŋ: 'n',
};

type Box = { x: number; y: number; width: number; height: number };
type Placement = { x: number; y: number; rotate: number };

function stampPage(page: PDFPage, font: PDFFont, diagonal: string, footer: string[]) {
  const box = page.getCropBox();
  const rotation = ((page.getRotation().angle % 360) + 360) % 360;
  const quarterTurn = rotation === 90 || rotation === 270;
  const view = { width: quarterTurn ? box.height : box.width, height: quarterTurn ? box.width : box.height };
  const color = rgb(0.35, 0.35, 0.35);

  // Diagonal, corner to corner, sized to span most of the diagonal.
  const angle = Math.atan2(view.height, view.width);
  const length = Math.hypot(view.width, view.height) * 0.8;
  const size = Math.min(48, Math.max(6, length / Math.max(1, font.widthOfTextAtSize(diagonal, 1))));
  const textWidth = font.widthOfTextAtSize(diagonal, size);
  const cx = view.width / 2 - (textWidth / 2) * Math.cos(angle) + (size / 3) * Math.sin(angle);
  const cy = view.height / 2 - (textWidth / 2) * Math.sin(angle) - (size / 3) * Math.cos(angle);
  const d = toPage(box, rotation, cx, cy, (angle * 180) / Math.PI);
  page.drawText(diagonal, { x: d.x, y: d.y, rotate: degrees(d.rotate), size, font, color, opacity: 0.15 });

  // Footer: wrapped at spaces to the page width; a single word longer than a line shrinks that line.
  const width = view.width - 2 * MARGIN;
  const lines = footer.flatMap((text) => wrap(font, text, FOOTER_SIZE, width));
  const lineHeight = FOOTER_SIZE * 1.3;
  lines.forEach((line, i) => {
    const size = Math.min(FOOTER_SIZE, width / Math.max(1, font.widthOfTextAtSize(line, 1)));
    const f = toPage(box, rotation, MARGIN, MARGIN / 2 + (lines.length - 1 - i) * lineHeight, 0);
    page.drawText(line, { x: f.x, y: f.y, rotate: degrees(f.rotate), size, font, color, opacity: 0.9 });
  });
}

function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const candidate = current ? `${current} ${word}` : word;
    if (current && font.widthOfTextAtSize(candidate, size) > width) {
      lines.push(current);
      current = word;
    } else {
      current = candidate;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/**
 * Maps a point in the displayed page (origin bottom-left as a viewer shows it) to the page's own
 * coordinates. /Rotate turns the page clockwise for display, so text must turn the other way.
 */
function toPage(box: Box, rotation: number, vx: number, vy: number, textAngle: number): Placement {
  switch (rotation) {
    case 90: return { x: box.x + box.width - vy, y: box.y + vx, rotate: textAngle + 90 };
    case 180: return { x: box.x + box.width - vx, y: box.y + box.height - vy, rotate: textAngle + 180 };
    case 270: return { x: box.x + vy, y: box.y + box.height - vx, rotate: textAngle + 270 };
    default: return { x: box.x + vx, y: box.y + vy, rotate: textAngle };
  }
}
