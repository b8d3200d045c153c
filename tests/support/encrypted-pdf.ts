/**
 * A genuinely encrypted PDF for tests (Standard security handler, revision 2: RC4 with a 40-bit
 * key, the oldest scheme every reader supports). No installed package writes encrypted PDFs and
 * Node's OpenSSL build has no RC4, so the cipher is implemented here; it is test-only and weak.
 */
import crypto from 'node:crypto';
import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRawStream, StandardFonts } from 'pdf-lib';

// The fixed padding string of the Standard security handler (ISO 32000-1, 7.6.3.3).
const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
const PERMISSIONS = -44;

function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

const md5 = (...parts: Uint8Array[]) => crypto.createHash('md5').update(Buffer.concat(parts)).digest();
const padded = (password: string) => Buffer.concat([Buffer.from(password, 'latin1'), PAD]).subarray(0, 32);

/** One page with `text` on it, encrypted so that only `userPassword` opens it. */
export async function encryptedPdf(text: string, userPassword: string, ownerPassword: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([300, 300]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(text, { x: 20, y: 150, size: 12, font });

  const id = crypto.randomBytes(16);
  const owner = rc4(md5(padded(ownerPassword)).subarray(0, 5), padded(userPassword));
  const p = Buffer.alloc(4);
  p.writeInt32LE(PERMISSIONS);
  const fileKey = md5(padded(userPassword), owner, p, id).subarray(0, 5);
  const user = rc4(fileKey, PAD);

  // Flush drawn operators into plain streams, then encrypt every stream with its object key.
  await doc.flush();
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    let contents: Uint8Array | undefined;
    if (object instanceof PDFRawStream) contents = object.contents;
    else if ('getContents' in object && typeof object.getContents === 'function') contents = object.getContents() as Uint8Array;
    if (!contents || !('dict' in object)) continue;
    const objectKey = md5(fileKey, Buffer.from([ref.objectNumber & 255, (ref.objectNumber >> 8) & 255, (ref.objectNumber >> 16) & 255, ref.generationNumber & 255, (ref.generationNumber >> 8) & 255])).subarray(0, 10);
    const dict = (object as PDFRawStream).dict.clone(doc.context);
    const sealed = rc4(objectKey, contents);
    dict.set(PDFName.of('Length'), PDFNumber.of(sealed.length));
    doc.context.assign(ref, PDFRawStream.of(dict, sealed));
  }
  const encrypt = doc.context.obj({ Filter: 'Standard', V: 1, R: 2, Length: 40, P: PERMISSIONS });
  encrypt.set(PDFName.of('O'), PDFHexString.of(owner.toString('hex')));
  encrypt.set(PDFName.of('U'), PDFHexString.of(user.toString('hex')));
  doc.context.trailerInfo.Encrypt = doc.context.register(encrypt);
  const ids = PDFArray.withContext(doc.context);
  ids.push(PDFHexString.of(id.toString('hex')));
  ids.push(PDFHexString.of(id.toString('hex')));
  doc.context.trailerInfo.ID = ids;
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}
