/**
 * The visitor side of hub documents: server-rendered, plain HTML forms (no JavaScript), no
 * member session. Every route is rate-limited per client IP, answers 404 for unknown slugs and
 * unpublished hubs, and keeps out of the OpenAPI document (they are pages, not API).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppServices } from '../app.ts';
import { AppError, InvalidInputError, NotFoundError } from '../lib/errors.ts';
import type { HubBrand } from '../trust-hub/html.ts';
import { accessRequestBody } from '../trust/trust.schema.ts';
import { deniedPage, documentsPage, formExpiredPage, landingPage, notFoundPage, requestPage, sentPage, type FormErrors, type FormValues } from './trust-docs.pages.ts';
import { AccessDeniedError, type HubOrg, type TrustDocsService } from './trust-docs.service.ts';

export const VISITOR_COOKIE = 'attest_trust_visitor';
export type PublicDocumentView = Awaited<ReturnType<TrustDocsService['publicDocuments']>>[number];
type Params = { slug: string; id?: string };
const FORM_BODY_LIMIT = 256 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The published hub's branding (hubOrg always sets it; the shell keeps any accent readable).
const brandOf = (org: HubOrg): HubBrand => org.brand ?? { name: org.name, slug: org.slug, accentColor: '' };
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function trustDocsPublicRoutes(s: AppServices): FastifyPluginAsync {
  return async (app) => {
    // Plain HTML forms post urlencoded bodies; the parser lives only inside this plugin.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const limited = { rateLimit: { max: s.config.trustRateLimitPerMinute, timeWindow: '1 minute' } };
    const opts = { config: limited, schema: { hide: true } };

    const page = (reply: FastifyReply, status: number, body: string) =>
      reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);

    /** Resolves the hub (404 page when unknown or unpublished) and maps typed errors to pages, never JSON. */
    const handle = (fn: (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply, org: HubOrg) => Promise<unknown>) =>
      async (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
        let org: HubOrg | null = null;
        try {
          org = await s.trustDocs.hubOrg(req.params.slug);
          if (req.params.id !== undefined && !UUID.test(req.params.id)) throw new NotFoundError('Document');
          return await fn(req, reply, org);
        } catch (e) {
          if (e instanceof AccessDeniedError && org) return page(reply, 403, deniedPage(brandOf(org)));
          if (e instanceof NotFoundError) return page(reply, 404, notFoundPage(org && brandOf(org)));
          if (e instanceof AppError && e.status < 500 && org) return page(reply, e.status, deniedPage(brandOf(org)));
          throw e;
        }
      };

    async function form(req: FastifyRequest, reply: FastifyReply, org: HubOrg, documentId: string | null, values: FormValues, errors: FormErrors, status = 200) {
      const nda = await s.trustDocs.currentNda(org.id);
      const document = documentId ? await s.trustDocs.requestableDocument(org.id, documentId) : null;
      const csrf = s.trustForms.issue(req, reply, org);
      return page(reply, status, requestPage({ brand: brandOf(org), nda: nda ?? null, document, csrf, values, errors }));
    }

    app.get('/trust/:slug/access', opts, handle(async (req, reply, org) => {
      const doc = str((req.query as Record<string, unknown>).document);
      return form(req, reply, org, doc && UUID.test(doc) ? doc : null, {}, {});
    }));
    app.get('/trust/:slug/documents/:id/request', opts, handle((req, reply, org) => form(req, reply, org, req.params.id!, {}, {})));

    app.post('/trust/:slug/access', opts, handle(async (req, reply, org) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      if (!s.trustForms.check(req, org.id, body.csrf)) return page(reply, 403, formExpiredPage(brandOf(org)));
      const values: FormValues = { name: str(body.name), email: str(body.email), company: str(body.company), reason: str(body.reason) };
      const docId = str(body.documentId) || undefined;
      const parsed = accessRequestBody.safeParse({ ...values, acceptNda: body.acceptNda === 'true' || body.acceptNda === 'on', ndaSha256: str(body.ndaSha256), documentId: docId });
      const errorsOf = (issues: { path: PropertyKey[]; message: string }[]) => Object.fromEntries(issues.map((i) => [String(i.path[0] ?? 'form'), i.message]));
      const docForForm = docId && UUID.test(docId) ? docId : null;
      if (!parsed.success) return form(req, reply, org, docForForm, values, errorsOf(parsed.error.issues), 400);
      try {
        await s.trustDocs.requestAccess(org, parsed.data, { ip: req.ip, userAgent: str(req.headers['user-agent']) });
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        return form(req, reply, org, docForForm, values, Object.fromEntries((e.fields ?? [{ path: 'form', message: e.message }]).map((f) => [f.path, f.message])), 400);
      }
      return reply.code(303).header('location', `/trust/${org.slug}/access/sent`).send();
    }));

    app.get('/trust/:slug/access/sent', opts, handle(async (_req, reply, org) => page(reply, 200, sentPage(brandOf(org)))));

    // Mail scanners fetch links: the GET only shows a button, the POST spends the link.
    app.get('/trust/:slug/access/link', opts, handle(async (req, reply, org) => {
      const token = str((req.query as Record<string, unknown>).token) ?? '';
      if (!token || token.length > 2048) return page(reply, 403, deniedPage(brandOf(org)));
      return page(reply, 200, landingPage(brandOf(org), token, s.trustForms.issue(req, reply, org)));
    }));

    app.post('/trust/:slug/access/link', opts, handle(async (req, reply, org) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      if (!s.trustForms.check(req, org.id, body.csrf)) return page(reply, 403, formExpiredPage(brandOf(org)));
      const session = await s.trustDocs.redeemLink(org, str(body.token) ?? '');
      reply.setCookie(VISITOR_COOKIE, session.secret, {
        path: `/trust/${org.slug}`, httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', expires: session.expiresAt,
      });
      return reply.code(303).header('location', `/trust/${org.slug}/access/documents`).send();
    }));

    app.get('/trust/:slug/access/documents', opts, handle(async (req, reply, org) => {
      const grant = await s.trustDocs.visitorGrant(org.id, req.cookies[VISITOR_COOKIE]);
      if (!grant) return reply.code(303).header('location', `/trust/${org.slug}/access`).send();
      return page(reply, 200, documentsPage(brandOf(org), { name: grant.name, email: grant.email, expiresAt: grant.expiresAt! }, await s.trustDocs.publicDocuments(org.id)));
    }));

    app.get('/trust/:slug/documents/:id', opts, handle(async (req, reply, org) => {
      const result = await s.trustDocs.download(org.id, req.params.id!, { secret: req.cookies[VISITOR_COOKIE], ip: req.ip });
      if (result.kind === 'needs-access') return reply.code(303).header('cache-control', 'no-store').header('location', `/trust/${org.slug}/documents/${req.params.id}/request`).send();
      return reply.code(200).header('cache-control', 'no-store').header('x-download-id', result.downloadId)
        .header('content-disposition', `attachment; filename="${result.filename}"`).type('application/pdf').send(Buffer.from(result.bytes));
    }));
  };
}
