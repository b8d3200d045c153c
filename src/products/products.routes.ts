import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import { orgParams } from '../orgs/orgs.schema.ts';
import { createProductBody, deleteProductResponse, productIdParams, productList, productListQuery, productResponse, updateProductBody } from './products.schema.ts';

export function productsRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['products'];
    const base = '/api/v1/orgs/:orgId/products';
    app.get(base, { preHandler: s.guard.org('viewer'), schema: { tags, params: orgParams, querystring: productListQuery, response: { 200: productList, ...problems } } }, async (req) =>
      ({ items: await s.products.list(req.org!.orgId, { includeArchived: req.query.includeArchived }) }));

    app.get(`${base}/:id`, { preHandler: s.guard.org('viewer'), schema: { tags, params: productIdParams, response: { 200: productResponse, ...problems } } }, async (req) =>
      s.products.get(req.org!.orgId, req.params.id));

    app.post(base, { preHandler: s.guard.org('admin'), schema: { tags, params: orgParams, body: createProductBody, response: { 201: productResponse, ...problems } } }, async (req, reply) =>
      reply.code(201).send(await s.products.create(req.org!.orgId, req.body)));

    app.patch(`${base}/:id`, { preHandler: s.guard.org('admin'), schema: { tags, params: productIdParams, body: updateProductBody, response: { 200: productResponse, ...problems } } }, async (req) =>
      s.products.update(req.org!.orgId, req.params.id, req.body));

    // Deletes, or archives when a certification scope still names the product.
    app.delete(`${base}/:id`, { preHandler: s.guard.org('admin'), schema: { tags, params: productIdParams, response: { 200: deleteProductResponse, ...problems } } }, async (req) =>
      s.products.remove(req.org!.orgId, req.params.id));
  };
}
