import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomToken, safeEqual } from '../lib/secrets.ts';

/**
 * CSRF for the public hub forms, which work without JavaScript: the token travels in a hidden
 * field and must match a short-lived, httpOnly cookie scoped to the org's hub path. A page from
 * another site can post the field but cannot read or set the cookie.
 */
export const HUB_FORM_COOKIE = 'attest_hub_form';
const MAX_AGE_SECONDS = 60 * 60;

export function formToken(req: FastifyRequest, reply: FastifyReply, slug: string): string {
  const existing = req.cookies[HUB_FORM_COOKIE];
  const token = existing && /^[\w-]{43}$/.test(existing) ? existing : randomToken();
  reply.setCookie(HUB_FORM_COOKIE, token, { path: `/trust/${slug}`, httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', maxAge: MAX_AGE_SECONDS });
  return token;
}

export function formTokenValid(req: FastifyRequest, field: unknown): boolean {
  const cookie = req.cookies[HUB_FORM_COOKIE];
  return typeof cookie === 'string' && typeof field === 'string' && cookie.length > 0 && safeEqual(cookie, field);
}

/** HTML forms post application/x-www-form-urlencoded; repeated names keep the last value. */
export function parseForm(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}
