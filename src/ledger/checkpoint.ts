import crypto from 'node:crypto';
import { LedgerFormatError, decodeBase64Strict, decodeUtf8Strict, toBase64 } from './codec.ts';

/**
 * Signed tree heads in the C2SP formats, so standard tooling (witnesses, monitors) can read them:
 *  - c2sp.org/signed-note: text, blank line, "— <name> base64(keyID ‖ signature)" lines.
 *  - c2sp.org/tlog-checkpoint: the text is origin, tree size, base64 root hash, extension lines.
 * Only Ed25519 (signature type 0x01) is supported. Tree sizes above 2^53-1 are rejected.
 */

export type Ed25519KeyPair = { publicKey: Buffer; privateKey: Buffer };
export type VerifierKey = { name: string; keyId: Buffer; publicKey: Buffer };
export type SignerKey = VerifierKey & { privateKey: Buffer };
export type Checkpoint = { origin: string; size: number; rootHash: Buffer; extensions: string[] };
export type NoteSignature = { name: string; keyId: Buffer; signature: Buffer };
export type SignedNote = { text: string; signatures: NoteSignature[] };
export type CheckpointFailureCode = 'malformed_checkpoint' | 'wrong_key' | 'bad_signature' | 'origin_mismatch';
export type CheckpointVerification =
  | { ok: true; checkpoint: Checkpoint; note: SignedNote; signedBy: string[] }
  | { ok: false; code: CheckpointFailureCode; reason: string };

const ED25519 = 0x01;
const EM_DASH_PREFIX = '\u2014 ';
const MAX_SIGNATURES = 100;
// DER wrappers for raw Ed25519 keys (RFC 8410); node:crypto has no raw-key import.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function privateKeyObject(seed: Uint8Array): crypto.KeyObject {
  if (seed.length !== 32) throw new LedgerFormatError('bad_key', 'Ed25519 private key must be 32 bytes');
  return crypto.createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function publicKeyObject(raw: Uint8Array): crypto.KeyObject {
  if (raw.length !== 32) throw new LedgerFormatError('bad_key', 'Ed25519 public key must be 32 bytes');
  return crypto.createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function publicKeyFromPrivate(privateKey: Uint8Array): Buffer {
  const spki = crypto.createPublicKey(privateKeyObject(privateKey)).export({ format: 'der', type: 'spki' });
  return spki.subarray(SPKI_PREFIX.length);
}

/** A fresh Ed25519 key pair as raw bytes: 32-byte public key and 32-byte RFC 8032 private seed. */
export function generateKeyPair(): Ed25519KeyPair {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length);
  return { privateKey: Buffer.from(seed), publicKey: publicKeyFromPrivate(seed) };
}

function checkKeyName(name: string): void {
  // Spec: non-empty, no Unicode spaces, no '+'; control characters are banned note-wide.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the spec bans control characters, so the pattern names them
  if (name.length === 0 || /[\s+\u0000-\u001f]/u.test(name)) throw new LedgerFormatError('bad_key_name', `invalid key name ${JSON.stringify(name)}`);
}

export function keyId(name: string, publicKey: Uint8Array): Buffer {
  checkKeyName(name);
  const digest = crypto.createHash('sha256').update(name, 'utf8').update(Buffer.of(0x0a, ED25519)).update(publicKey).digest();
  return digest.subarray(0, 4);
}

/** `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`, the vkey format of golang.org/x/mod/sumdb/note. */
export function encodeVerifierKey(name: string, publicKey: Uint8Array): string {
  return `${name}+${keyId(name, publicKey).toString('hex')}+${toBase64(Buffer.concat([Buffer.of(ED25519), publicKey]))}`;
}

/** `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ seed)>`; store it sealed (key-seal.ts). */
export function encodeSignerKey(name: string, privateKey: Uint8Array): string {
  const pub = publicKeyFromPrivate(privateKey);
  return `PRIVATE+KEY+${name}+${keyId(name, pub).toString('hex')}+${toBase64(Buffer.concat([Buffer.of(ED25519), privateKey]))}`;
}

function parseKeyParts(name: string, idHex: string, keyB64: string, what: string): { name: string; keyId: Buffer; key: Buffer } {
  checkKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new LedgerFormatError('bad_key', `${what}: key ID must be 8 lowercase hex digits`);
  const raw = decodeBase64Strict(keyB64, `${what} key`);
  if (raw.length !== 33 || raw[0] !== ED25519) throw new LedgerFormatError('bad_key', `${what}: expected an Ed25519 key (type 0x01, 32 bytes)`);
  return { name, keyId: Buffer.from(idHex, 'hex'), key: raw.subarray(1) };
}

/** Splits at the first two '+' only: names cannot contain '+', but base64 keys can. */
function splitKey(text: string): [string, string, string] | null {
  const a = text.indexOf('+');
  const b = a < 0 ? -1 : text.indexOf('+', a + 1);
  return b < 0 ? null : [text.slice(0, a), text.slice(a + 1, b), text.slice(b + 1)];
}

export function parseVerifierKey(vkey: string): VerifierKey {
  const parts = splitKey(vkey);
  if (!parts) throw new LedgerFormatError('bad_key', 'verifier key must be <name>+<hex id>+<base64 key>');
  const { name, keyId: id, key } = parseKeyParts(parts[0], parts[1], parts[2], 'verifier key');
  publicKeyObject(key);
  if (!keyId(name, key).equals(id)) throw new LedgerFormatError('bad_key', 'verifier key ID does not match its name and public key');
  return { name, keyId: id, publicKey: key };
}

export function parseSignerKey(skey: string): SignerKey {
  const parts = skey.startsWith('PRIVATE+KEY+') ? splitKey(skey.slice('PRIVATE+KEY+'.length)) : null;
  if (!parts) throw new LedgerFormatError('bad_key', 'signer key must be PRIVATE+KEY+<name>+<hex id>+<base64 key>');
  const { name, keyId: id, key } = parseKeyParts(parts[0], parts[1], parts[2], 'signer key');
  const publicKey = publicKeyFromPrivate(key);
  if (!keyId(name, publicKey).equals(id)) throw new LedgerFormatError('bad_key', 'signer key ID does not match its name and key');
  return { name, keyId: id, publicKey, privateKey: Buffer.from(key) };
}

function checkNoteChars(text: string, what: string): void {
  // Signed notes forbid every ASCII control character except newline.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the spec bans control characters, so the pattern names them
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new LedgerFormatError('malformed_checkpoint', `${what} contains a control character`);
  // Lone surrogates cannot be encoded as UTF-8, so the signed bytes would be ambiguous.
  if (!text.isWellFormed()) throw new LedgerFormatError('malformed_checkpoint', `${what} is not valid Unicode`);
}

export function formatCheckpoint(cp: Checkpoint): string {
  checkNoteChars([cp.origin, ...cp.extensions].join('\n'), 'checkpoint');
  if (cp.origin.length === 0 || cp.extensions.some((e) => e.length === 0 || e.includes('\n')) || cp.origin.includes('\n')) {
    throw new LedgerFormatError('malformed_checkpoint', 'origin and extension lines must be non-empty single lines');
  }
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw new LedgerFormatError('malformed_checkpoint', 'tree size must be a non-negative safe integer');
  if (cp.rootHash.length !== 32) throw new LedgerFormatError('malformed_checkpoint', 'root hash must be 32 bytes');
  return [cp.origin, String(cp.size), toBase64(cp.rootHash), ...cp.extensions].map((l) => l + '\n').join('');
}

/** Parses the note text of a checkpoint, accepting exactly one spelling of each field. */
export function parseCheckpointText(text: string): Checkpoint {
  checkNoteChars(text, 'checkpoint');
  if (!text.endsWith('\n')) throw new LedgerFormatError('malformed_checkpoint', 'checkpoint text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new LedgerFormatError('malformed_checkpoint', 'checkpoint needs origin, tree size and root hash lines');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new LedgerFormatError('malformed_checkpoint', 'checkpoint origin is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) throw new LedgerFormatError('malformed_checkpoint', `tree size ${JSON.stringify(sizeLine)} is not a canonical decimal number`);
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw new LedgerFormatError('malformed_checkpoint', 'tree size is too large');
  let rootHash: Buffer;
  try {
    rootHash = decodeBase64Strict(rootLine, 'root hash');
  } catch (err) {
    throw new LedgerFormatError('malformed_checkpoint', (err as Error).message);
  }
  if (rootHash.length !== 32) throw new LedgerFormatError('malformed_checkpoint', `root hash is ${rootHash.length} bytes, expected 32`);
  if (extensions.some((e) => e.length === 0)) throw new LedgerFormatError('malformed_checkpoint', 'checkpoint has an empty extension line');
  return { origin, size, rootHash, extensions };
}

export function parseSignedNote(input: string | Uint8Array): SignedNote {
  const note = typeof input === 'string' ? input : decodeUtf8Strict(input, 'note');
  checkNoteChars(note, 'note');
  // The text ends at the last blank line; everything after it must be signature lines.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new LedgerFormatError('malformed_checkpoint', 'note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const sigBlock = note.slice(split + 2);
  if (!sigBlock.endsWith('\n') || sigBlock.length === 1) throw new LedgerFormatError('malformed_checkpoint', 'note signature lines must end with a newline');
  const signatures = sigBlock.slice(0, -1).split('\n').map((line, i): NoteSignature => {
    const where = `signature line ${i + 1}`;
    if (!line.startsWith(EM_DASH_PREFIX)) throw new LedgerFormatError('malformed_checkpoint', `${where} does not start with "— "`);
    const parts = line.slice(EM_DASH_PREFIX.length).split(' ');
    if (parts.length !== 2) throw new LedgerFormatError('malformed_checkpoint', `${where} must be "— <name> <base64>"`);
    const [name, b64] = parts as [string, string];
    try {
      checkKeyName(name);
      const raw = decodeBase64Strict(b64, `${where}`);
      if (raw.length < 5) throw new LedgerFormatError('malformed_checkpoint', `${where} is too short`);
      return { name, keyId: raw.subarray(0, 4), signature: raw.subarray(4) };
    } catch (err) {
      throw new LedgerFormatError('malformed_checkpoint', (err as Error).message);
    }
  });
  if (signatures.length > MAX_SIGNATURES) throw new LedgerFormatError('malformed_checkpoint', 'note has too many signatures');
  return { text, signatures };
}

/** Signs the checkpoint with every given key (e.g. old and new during a rotation). Returns the note. */
export function signCheckpoint(cp: Checkpoint, signers: ReadonlyArray<{ name: string; privateKey: Uint8Array }>): string {
  if (signers.length === 0) throw new RangeError('at least one signer is required');
  const text = formatCheckpoint(cp);
  const lines = signers.map(({ name, privateKey }) => {
    const id = keyId(name, publicKeyFromPrivate(privateKey));
    const sig = crypto.sign(null, Buffer.from(text, 'utf8'), privateKeyObject(privateKey));
    return `${EM_DASH_PREFIX}${name} ${toBase64(Buffer.concat([id, sig]))}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

export type NoteVerification =
  | { ok: true; note: SignedNote; signedBy: string[] }
  | { ok: false; code: Exclude<CheckpointFailureCode, 'origin_mismatch'>; reason: string };

/**
 * Verifies a signed note per the signed-note rules: signatures from unknown keys are ignored, a
 * known key's signature that fails rejects the note, and at least one known key must have signed.
 * Passing several keys supports rotation: retired keys still verify what they signed.
 */
export function verifyNote(note: string | Uint8Array, keys: ReadonlyArray<string | VerifierKey>): NoteVerification {
  let parsed: SignedNote;
  let known: VerifierKey[];
  try {
    known = keys.map((k) => (typeof k === 'string' ? parseVerifierKey(k) : k));
    parsed = parseSignedNote(note);
  } catch (err) {
    if (!(err instanceof LedgerFormatError)) throw err;
    return { ok: false, code: 'malformed_checkpoint', reason: err.message };
  }
  const message = Buffer.from(parsed.text, 'utf8');
  const signedBy: string[] = [];
  for (const sig of parsed.signatures) {
    const key = known.find((k) => k.name === sig.name && k.keyId.equals(sig.keyId));
    if (!key) continue;
    const valid = sig.signature.length === 64 && crypto.verify(null, message, publicKeyObject(key.publicKey), sig.signature);
    if (!valid) return { ok: false, code: 'bad_signature', reason: `signature by ${key.name} (key ${key.keyId.toString('hex')}) does not match the note text` };
    signedBy.push(`${key.name}+${key.keyId.toString('hex')}`);
  }
  if (signedBy.length === 0) {
    const present = parsed.signatures.map((s) => `${s.name}+${s.keyId.toString('hex')}`).join(', ');
    const trusted = known.map((k) => `${k.name}+${k.keyId.toString('hex')}`).join(', ') || 'none';
    return { ok: false, code: 'wrong_key', reason: `signed by ${present}, none of which is a trusted key (${trusted})` };
  }
  return { ok: true, note: parsed, signedBy };
}

/** verifyNote, then strict checkpoint parsing and (optionally) the expected log origin. */
export function verifyCheckpoint(note: string | Uint8Array, keys: ReadonlyArray<string | VerifierKey>, opts: { origin?: string } = {}): CheckpointVerification {
  const verified = verifyNote(note, keys);
  if (!verified.ok) return verified;
  let checkpoint: Checkpoint;
  try {
    checkpoint = parseCheckpointText(verified.note.text);
  } catch (err) {
    if (!(err instanceof LedgerFormatError)) throw err;
    return { ok: false, code: 'malformed_checkpoint', reason: err.message };
  }
  if (opts.origin !== undefined && checkpoint.origin !== opts.origin) {
    return { ok: false, code: 'origin_mismatch', reason: `checkpoint is for log ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(opts.origin)}` };
  }
  return { ok: true, checkpoint, note: verified.note, signedBy: verified.signedBy };
}
