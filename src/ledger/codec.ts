/**
 * Small strict codecs shared by the ledger modules. Everything that crosses a trust boundary
 * (checkpoints, bundles, sealed keys) is decoded here so that there is exactly one encoding
 * accepted per value: a verifier that tolerated alternate encodings would let two different
 * documents claim to be "the same" evidence.
 */

export class LedgerFormatError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'LedgerFormatError';
    this.code = code;
  }
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const B64URL = /^[A-Za-z0-9_-]*$/;

/** Standard padded base64 (RFC 4648 §4); Node's decoder would silently skip junk, so check first. */
export function decodeBase64Strict(text: string, what: string): Buffer {
  if (!B64.test(text)) throw new LedgerFormatError('bad_base64', `${what} is not canonical base64`);
  const bytes = Buffer.from(text, 'base64');
  // Non-zero trailing bits in the last group would decode to the same bytes as another string.
  if (bytes.toString('base64') !== text) throw new LedgerFormatError('bad_base64', `${what} is not canonical base64`);
  return bytes;
}

export function decodeBase64UrlStrict(text: string, what: string): Buffer {
  if (!B64URL.test(text)) throw new LedgerFormatError('bad_base64', `${what} is not canonical base64url`);
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw new LedgerFormatError('bad_base64', `${what} is not canonical base64url`);
  return bytes;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 rejecting invalid sequences instead of substituting U+FFFD. */
export function decodeUtf8Strict(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new LedgerFormatError('bad_utf8', `${what} is not valid UTF-8`);
  }
}
