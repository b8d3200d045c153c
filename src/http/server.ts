import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppServices } from '../app.ts';
import { errorHandler, sendProblem } from './problem.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { registerMetrics } from './metrics.ts';
import { systemRoutes } from '../system/system.routes.ts';
import { authRoutes } from '../auth/auth.routes.ts';
import { orgsRoutes } from '../orgs/orgs.routes.ts';
import { invitationsRoutes } from '../invitations/invitations.routes.ts';
import { tokensRoutes } from '../tokens/tokens.routes.ts';
import { securityLogRoutes } from '../security-log/security-log.routes.ts';
import { mailRoutes } from '../mail/mail.routes.ts';
import { ledgerRoutes } from '../ledger/ledger.routes.ts';
import { evidenceRoutes } from '../evidence/evidence.routes.ts';
import { registerMultipart } from '../storage/upload.ts';
import { controlsRoutes } from '../controls/controls.routes.ts';
import { coverageRoutes } from '../coverage/coverage.routes.ts';
import { healthRoutes } from '../health/health.routes.ts';
import { catalogRoutes } from '../catalog/catalog.routes.ts';
import { productsRoutes } from '../products/products.routes.ts';
import { certificationsRoutes } from '../certifications/certifications.routes.ts';
import { notificationsRoutes } from '../notifications/notifications.routes.ts';
import { trustDocsRoutes } from '../trust-docs/trust-docs.routes.ts';
import { trustDocsPublicRoutes } from '../trust-docs/trust-docs.public.routes.ts';
import { notFoundPage } from '../trust-docs/trust-docs.pages.ts';
import { trustHubRoutes } from '../trust-hub/trust-hub.routes.ts';
import { checksRoutes } from '../checks/checks.routes.ts';
import { vendorsRoutes } from '../vendors/vendors.routes.ts';
import { vendorsPublicRoutes } from '../vendors/vendors.public.ts';
import { responsibilitiesRoutes } from '../responsibilities/responsibilities.routes.ts';

export const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/** Builds the HTTP server (not listening): plugins, the one error handler, and every domain's routes. */
export async function buildServer(s: AppServices, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  // Custom Trust Hub host names are mapped to /trust/{slug} before routing (trust-hub/host-routing.ts).
  await s.hubHosts.load();
  const app = Fastify({
    rewriteUrl: (req) => s.hubHosts.rewrite(req),
    logger: opts.logger === false ? false : { level: s.config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    trustProxy: s.config.trustProxy,
    bodyLimit: 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.decorateRequest('auth', null);
  app.decorateRequest('org', null);
  // A callback hook, not an async one: it runs on every response, public hub pages included.
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    // HSTS only means something over TLS; behind a load balancer that is what X-Forwarded-Proto says.
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });

  await app.register(cookie);
  registerSecurityHeaders(app);
  await app.register(rateLimit, { global: false });
  // Streaming only: routes take the one file with storage/upload.ts receiveUpload.
  await registerMultipart(app, s.config.uploadMaxBytes);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Attest API', version: '1.0.0', description: 'Compliance program as software. Errors are RFC 9457 problem+json.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'attest_session' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  const metrics = registerMetrics(app);
  await app.register(systemRoutes(s, metrics));
  await app.register(authRoutes(s));
  await app.register(orgsRoutes(s));
  await app.register(invitationsRoutes(s));
  await app.register(tokensRoutes(s));
  await app.register(securityLogRoutes(s));
  await app.register(mailRoutes(s));
  await app.register(ledgerRoutes(s));
  await app.register(evidenceRoutes(s));
  await app.register(controlsRoutes(s));
  await app.register(coverageRoutes(s));
  await app.register(healthRoutes(s));
  await app.register(catalogRoutes(s));
  await app.register(productsRoutes(s));
  await app.register(certificationsRoutes(s));
  await app.register(notificationsRoutes(s));
  await app.register(trustDocsRoutes(s));
  await app.register(trustDocsPublicRoutes(s));
  await app.register(trustHubRoutes(s));
  await app.register(checksRoutes(s));
  await app.register(vendorsRoutes(s));
  await app.register(responsibilitiesRoutes(s));
  await app.register(vendorsPublicRoutes(s));

  const hasWeb = existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
    // Public hub addresses are not the app's: a wrong link there gets a plain 404 page, not the sign-in app.
    if (wantsHtml && req.url.startsWith('/trust/')) return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(null));
    // Client-side routes of the single-page app all load index.html; API paths get a problem.
    if (hasWeb && wantsHtml && !req.url.startsWith('/api/')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(req, reply, 404, 'not_found', `No route for ${req.method} ${req.url.split('?')[0]}.`);
  });
  return app;
}
