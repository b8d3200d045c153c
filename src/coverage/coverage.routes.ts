import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppServices } from '../app.ts';
import { problems } from '../http/openapi.ts';
import type { FrameworkCoverage, RequirementCoverage } from './coverage.types.ts';
import { coverageParams, explanationResponse, frameworkParams, frameworkQuery, frameworkResponse, requirementParams, summaryQuery, summaryResponse } from './coverage.schema.ts';

// Lists show the best path of each requirement; the requirement route gives all of them.
const listItem = ({ paths, ...r }: RequirementCoverage) => ({ ...r, best: paths[0] ?? null, pathCount: paths.length });
const detail = (f: FrameworkCoverage) => ({ ...f, satisfied: f.satisfied.map(listItem), partial: f.partial.map(listItem), gaps: f.gaps.map(listItem) });

/** Read-only coverage of the org's frameworks by its controls, through expert mappings; viewers and up. */
export function coverageRoutes(s: AppServices): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['coverage'];
    const base = '/api/v1/orgs/:orgId/coverage';
    const viewer = s.guard.org('viewer');

    app.get(base, {
      preHandler: viewer,
      schema: { tags, summary: 'Coverage per in-scope framework (with whatIf=true, every built-in framework)', params: coverageParams, querystring: summaryQuery, response: { 200: summaryResponse, ...problems } },
    }, async (req) => {
      const all = await s.coverage.forOrg(req.org!.orgId, { whatIf: req.query.whatIf });
      return { frameworks: all.map((f) => ({ framework: f.framework, whatIf: f.whatIf, ...f.summary })) };
    });

    app.get(`${base}/:frameworkId`, {
      preHandler: viewer,
      schema: { tags, summary: 'Satisfied, partial and gap requirements of one framework, with group roll-ups', params: frameworkParams, querystring: frameworkQuery, response: { 200: frameworkResponse, ...problems } },
    }, async (req) => detail((await s.coverage.forOrg(req.org!.orgId, { framework: req.params.frameworkId, whatIf: req.query.whatIf }))[0]!));

    app.get(`${base}/:frameworkId/requirements/:requirementId`, {
      preHandler: viewer,
      schema: { tags, summary: 'Why a requirement is satisfied, partial or a gap: every explanation path', params: requirementParams, response: { 200: explanationResponse, ...problems } },
    }, async (req) => s.coverage.explain(req.org!.orgId, req.params.frameworkId, req.params.requirementId));
  };
}
