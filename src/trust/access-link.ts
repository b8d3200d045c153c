/**
 * Magic-link tokens for gated Trust Hub documents: signed, expiring, bound to one org, one grant
 * and one recipient. HMAC-SHA256 rather than Ed25519 because the same server issues and checks
 * them: nobody else needs to verify, a MAC is shorter in a URL and cheaper to check, and its key
 * is derived from the instance key (HKDF, own purpose label), so it never opens sealed secrets.
 *
 * Single use is the caller's job: store `accessTokenHash(token)` and the nonce with the grant,
 * and mark the nonce spent on first redemption. The token itself is never stored.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { InvalidInputError } from '../lib/errors.ts';

export type AccessTokenInput = {
  orgId: string; grantId: string; recipientEmail: string; documentId?: string; expiresAt: Date; nonce: string;
};
export type AccessTokenClaims = {
  orgId: string; grantId: string; recipientEmail: string; documentId: string | null; expiresAt: Date; nonce: string;
};
export type AccessTokenRejection = 'malformed' | 'bad_signature' | 'expired' | 'wrong_org';
export type AccessTokenResult = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: AccessTokenRejection };

const VERSION = 'v1';
const PURPOSE = 'attest:trust-access-link';
const MAC_BYTES = 32;
const MAX_TOKEN_LENGTH = 2048;
const B64URL = /^[A-Za-z0-9_-]+$/;

/** The MAC key for access links, derived from the instance key; keep one per process. */
export function accessLinkKey(instanceKey: string): Buffer {
  if (!instanceKey) throw new InvalidInputError('The instance key is empty.');
  return Buffer.from(crypto.hkdfSync('sha256', Buffer.from(instanceKey), Buffer.alloc(0), PURPOSE, 32));
}

/** 128 random bits, URL-safe: the value the caller stores to refuse a second redemption. */
export function newAccessNonce(): string {
  return crypto.randomBytes(16).toString('base64url');
}

/** What to store instead of the token (SHA-256, hex): enough to recognise it, useless to replay. */
export function accessTokenHash(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

// Short keys keep the URL short; the wire form is internal to this module.
const wireClaims = z.strictObject({
  o: z.string().min(1).max(200),
  g: z.string().min(1).max(200),
  e: z.string().min(3).max(320),
  d: z.string().min(1).max(200).optional(),
  x: z.number().int().positive(),
  n: z.string().regex(B64URL).min(16).max(128),
});
type WireClaims = z.infer<typeof wireClaims>;

export function issueAccessToken(input: AccessTokenInput, key: Buffer): string {
  const wire: WireClaims = {
    o: input.orgId, g: input.grantId, e: input.recipientEmail.trim().toLowerCase(),
    ...(input.documentId === undefined ? {} : { d: input.documentId }),
    x: input.expiresAt.getTime(), n: input.nonce,
  };
  const checked = wireClaims.safeParse(wire);
  if (!checked.success) {
    throw new InvalidInputError('Access link claims are invalid.', checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  assertKey(key);
  const payload = Buffer.from(JSON.stringify(checked.data), 'utf8').toString('base64url');
  return `${VERSION}.${payload}.${mac(key, payload).toString('base64url')}`;
}

export function verifyAccessToken(token: string, key: Buffer, now: Date, expectedOrgId: string): AccessTokenResult {
  assertKey(key);
  const fail = (reason: AccessTokenRejection): AccessTokenResult => ({ ok: false, reason });
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return fail('malformed');
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return fail('malformed');
  const [, payload, signature] = parts as [string, string, string];
  const given = strictBase64url(signature);
  if (!given || given.length !== MAC_BYTES || !strictBase64url(payload)) return fail('malformed');
  // The signature is checked before the payload is even parsed: unsigned input is not interpreted.
  if (!crypto.timingSafeEqual(given, mac(key, payload))) return fail('bad_signature');
  let wire: WireClaims;
  try {
    const parsed = wireClaims.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!parsed.success) return fail('malformed');
    wire = parsed.data;
  } catch {
    return fail('malformed');
  }
  if (wire.o !== expectedOrgId) return fail('wrong_org');
  if (now.getTime() >= wire.x) return fail('expired');
  return {
    ok: true,
    claims: { orgId: wire.o, grantId: wire.g, recipientEmail: wire.e, documentId: wire.d ?? null, expiresAt: new Date(wire.x), nonce: wire.n },
  };
}

function mac(key: Buffer, payload: string): Buffer {
  // The version is inside the MAC so a future format cannot be confused with this one.
  return crypto.createHmac('sha256', key).update(`${VERSION}.${payload}`, 'utf8').digest();
}

/** Decodes only canonical base64url: Node ignores stray characters and spare low bits, we do not. */
function strictBase64url(text: string): Buffer | null {
  if (!B64URL.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

function assertKey(key: Buffer) {
  if (!Buffer.isBuffer(key) || key.length < 32) throw new InvalidInputError('The access link key must be at least 32 bytes.');
}
