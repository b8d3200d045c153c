import crypto from 'node:crypto';

/**
 * Webhook signatures follow the Standard Webhooks specification (standardwebhooks.com), so a
 * receiver can use that project's libraries (or Svix's) as well as this helper:
 *
 *   webhook-id:        the delivery id (the same on every retry and redelivery: use it to deduplicate)
 *   webhook-timestamp: Unix seconds when this attempt was sent
 *   webhook-signature: "v1,<base64 HMAC-SHA256>" (space-separated when more than one)
 *
 * The signed content is `${id}.${timestamp}.${raw body}`; the HMAC key is the base64 part of the
 * endpoint's secret after its `whsec_` prefix. Receivers reject timestamps far from their clock.
 */
export const SECRET_PREFIX = 'whsec_';
export const HEADER_ID = 'webhook-id';
export const HEADER_TIMESTAMP = 'webhook-timestamp';
export const HEADER_SIGNATURE = 'webhook-signature';

export function newWebhookSecret(): string {
  return SECRET_PREFIX + crypto.randomBytes(32).toString('base64');
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

export function signWebhook(secret: string, id: string, timestamp: number, body: string | Buffer): string {
  const mac = crypto.createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

export type WebhookVerification = { ok: true; id: string; timestamp: number } | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'timestamp_out_of_tolerance' | 'no_matching_signature' };

type HeaderBag = Record<string, string | string[] | undefined> | Headers;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : bag[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * For receivers (and tests): checks a delivery against the endpoint secret. `body` must be the raw
 * bytes as received, before any JSON parsing.
 */
export function verifyWebhookSignature(secret: string, headers: HeaderBag, body: string | Buffer, toleranceSeconds = 300, now = Date.now()): WebhookVerification {
  const id = header(headers, HEADER_ID);
  const ts = header(headers, HEADER_TIMESTAMP);
  const sigs = header(headers, HEADER_SIGNATURE);
  if (!id || !ts || !sigs) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'bad_timestamp' };
  const timestamp = Number(ts);
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'timestamp_out_of_tolerance' };
  const expected = Buffer.from(signWebhook(secret, id, timestamp, body).slice(3), 'base64');
  for (const candidate of sigs.split(' ')) {
    const [version, mac] = candidate.split(',');
    if (version !== 'v1' || !mac) continue;
    const given = Buffer.from(mac, 'base64');
    if (given.length === expected.length && crypto.timingSafeEqual(given, expected)) return { ok: true, id, timestamp };
  }
  return { ok: false, reason: 'no_matching_signature' };
}
