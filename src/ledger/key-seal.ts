import crypto from 'node:crypto';
import { LedgerFormatError, decodeBase64UrlStrict } from './codec.ts';

/**
 * Log signing keys at rest: AES-256-GCM under a key derived from the instance secret.
 *
 * Format: `attest-ledger-key.v1.<salt>.<nonce>.<ciphertext>.<tag>` (base64url parts). A fresh
 * random HKDF salt per seal means no two seals share an AES key, so the 96-bit random nonce never
 * has to carry the uniqueness burden alone. The context label is both HKDF info and GCM
 * associated data, so a key sealed for one purpose (or one log) cannot be opened as another.
 */

const PREFIX = 'attest-ledger-key.v1';
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function deriveKey(instanceSecret: string | Uint8Array, salt: Uint8Array, context: string): Buffer {
  const ikm = typeof instanceSecret === 'string' ? Buffer.from(instanceSecret, 'utf8') : instanceSecret;
  // A short secret would make the derived key guessable; the instance key is 48 random bytes.
  if (ikm.length < 16) throw new RangeError('instance secret is too short');
  return Buffer.from(crypto.hkdfSync('sha256', ikm, salt, `${PREFIX}:${context}`, 32));
}

function checkContext(context: string): void {
  if (context.length === 0) throw new RangeError('a context label is required');
}

export function sealPrivateKey(privateKey: Uint8Array, instanceSecret: string | Uint8Array, context: string): string {
  checkContext(context);
  const salt = crypto.randomBytes(SALT_BYTES);
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', deriveKey(instanceSecret, salt, context), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(`${PREFIX}:${context}`, 'utf8'));
  const body = Buffer.concat([cipher.update(privateKey), cipher.final()]);
  return [PREFIX, salt, nonce, body, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** Throws LedgerFormatError: `sealed_key_malformed` for a bad string, `sealed_key_rejected` if it fails authentication. */
export function openPrivateKey(sealed: string, instanceSecret: string | Uint8Array, context: string): Buffer {
  checkContext(context);
  const parts = sealed.split('.');
  if (parts.length !== 6 || `${parts[0]}.${parts[1]}` !== PREFIX) {
    throw new LedgerFormatError('sealed_key_malformed', `sealed key is not in the ${PREFIX} format`);
  }
  let salt: Buffer, nonce: Buffer, body: Buffer, tag: Buffer;
  try {
    [salt, nonce, body, tag] = parts.slice(2).map((p, i) => decodeBase64UrlStrict(p, `sealed key part ${i + 1}`)) as [Buffer, Buffer, Buffer, Buffer];
  } catch (err) {
    throw new LedgerFormatError('sealed_key_malformed', (err as Error).message);
  }
  if (salt.length !== SALT_BYTES || nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES || body.length === 0) {
    throw new LedgerFormatError('sealed_key_malformed', 'sealed key has a part of the wrong length');
  }
  const decipher = crypto.createDecipheriv('aes-256-gcm', deriveKey(instanceSecret, salt, context), nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(`${PREFIX}:${context}`, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new LedgerFormatError('sealed_key_rejected', 'sealed key failed authentication: wrong instance secret or context, or it was modified');
  }
}
