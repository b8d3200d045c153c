import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { guardedLookup, isAllowedAddress, RefusedTargetError } from './webhook-target.ts';
import { HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, signWebhook } from './webhook-signature.ts';

export const WEBHOOK_TIMEOUT_MS = 10_000;
const KEEP_RESPONSE_BYTES = 2_000;

export type SendOutcome =
  | { kind: 'delivered'; status: number; body: string; durationMs: number }
  /** Worth another try later: network errors, timeouts, 5xx/4xx answers. */
  | { kind: 'retry'; status: number | null; body: string | null; error: string; durationMs: number }
  /** Trying again cannot help: a refused address or a redirect (never followed). */
  | { kind: 'permanent'; status: number | null; body: string | null; error: string; durationMs: number };

/**
 * One signed POST. Redirects are reported, never followed; the resolved address is checked at
 * connect time (guardedLookup), and IP literals before any socket is opened.
 */
export async function sendWebhook(input: { url: string; secret: string; id: string; body: string; eventType: string; allowLoopback: boolean; userAgent: string }): Promise<SendOutcome> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const url = new URL(input.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && !isAllowedAddress(host, input.allowLoopback)) {
    return { kind: 'permanent', status: null, body: null, error: `refused: ${host} is a private or reserved address`, durationMs: 0 };
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': input.userAgent,
    [HEADER_ID]: input.id,
    [HEADER_TIMESTAMP]: String(timestamp),
    [HEADER_SIGNATURE]: signWebhook(input.secret, input.id, timestamp, input.body),
    'attest-event-type': input.eventType,
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendOutcome>((resolve) => {
    const req = client.request(url, {
      method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(input.body) },
      lookup: guardedLookup(input.allowLoopback), timeout: WEBHOOK_TIMEOUT_MS, agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (c: Buffer) => { if (kept < KEEP_RESPONSE_BYTES) { chunks.push(c); kept += c.length; } });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const body = Buffer.concat(chunks).toString('utf8').slice(0, KEEP_RESPONSE_BYTES);
        if (status >= 200 && status < 300) resolve({ kind: 'delivered', status, body, durationMs: elapsed() });
        else if (status >= 300 && status < 400) resolve({ kind: 'permanent', status, body, error: `redirect to ${res.headers.location ?? '(no location)'} not followed; point the endpoint at the final URL`, durationMs: elapsed() });
        else resolve({ kind: 'retry', status, body, error: `receiver answered ${status}`, durationMs: elapsed() });
      });
      res.on('error', (e) => resolve({ kind: 'retry', status: res.statusCode ?? null, body: null, error: e.message, durationMs: elapsed() }));
    });
    // Covers the whole exchange, not just idle sockets: a slow-drip receiver cannot hold a worker.
    const deadline = setTimeout(() => req.destroy(new Error(`timed out after ${WEBHOOK_TIMEOUT_MS / 1000} s`)), WEBHOOK_TIMEOUT_MS);
    req.on('timeout', () => req.destroy(new Error(`timed out after ${WEBHOOK_TIMEOUT_MS / 1000} s`)));
    req.on('close', () => clearTimeout(deadline));
    req.on('error', (e) => {
      clearTimeout(deadline);
      if (e instanceof RefusedTargetError) resolve({ kind: 'permanent', status: null, body: null, error: `refused: ${e.message}`, durationMs: elapsed() });
      else resolve({ kind: 'retry', status: null, body: null, error: e.message, durationMs: elapsed() });
    });
    req.end(input.body);
  });
}
