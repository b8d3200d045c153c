import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { PDFDocument, StandardFonts, concatTransformationMatrix, degrees } from 'pdf-lib';
import { getDocument, Util } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { encryptedPdf } from '../../tests/support/encrypted-pdf.ts';
import { InvalidInputError } from '../lib/errors.ts';
import { assertUploadablePdf, inspectPdf, watermarkPdf, type WatermarkStamp } from './watermark.ts';

type PageSpec = { size: [number, number]; rotate?: number; origin?: [number, number]; leaveTransform?: boolean };
const PAGES: PageSpec[] = [
  { size: [595.28, 841.89] }, // A4
  { size: [612, 792], rotate: 90 }, // Letter, turned to landscape for display
  { size: [200, 300] }, // small
  { size: [841.89, 595.28], rotate: 270 },
  { size: [500, 500], rotate: 180, origin: [100, 50] }, // media box not at the origin
  { size: [595.28, 841.89], leaveTransform: true }, // content that leaves the CTM flipped and scaled
];

async function samplePdf(pages: PageSpec[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  pages.forEach((spec, i) => {
    const page = doc.addPage(spec.size);
    if (spec.origin) page.setMediaBox(spec.origin[0], spec.origin[1], spec.size[0], spec.size[1]);
    if (spec.rotate) page.setRotation(degrees(spec.rotate));
    const [ox, oy] = spec.origin ?? [0, 0];
    page.drawText(`Original content of page ${i + 1}`, { x: ox + 20, y: oy + spec.size[1] - 40, size: 10, font });
    // Some generators end a page without restoring the graphics state; the stamp must not inherit it.
    if (spec.leaveTransform) page.pushOperators(concatTransformationMatrix(0.5, 0, 0, -0.5, 0, spec.size[1]));
  });
  return doc.save();
}

const STANDARD_FONTS = `${path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/standard_fonts/`;

type PageText = { text: string; lines: { str: string; x: number; y: number; angle: number; width: number }[]; width: number; height: number };

/** Text of every page as a viewer shows it: positions in the rotated viewport, y growing downwards. */
async function readPages(bytes: Uint8Array): Promise<{ pages: PageText[]; info: Record<string, unknown> }> {
  const pdf = await getDocument({ data: bytes.slice(), useSystemFonts: false, isEvalSupported: false, standardFontDataUrl: STANDARD_FONTS }).promise;
  const pages: PageText[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const lines = content.items.flatMap((item) => {
      if (!('str' in item) || !item.str.trim()) return [];
      const [a, b, , , e, f] = Util.transform(viewport.transform, item.transform) as number[];
      return [{ str: item.str, x: e!, y: f!, width: item.width, angle: Math.round((Math.atan2(-b!, a!) * 180) / Math.PI) + 0 }];
    });
    pages.push({ text: lines.map((l) => l.str).join(' '), lines, width: viewport.width, height: viewport.height });
  }
  const meta = await pdf.getMetadata();
  await pdf.destroy();
  return { pages, info: meta.info as Record<string, unknown> };
}

const stamp: WatermarkStamp = {
  name: 'Dana Reviewer', email: 'dana@customer.example', company: 'Customer & Sons <Ltd>',
  downloadedAt: new Date('2026-12-01T19:50:12.345Z'), downloadId: 'dl_7f3c2a91b4',
};

test('every page, whatever its size and rotation, carries the full stamp in its displayed orientation', async () => {
  const out = await watermarkPdf(await samplePdf(PAGES), stamp);
  const { pages, info } = await readPages(out);
  assert.equal(pages.length, PAGES.length);
  pages.forEach((page, i) => {
    for (const field of [stamp.name, stamp.email, stamp.company, '2026-12-01T19:50:12.345Z', stamp.downloadId]) {
      assert.ok(page.text.includes(field), `page ${i + 1} lacks "${field}": ${page.text}`);
    }
    assert.ok(page.text.includes(`Original content of page ${i + 1}`), 'the original content survives');
    // The footer reads left to right along the bottom edge of the page as displayed.
    const footer = page.lines.filter((l) => l.str.includes(stamp.downloadId));
    assert.equal(footer.length, 1, `page ${i + 1}: one footer line with the id`);
    assert.equal(footer[0]!.angle, 0, `page ${i + 1}: footer is horizontal as displayed`);
    assert.ok(footer[0]!.y > page.height - 30 && footer[0]!.y <= page.height, `page ${i + 1}: footer at the bottom (y=${footer[0]!.y}, h=${page.height})`);
    assert.ok(footer[0]!.x >= 0 && footer[0]!.x < 40, `page ${i + 1}: footer starts at the left margin (x=${footer[0]!.x})`);
    // The diagonal climbs from bottom-left to top-right of the displayed page.
    const diagonal = page.lines.find((l) => l.str.startsWith('CONFIDENTIAL'));
    assert.ok(diagonal, `page ${i + 1}: diagonal stamp present`);
    const expected = Math.round((Math.atan2(page.height, page.width) * 180) / Math.PI);
    assert.ok(Math.abs(diagonal.angle - expected) <= 1, `page ${i + 1}: diagonal angle ${diagonal.angle}, expected ${expected}`);
  });
  assert.match(String(info.Subject), /download id dl_7f3c2a91b4/);
  assert.match(String(info.Keywords), /download-id:dl_7f3c2a91b4/);
});

test('a name WinAnsi cannot encode is transliterated on the page and kept exactly in the metadata', async () => {
  const name = 'Zoë Ångström-Łukasz 山田';
  const out = await watermarkPdf(await samplePdf([{ size: [300, 400] }, { size: [400, 300] }]), { ...stamp, name });
  const { pages, info } = await readPages(out);
  for (const page of pages) {
    assert.ok(page.text.includes('Zoë Ångström-Lukasz ??'), page.text);
    assert.ok(page.text.includes(stamp.downloadId));
  }
  assert.ok(String(info.Subject).includes(name), String(info.Subject));
});

test('long recipient details wrap inside the width of a small page and stay complete', async () => {
  const long = { ...stamp, name: 'Maximiliana Alexandra Konstantinopoulou-Vanderbilt de la Fontaine', company: `Very Long Company Name ${'Holdings '.repeat(12)}International`, email: `${'x'.repeat(60)}@subsidiary.customer.example` };
  const { pages } = await readPages(await watermarkPdf(await samplePdf([{ size: [200, 300] }, { size: [612, 792], rotate: 90 }]), long));
  for (const page of pages) {
    for (const field of [long.name, long.email, long.company.trim(), long.downloadId]) assert.ok(page.text.includes(field), `missing "${field}"`);
    const footer = page.lines.filter((l) => l.y > page.height * 0.5 && l.angle === 0 && !l.str.startsWith('Original'));
    assert.ok(footer.length >= 3, `wrapped into several lines (${footer.length})`);
    for (const l of footer) assert.ok(l.x + l.width <= page.width + 0.5, `"${l.str}" overflows: ${l.x}+${l.width} > ${page.width}`);
  }
});

test('malformed input is refused with a typed error, never a crash', async () => {
  const valid = await samplePdf([{ size: [300, 300] }]);
  const bad: [string, Uint8Array][] = [
    ['empty', new Uint8Array()],
    ['not a PDF', new TextEncoder().encode('hello, I am a text file')],
    ['PNG bytes', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ['header only', new TextEncoder().encode('%PDF-1.7\n%%EOF\n')],
    ['truncated', valid.subarray(0, Math.floor(valid.length / 3))],
  ];
  for (const [label, bytes] of bad) {
    await assert.rejects(watermarkPdf(bytes, stamp), InvalidInputError, label);
    await assert.rejects(inspectPdf(bytes), InvalidInputError, label);
    await assert.rejects(assertUploadablePdf(bytes), InvalidInputError, label);
  }
  await assert.rejects(watermarkPdf(valid, { ...stamp, downloadedAt: new Date('nope') }), InvalidInputError);
});

test('property: corrupted PDFs either watermark cleanly or fail with the typed error', async () => {
  // Without object streams the page tree and dictionaries are plain text, so edits hit structure.
  const valid = await (await PDFDocument.load(await samplePdf(PAGES.slice(0, 3)))).save({ useObjectStreams: false });
  const outcomes = { stamped: 0, refused: 0 };
  await fc.assert(fc.asyncProperty(
    fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }),
    fc.option(fc.nat({ max: valid.length - 1 }), { nil: undefined }),
    async (edits, cut) => {
      const bytes = valid.slice(0, cut ?? valid.length);
      for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
      const accepted = await inspectPdf(bytes).then((info) => !info.encrypted, (e: unknown) => {
        if (!(e instanceof InvalidInputError)) throw e;
        return false;
      });
      try {
        const out = await watermarkPdf(bytes, stamp);
        assert.ok(accepted, 'whatever watermarks was also accepted at upload');
        await PDFDocument.load(out); // whatever came out is itself a readable PDF
        outcomes.stamped++;
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        assert.ok(!accepted, `accepted at upload, refused at download: ${e.message}`);
        outcomes.refused++;
      }
    },
  ), { numRuns: 300 });
  assert.ok(outcomes.stamped > 0 && outcomes.refused > 0, `both outcomes exercised: ${JSON.stringify(outcomes)}`);
});

test('an encrypted PDF is refused at upload and at download', async () => {
  const bytes = await encryptedPdf('Secret page text', 'user-pw', 'owner-pw');
  // It really is encrypted: the text is not in the file, a reader needs the password, and with it the text reads back.
  assert.ok(!Buffer.from(bytes).toString('latin1').includes('Secret'));
  await assert.rejects(readPages(bytes), (e: unknown) => e instanceof Error && e.name === 'PasswordException');
  const pdf = await getDocument({ data: bytes.slice(), password: 'user-pw', standardFontDataUrl: STANDARD_FONTS }).promise;
  const content = await (await pdf.getPage(1)).getTextContent();
  assert.equal(content.items.map((i) => ('str' in i ? i.str : '')).join(''), 'Secret page text');
  await pdf.destroy();

  const refused = (e: unknown) => e instanceof InvalidInputError && /encrypted/.test(e.message);
  assert.deepEqual(await inspectPdf(bytes), { pageCount: 1, encrypted: true });
  await assert.rejects(assertUploadablePdf(bytes), refused);
  await assert.rejects(watermarkPdf(bytes, stamp), refused);
});

test('inspectPdf reports the page count of a valid upload', async () => {
  assert.deepEqual(await inspectPdf(await samplePdf(PAGES)), { pageCount: PAGES.length, encrypted: false });
  assert.deepEqual(await assertUploadablePdf(await samplePdf(PAGES)), { pageCount: PAGES.length, encrypted: false });
});
