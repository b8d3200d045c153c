import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Helmet's security headers for our policy (CSP, frame, referrer, MIME sniffing, cross-origin
 * isolation...), computed once at start and set on every response. The headers never depend on
 * the request, and @fastify/helmet rebuilt all of helmet's middleware on every request, which
 * measured as the largest single cost of serving a cached Trust Hub page. A route that needs a
 * different policy (the hub's admin preview) overrides the header on its reply.
 */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) { headers[name.toLowerCase()] = String(value); },
    removeHeader(name: string) { delete headers[name.toLowerCase()]; },
  };
  helmet({
    hsts: false,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"], frameAncestors: ["'none'"], formAction: ["'self'"], objectSrc: ["'none'"], baseUri: ["'self'"],
      },
    },
  })({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => { if (err) throw err; });
  return headers;
}

export function registerSecurityHeaders(app: FastifyInstance) {
  const headers = securityHeaders();
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}
