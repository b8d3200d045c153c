import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppServices } from '../app.ts';
import { AppError } from '../lib/errors.ts';
import type { PublishedHub } from '../trust-hub/hub-sections.ts';
import { messagePage, objectionPage, subprocessorsPage, tokenActionPage } from './vendors.pages.ts';
import { objectionForm, subscribeForm } from './vendors.schema.ts';

/** Whether an org's Trust Hub is published (the hub settings decide; unpublished hubs answer 404). */

const slugParams = z.object({ slug: z.string().max(100) });
const changeParams = slugParams.extend({ id: z.string().max(100) });
const tokenQuery = z.object({ token: z.string().max(200).optional() });
const readLimit = { rateLimit: { max: 120, timeWindow: '1 minute' } };
const writeLimit = { rateLimit: { max: 20, timeWindow: '1 minute' } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? 'form')] ??= issue.message;
  return out;
}

/**
 * The public, server-rendered sub-processor pages of the Trust Hub and the customer
 * responsibility files. No session; forms carry a CSRF token bound to a cookie (the hub's form guard, trust-docs/form-guard.ts).
 */
export function vendorsPublicRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
    const hide = { hide: true };
    const send = (reply: FastifyReply, status: number, page: string) => reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);

    /** The org behind a published hub, or a 404 page (unknown and unpublished hubs look the same). */
    async function hub(req: FastifyRequest<{ Params: { slug: string } }>, reply: FastifyReply): Promise<PublishedHub | null> {
      const hub = req.params.slug.length <= 100 ? await s.publishedHubs.bySlug(req.params.slug) : null;
      if (!hub) {
        send(reply, 404, messagePage({ name: 'Attest', slug: req.params.slug, accentColor: '' }, 'Not found', 'There is no Trust Hub at this address.'));
        return null;
      }
      return hub;
    }
    const body = (req: FastifyRequest) => (req.body && typeof req.body === 'object' ? req.body as Record<string, string> : {});
    // The same CSRF guard as the hub's document forms: an HMAC over the org bound to a path-scoped cookie.
    const formToken = (req: FastifyRequest, reply: FastifyReply, h: PublishedHub) => s.trustForms.issue(req, reply, { id: h.orgId, slug: h.slug });
    function csrfRejected(req: FastifyRequest, reply: FastifyReply, h: PublishedHub) {
      const { brand } = h;
      if (s.trustForms.check(req, h.orgId, body(req).csrf)) return false;
      send(reply, 403, messagePage(brand, 'The form expired', 'For your safety this form only works for an hour after it was opened. Go back, reload the page and send it again.'));
      return true;
    }

    app.get('/trust/:slug/subprocessors', { config: readLimit, schema: { ...hide, params: slugParams } }, async (req, reply) => {
      const h = await hub(req, reply);
      if (!h) return reply;
      const list = await s.vendors.publicSubprocessors(h.orgId);
      return send(reply, 200, subprocessorsPage({ brand: h.brand, ...list, token: formToken(req, reply, h) }));
    });

    app.post('/trust/:slug/subprocessors/subscribe', { config: writeLimit, schema: { ...hide, params: slugParams } }, async (req, reply) => {
      const h = await hub(req, reply);
      if (!h || csrfRejected(req, reply, h)) return reply;
      const parsed = subscribeForm.safeParse(body(req));
      if (!parsed.success) {
        const list = await s.vendors.publicSubprocessors(h.orgId);
        return send(reply, 400, subprocessorsPage({ brand: h.brand, ...list, token: formToken(req, reply, h), email: body(req).email ?? '', errors: fieldErrors(parsed.error) }));
      }
      await s.vendors.subscribe(h.orgId, parsed.data.email);
      // The same answer whether or not the address was known: the page reveals no subscribers.
      return send(reply, 200, messagePage(h.brand, 'Check your inbox', `We sent a confirmation link to ${parsed.data.email}. Nothing else is sent until you follow it.`));
    });

    for (const action of ['confirm', 'unsubscribe'] as const) {
      const texts = action === 'confirm'
        ? { title: 'Confirm your subscription', message: 'Confirm that you want email about changes to our sub-processors.', button: 'Confirm subscription', done: 'You are subscribed', doneText: 'You will get an email whenever a sub-processor change is announced.' }
        : { title: 'Unsubscribe', message: 'Stop email about changes to our sub-processors.', button: 'Unsubscribe', done: 'You are unsubscribed', doneText: 'You will not get further email about sub-processor changes.' };
      const invalid = 'This link is not valid (it may have been replaced by a newer one). Subscribe again to get a fresh link.';
      app.get(`/trust/:slug/subprocessors/${action}`, { config: readLimit, schema: { ...hide, params: slugParams, querystring: tokenQuery } }, async (req, reply) => {
        const h = await hub(req, reply);
        if (!h) return reply;
        if (!req.query.token) return send(reply, 404, messagePage(h.brand, 'Link not valid', invalid));
        return send(reply, 200, tokenActionPage(h.brand, { ...texts, action: `/trust/${h.brand.slug}/subprocessors/${action}`, token: formToken(req, reply, h), linkToken: req.query.token }));
      });
      app.post(`/trust/:slug/subprocessors/${action}`, { config: writeLimit, schema: { ...hide, params: slugParams } }, async (req, reply) => {
        const h = await hub(req, reply);
        if (!h || csrfRejected(req, reply, h)) return reply;
        const token = String(body(req).token ?? '').slice(0, 200);
        const ok = action === 'confirm' ? await s.vendors.confirm(h.orgId, token) : await s.vendors.unsubscribe(h.orgId, token);
        return ok ? send(reply, 200, messagePage(h.brand, texts.done, texts.doneText)) : send(reply, 404, messagePage(h.brand, 'Link not valid', invalid));
      });
    }

    async function openChange(orgId: string, id: string) {
      if (!UUID.test(id)) return null;
      try { return await s.vendors.openChange(orgId, id); } catch (e) { if (e instanceof AppError && e.status === 404) return null; throw e; }
    }
    const closed = (effectiveAt: string | null) => `Objections to this change closed when it took effect on ${effectiveAt}.`;
    app.get('/trust/:slug/subprocessors/changes/:id/object', { config: readLimit, schema: { ...hide, params: changeParams } }, async (req, reply) => {
      const h = await hub(req, reply);
      if (!h) return reply;
      const change = await openChange(h.orgId, req.params.id);
      if (!change) return send(reply, 404, messagePage(h.brand, 'Not found', 'There is no such announced change.'));
      if (!change.objectionsOpen) return send(reply, 409, messagePage(h.brand, 'Objections closed', closed(change.effectiveAt)));
      return send(reply, 200, objectionPage(h.brand, { change, token: formToken(req, reply, h) }));
    });
    app.post('/trust/:slug/subprocessors/changes/:id/object', { config: writeLimit, schema: { ...hide, params: changeParams } }, async (req, reply) => {
      const h = await hub(req, reply);
      if (!h || csrfRejected(req, reply, h)) return reply;
      const change = await openChange(h.orgId, req.params.id);
      if (!change) return send(reply, 404, messagePage(h.brand, 'Not found', 'There is no such announced change.'));
      if (!change.objectionsOpen) return send(reply, 409, messagePage(h.brand, 'Objections closed', closed(change.effectiveAt)));
      const parsed = objectionForm.safeParse(body(req));
      if (!parsed.success) return send(reply, 400, objectionPage(h.brand, { change, token: formToken(req, reply, h), values: body(req), errors: fieldErrors(parsed.error) }));
      try {
        await s.vendors.object(h.orgId, change.id, parsed.data);
      } catch (e) {
        // The window can close between the check above and the insert.
        if (e instanceof AppError && e.status === 409) return send(reply, 409, messagePage(h.brand, 'Objections closed', closed(change.effectiveAt)));
        throw e;
      }
      return send(reply, 200, messagePage(h.brand, 'Objection recorded', `Thank you. Your objection to the change concerning ${change.vendorName} was recorded and our team will contact you at ${parsed.data.email}.`));
    });

    for (const format of ['csv', 'pdf'] as const) {
      app.get(`/trust/:slug/responsibilities.${format}`, { config: readLimit, schema: { ...hide, params: slugParams, querystring: z.object({ product: z.string().uuid().optional() }) } }, async (req, reply) => {
        const h = await hub(req, reply);
        if (!h) return reply;
        const file = await s.responsibilities.exportFile(h.orgId, format, { publicOnly: true, productId: req.query.product });
        return reply.type(file.contentType).header('content-disposition', `attachment; filename="${h.brand.slug}-customer-responsibilities.${format}"`).send(file.body);
      });
    }
  };
}
