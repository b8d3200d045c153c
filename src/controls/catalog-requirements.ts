/**
 * The controls domain's view of the catalogs (built-in frameworks and the org's own imports),
 * through the catalog service. Only kind 'requirement' can be linked: groups merely organise.
 */
import type { CatalogService } from '../catalog/catalog.service.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { RequirementRef } from './starter/starter-file.schema.ts';

export type RequirementOption = { framework: string; id: string; title: string };
export type FrameworkOption = { id: string; name: string };

export type RequirementDirectory = {
  /** Frameworks whose requirements controls can link to. */
  frameworks(orgId: string): Promise<FrameworkOption[]>;
  /** The refs that name no requirement known to the org, in the order given. */
  findMissing(orgId: string, refs: RequirementRef[]): Promise<RequirementRef[]>;
  /** Requirements of one framework whose id, title or summary contains q (case-insensitive); at most `limit`. */
  search(orgId: string, framework: string, q: string, limit?: number): Promise<RequirementOption[]>;
};

export function catalogRequirements(catalog: Pick<CatalogService, 'list' | 'currentRequirements' | 'search'>): RequirementDirectory {
  return {
    async frameworks(orgId) {
      return (await catalog.list(orgId)).map((f) => ({ id: f.id, name: f.name })).sort((a, b) => a.name.localeCompare(b.name));
    },
    async findMissing(orgId, refs) {
      const known = new Map<string, Set<string>>();
      for (const framework of new Set(refs.map((r) => r.framework))) {
        const rows = await catalog.currentRequirements(orgId, framework).catch((e: unknown) => {
          if (e instanceof NotFoundError) return [];
          throw e;
        });
        known.set(framework, new Set(rows.filter((r) => r.kind === 'requirement').map((r) => r.requirementId)));
      }
      return refs.filter((r) => !known.get(r.framework)?.has(r.id));
    },
    async search(orgId, framework, q, limit = 50) {
      // Over-fetch: groups match the text too but cannot be linked.
      const rows = await catalog.search(orgId, { q, framework, limit: limit * 2 });
      return rows.filter((r) => r.kind === 'requirement').slice(0, limit).map((r) => ({ framework, id: r.requirementId, title: r.title }));
    },
  };
}
