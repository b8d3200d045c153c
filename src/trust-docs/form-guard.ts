/**
 * CSRF protection for the public, session-less hub forms: a random nonce with an expiry sits in
 * a short-lived httpOnly cookie scoped to the hub's path, and the form's hidden field carries an
 * HMAC over the org, the nonce and the expiry. A cross-site page can neither read the cookie nor
 * compute the field, and a field minted for one org or an expired cookie does not verify.
 */
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const FORM_COOKIE = 'attest_trust_form';
const TTL_MS = 60 * 60 * 1000;

export function createFormGuard(instanceKey: string, now: () => Date = () => new Date()) {
  const key = Buffer.from(crypto.hkdfSync('sha256', Buffer.from(instanceKey), Buffer.alloc(0), 'attest:trust-form-csrf', 32));
  const mac = (orgId: string, nonce: string, exp: string) => crypto.createHmac('sha256', key).update(`${orgId}.${nonce}.${exp}`).digest('base64url');
  return {
    /** Sets the cookie (reusing a still-valid one, so two open tabs both work) and returns the hidden-field value. */
    issue(req: FastifyRequest, reply: FastifyReply, org: { id: string; slug: string }): string {
      const existing = parse(req.cookies[FORM_COOKIE], now());
      const value = existing ?? { nonce: crypto.randomBytes(16).toString('base64url'), exp: String(now().getTime() + TTL_MS) };
      if (!existing) {
        reply.setCookie(FORM_COOKIE, `${value.nonce}.${value.exp}`, { path: `/trust/${org.slug}`, httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', maxAge: TTL_MS / 1000 });
      }
      return mac(org.id, value.nonce, value.exp);
    },
    check(req: FastifyRequest, orgId: string, field: unknown): boolean {
      const cookie = parse(req.cookies[FORM_COOKIE], now());
      if (!cookie || typeof field !== 'string' || field.length > 100) return false;
      const expected = Buffer.from(mac(orgId, cookie.nonce, cookie.exp));
      const given = Buffer.from(field);
      return given.length === expected.length && crypto.timingSafeEqual(given, expected);
    },
  };
}
export type FormGuard = ReturnType<typeof createFormGuard>;

function parse(cookie: string | undefined, at: Date): { nonce: string; exp: string } | null {
  const m = /^([A-Za-z0-9_-]{22})\.(\d{13})$/.exec(cookie ?? '');
  if (!m || Number(m[2]) <= at.getTime()) return null;
  return { nonce: m[1]!, exp: m[2]! };
}
