import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { z } from 'zod';
import { type CheckAssertion, type CheckPlugin, concludeOutcome, describeError, errorOutcome } from './check-plugin.ts';
import { compareValues, formatValue, regexSource } from './compare.ts';
import { isValidPointer, resolvePointer } from './json-pointer.ts';

const pointer = z.string().max(500).refine(isValidPointer, 'Enter an RFC 6901 JSON pointer, e.g. /status or /checks/0/ok.');
const jsonAssertion = z.discriminatedUnion('op', [
  z.object({ pointer, op: z.literal('exists') }),
  z.object({ pointer, op: z.literal('absent') }),
  z.object({ pointer, op: z.literal('equals'), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) }),
  z.object({ pointer, op: z.literal('matches'), pattern: regexSource }),
  z.object({ pointer, op: z.enum(['lte', 'gte']), value: z.number() }),
]);
const statusCode = z.number().int().min(100).max(599);
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'Enter a valid header name.');

export const httpCheckConfig = z.object({
  url: z.url({ protocol: /^https?$/, error: 'Enter an http:// or https:// URL.' }),
  method: z.enum(['GET', 'HEAD']).default('GET'),
  headers: z.record(headerName, z.string().max(4000)).default({}),
  /** Request headers that carry credentials (Authorization, API keys): stored encrypted, never shown. */
  secretHeaders: z.record(headerName, z.string().max(4000)).default({}),
  /** PEM of the CA that signed an internal endpoint's certificate. */
  caPem: z.string().max(100_000).optional(),
  /** Accept any certificate (self-signed internal endpoints); expiry and TLS version are still checked. */
  allowSelfSigned: z.boolean().default(false),
  expectStatus: z.union([statusCode, z.array(statusCode).min(1)]).default(200),
  minTlsVersion: z.enum(['TLSv1.2', 'TLSv1.3']).optional(),
  certMinDaysLeft: z.number().min(0).max(3650).optional(),
  hstsMinMaxAgeSeconds: z.number().int().min(0).optional(),
  /** Require Content-Security-Policy, X-Content-Type-Options: nosniff, framing protection and Referrer-Policy. */
  securityHeaders: z.boolean().default(false),
  requireHeaders: z.array(z.object({ name: headerName, matches: regexSource.optional() })).max(50).default([]),
  json: z.array(jsonAssertion).max(100).default([]),
  maxBodyBytes: z.number().int().min(0).max(10 * 1024 * 1024).default(1024 * 1024),
});
export type HttpCheckConfig = z.output<typeof httpCheckConfig>;

type Seen = {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  bodyTruncated: boolean;
  tls?: { protocol: string | null; validTo?: Date; subject?: string; issuer?: string; authorized: boolean; authorizationError?: string };
};

export const httpCheck: CheckPlugin<typeof httpCheckConfig> = {
  type: 'http',
  title: 'HTTP(S) endpoint',
  description: 'Requests a URL and checks its status, TLS version, certificate expiry, HSTS, security headers and JSON body.',
  config: httpCheckConfig,
  secretFields: ['secretHeaders.*'],
  async run(config, ctx) {
    const startedAt = Date.now();
    let seen: Seen;
    try {
      seen = await request(config, ctx.signal);
    } catch (e) {
      return errorOutcome(ctx, startedAt, `Could not reach ${config.url}: ${describeError(e)}`);
    }
    const assertions = evaluate(config, seen, ctx.now());
    return concludeOutcome(ctx, startedAt, { assertions, output: describeResponse(seen), subject: `${config.method} ${config.url} → ${seen.status}` });
  },
};

function request(config: HttpCheckConfig, signal: AbortSignal): Promise<Seen> {
  const url = new URL(config.url);
  const secure = url.protocol === 'https:';
  const options: https.RequestOptions = {
    method: config.method,
    headers: { 'user-agent': 'attest-check/1', ...config.headers, ...config.secretHeaders },
    signal,
    agent: false, // a fresh connection each run, so the TLS facts are the server's current ones
    ...(secure ? { ca: config.caPem, rejectUnauthorized: !config.allowSelfSigned, minVersion: 'TLSv1.2' as const } : {}),
  };
  return new Promise<Seen>((resolve, reject) => {
    const req = (secure ? https : http).request(url, options, (res) => {
      const socket = res.socket as TLSSocket;
      let tls: Seen['tls'];
      if (secure) {
        const cert = socket.getPeerCertificate();
        tls = {
          protocol: socket.getProtocol(),
          authorized: socket.authorized,
          ...(socket.authorizationError ? { authorizationError: String(socket.authorizationError) } : {}),
          ...(cert?.valid_to ? { validTo: new Date(cert.valid_to), subject: [cert.subject?.CN ?? '?'].flat().join(', '), issuer: [cert.issuer?.CN ?? '?'].flat().join(', ') } : {}),
        };
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let bodyTruncated = false;
      const done = () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks), bodyTruncated, ...(tls ? { tls } : {}) });
      res.on('data', (chunk: Buffer) => {
        if (bodyTruncated) return;
        const room = config.maxBodyBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          bodyTruncated = true;
          size = config.maxBodyBytes;
          res.destroy();
          done();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', done);
      res.on('error', (e) => (bodyTruncated ? undefined : reject(e)));
    });
    req.on('error', reject);
    req.end();
  });
}

function evaluate(config: HttpCheckConfig, seen: Seen, now: Date): CheckAssertion[] {
  const out: CheckAssertion[] = [];
  const expected = Array.isArray(config.expectStatus) ? config.expectStatus : [config.expectStatus];
  out.push({ name: 'status', expected: expected.join(' or '), actual: String(seen.status), passed: expected.includes(seen.status) });

  if (config.minTlsVersion) {
    const actual = seen.tls?.protocol ?? 'none (not TLS)';
    const rank = (v: string) => ({ 'TLSv1.2': 2, 'TLSv1.3': 3 })[v] ?? 0;
    out.push({ name: 'TLS version', expected: `≥ ${config.minTlsVersion}`, actual, passed: rank(actual) >= rank(config.minTlsVersion) });
  }
  if (config.certMinDaysLeft !== undefined) {
    const validTo = seen.tls?.validTo;
    const daysLeft = validTo ? (validTo.getTime() - now.getTime()) / 86_400_000 : undefined;
    out.push({
      name: 'certificate days left',
      expected: `≥ ${config.certMinDaysLeft}`,
      actual: validTo && daysLeft !== undefined ? `${daysLeft.toFixed(1)} (notAfter ${validTo.toISOString()})` : 'no certificate',
      passed: daysLeft !== undefined && daysLeft >= config.certMinDaysLeft,
    });
  }
  const header = (name: string) => {
    const v = seen.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  if (config.hstsMinMaxAgeSeconds !== undefined) {
    const hsts = header('strict-transport-security');
    const maxAge = hsts ? Number(/max-age\s*=\s*"?(\d+)/i.exec(hsts)?.[1] ?? Number.NaN) : Number.NaN;
    out.push({
      name: 'HSTS max-age',
      expected: `≥ ${config.hstsMinMaxAgeSeconds}`,
      actual: hsts === undefined ? 'no Strict-Transport-Security header' : Number.isNaN(maxAge) ? `unreadable: ${hsts}` : String(maxAge),
      passed: !Number.isNaN(maxAge) && maxAge >= config.hstsMinMaxAgeSeconds,
    });
  }
  if (config.securityHeaders) {
    const csp = header('content-security-policy');
    const xcto = header('x-content-type-options');
    const xfo = header('x-frame-options');
    const referrer = header('referrer-policy');
    const framing = /(^|;)\s*frame-ancestors\s/i.test(csp ?? '') ? `CSP ${/frame-ancestors[^;]*/i.exec(csp!)?.[0]}` : xfo;
    out.push(
      { name: 'Content-Security-Policy', expected: 'present', actual: csp ?? 'missing', passed: !!csp },
      { name: 'X-Content-Type-Options', expected: 'nosniff', actual: xcto ?? 'missing', passed: xcto?.trim().toLowerCase() === 'nosniff' },
      { name: 'framing protection', expected: 'X-Frame-Options DENY/SAMEORIGIN or CSP frame-ancestors', actual: framing ?? 'missing', passed: framing !== undefined && (framing.startsWith('CSP') || /^(deny|sameorigin)$/i.test(framing.trim())) },
      { name: 'Referrer-Policy', expected: 'present', actual: referrer ?? 'missing', passed: !!referrer },
    );
  }
  for (const req of config.requireHeaders) {
    const v = header(req.name);
    out.push({ name: `header ${req.name}`, expected: req.matches ? `matches /${req.matches}/` : 'present', actual: v ?? 'missing', passed: v !== undefined && (!req.matches || new RegExp(req.matches).test(v)) });
  }
  if (config.json.length) out.push(...jsonAssertions(config.json, seen));
  return out;
}

function jsonAssertions(list: HttpCheckConfig['json'], seen: Seen): CheckAssertion[] {
  let doc: unknown;
  try {
    doc = JSON.parse(seen.body.toString('utf8'));
  } catch {
    const why = seen.bodyTruncated ? 'body longer than maxBodyBytes' : seen.body.length === 0 ? 'empty body' : 'body is not JSON';
    return list.map((a) => ({ name: `JSON ${a.pointer || '(root)'}`, expected: a.op, actual: why, passed: false }));
  }
  return list.map((a): CheckAssertion => {
    const hit = resolvePointer(doc, a.pointer);
    const actual = hit.found ? formatValue(hit.value) : '(missing)';
    const name = `JSON ${a.pointer || '(root)'}`;
    switch (a.op) {
      case 'exists': return { name, expected: 'exists', actual, passed: hit.found };
      case 'absent': return { name, expected: 'absent', actual, passed: !hit.found };
      case 'equals': return { name, expected: `= ${formatValue(a.value)}`, actual, passed: hit.found && JSON.stringify(hit.value) === JSON.stringify(a.value) };
      case 'matches': return { name, expected: `matches /${a.pattern}/`, actual, passed: hit.found && typeof hit.value === 'string' && new RegExp(a.pattern).test(hit.value) };
      case 'lte':
      case 'gte': return { name, expected: `${a.op === 'lte' ? '≤' : '≥'} ${a.value}`, actual, passed: hit.found && typeof hit.value === 'number' && compareValues(a.op, hit.value, a.value) };
    }
    return { name, expected: 'a known assertion', actual, passed: false };
  });
}

function describeResponse(seen: Seen): string {
  const lines: string[] = [];
  if (seen.tls) {
    lines.push(`TLS ${seen.tls.protocol ?? '?'}; certificate ${seen.tls.subject ?? '?'} issued by ${seen.tls.issuer ?? '?'}, notAfter ${seen.tls.validTo?.toISOString() ?? '?'}; trusted: ${seen.tls.authorized ? 'yes' : `no (${seen.tls.authorizationError ?? 'not verified'})`}`);
  }
  lines.push(`HTTP ${seen.status} ${seen.statusText}`);
  for (const [k, v] of Object.entries(seen.headers)) lines.push(`${k}: ${k === 'set-cookie' ? '[cookies not recorded]' : Array.isArray(v) ? v.join(', ') : v}`);
  lines.push('', seen.body.subarray(0, 16 * 1024).toString('utf8') + (seen.bodyTruncated || seen.body.length > 16 * 1024 ? '\n[body truncated]' : ''));
  return lines.join('\n');
}
