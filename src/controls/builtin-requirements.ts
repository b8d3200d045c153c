/**
 * Requirement lookups over the built-in catalog files in catalogs/, loaded once per process.
 * The controls service only sees the narrow `RequirementDirectory` interface, so the catalog
 * service (which also knows each org's imported frameworks) can take this adapter's place.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalogFile, type CatalogFile } from '../catalog/catalog-file.schema.ts';
import type { RequirementRef } from './starter/starter-file.schema.ts';

export type RequirementOption = { framework: string; id: string; title: string };

export type FrameworkOption = { id: string; name: string };

export type RequirementDirectory = {
  /** Frameworks whose requirements controls can link to. */
  frameworks(orgId: string): Promise<FrameworkOption[]>;
  /** The refs that name no requirement known to the org, in the order given. */
  findMissing(orgId: string, refs: RequirementRef[]): Promise<RequirementRef[]>;
  /** Requirements of one framework whose id or title contains q (case-insensitive); at most `limit`. */
  search(orgId: string, framework: string, q: string, limit?: number): Promise<RequirementOption[]>;
};

const CATALOG_DIR = fileURLToPath(new URL('../../catalogs/', import.meta.url));

export function createBuiltinRequirements(dir = CATALOG_DIR): RequirementDirectory {
  let loaded: Promise<Map<string, CatalogFile>> | undefined;
  const catalogs = () => (loaded ??= (async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    const all = await Promise.all(files.map((f) => loadCatalogFile(path.join(dir, f))));
    return new Map(all.map((c) => [c.id, c]));
  })());
  let ids: Promise<Map<string, Set<string>>> | undefined;
  // Only kind 'requirement' can be satisfied by a control; groups merely organise them.
  const requirementIds = () => (ids ??= catalogs().then((m) => new Map([...m].map(([id, c]) =>
    [id, new Set(c.requirements.filter((r) => r.kind === 'requirement').map((r) => r.id))]))));

  return {
    async frameworks() {
      return [...(await catalogs()).values()].map((c) => ({ id: c.id, name: c.name })).sort((a, b) => a.name.localeCompare(b.name));
    },
    async findMissing(_orgId, refs) {
      const known = await requirementIds();
      return refs.filter((r) => !known.get(r.framework)?.has(r.id));
    },
    async search(_orgId, framework, q, limit = 50) {
      const catalog = (await catalogs()).get(framework);
      if (!catalog) return [];
      const needle = q.trim().toLowerCase();
      return catalog.requirements
        .filter((r) => r.kind === 'requirement' && (!needle || r.id.toLowerCase().includes(needle) || r.title.toLowerCase().includes(needle)))
        .slice(0, limit).map((r) => ({ framework, id: r.id, title: r.title }));
    },
  };
}
