/**
 * Coverage inputs: from the database for the product (catalogCoverageInputs), and straight from
 * the built-in catalog and mapping files for the engine's tests and benchmark.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalogFile } from '../catalog/catalog-file.schema.ts';
import { catalogDirResolver, loadMappingFile } from '../catalog/mapping-file.schema.ts';
import type { CoverageFramework, CoverageInputs, CoverageMapping } from './coverage.types.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';

const catalogDir = fileURLToPath(new URL('../../catalogs/', import.meta.url));
const mappingDir = fileURLToPath(new URL('../../mappings/', import.meta.url));

export type BuiltInCoverageData = { frameworks: CoverageFramework[]; mappings: CoverageMapping[] };

const jsonFiles = async (dir: string) => (await readdir(dir)).filter((n) => n.endsWith('.json')).sort().map((n) => join(dir, n));

/** Every built-in catalog as a framework and every shipped mapping entry, validated on the way in. */
export async function loadBuiltInCoverageData(): Promise<BuiltInCoverageData> {
  const frameworks: CoverageFramework[] = [];
  for (const file of await jsonFiles(catalogDir)) {
    const c = await loadCatalogFile(file);
    frameworks.push({
      id: c.id, name: c.name,
      requirements: c.requirements.map((r) => ({ id: r.id, parentId: r.parentId, kind: r.kind, title: r.title, sortKey: r.sortKey })),
    });
  }
  const resolve = catalogDirResolver(catalogDir);
  const mappings: CoverageMapping[] = [];
  for (const file of await jsonFiles(mappingDir)) {
    const m = await loadMappingFile(file, resolve);
    for (const e of m.maps) {
      mappings.push({
        sourceFramework: m.source.framework, sourceId: e.sourceId, targetFramework: m.target.framework, targetId: e.targetId,
        relationship: e.relationship, rationale: e.rationale, source: m.id,
      });
    }
  }
  return { frameworks, mappings };
}

type CatalogPort = Pick<CatalogService, 'list' | 'currentRequirements' | 'mappingsVisibleTo' | 'scope'>;
/** Each live control's health (monitoring), carried on every explanation path. */
type HealthPort = { byControl(orgId: string): Promise<Map<string, string>> };
type ControlsPort = { links(orgId: string): Promise<{ controlId: string; code: string; title: string; framework: string; requirementId: string }[]> };

/**
 * The org's coverage inputs from the database: the current version of every framework it sees
 * (built-in and imported), built-in plus its own mappings, its scope and its control links.
 * Framework arrays are reused while the versions are unchanged, so the engine's graph cache hits.
 */
export function catalogCoverageInputs(deps: { catalog: CatalogPort; controls: ControlsPort; health?: HealthPort }): { load(orgId: string): Promise<CoverageInputs> } {
  const { catalog, controls } = deps;
  const frameworkCache = new Map<string, CoverageFramework>();
  let last: { key: string; frameworks: CoverageFramework[]; mappingsKey: string; mappings: CoverageMapping[] } | undefined;
  return {
    async load(orgId) {
      const [list, scope, links, rawMappings, health] = await Promise.all([
        catalog.list(orgId), catalog.scope(orgId), controls.links(orgId), catalog.mappingsVisibleTo(orgId), deps.health?.byControl(orgId),
      ]);
      const frameworks: CoverageFramework[] = [];
      for (const f of list) {
        const key = `${f.owner}:${f.id}@${f.version}`;
        let fw = frameworkCache.get(key);
        if (!fw) {
          const rows = await catalog.currentRequirements(orgId, f.id);
          fw = { id: f.id, name: f.name, requirements: rows.map((r) => ({ id: r.requirementId, parentId: r.parentId, kind: r.kind, title: r.title, sortKey: r.sortKey })) };
          frameworkCache.set(key, fw);
        }
        frameworks.push(fw);
      }
      const mappings: CoverageMapping[] = rawMappings.map((m) => ({
        sourceFramework: m.sourceFramework, sourceId: m.sourceId, targetFramework: m.targetFramework, targetId: m.targetId,
        relationship: m.relationship, rationale: m.rationale, source: m.source,
      }));
      const key = frameworks.map((f) => f.id).join();
      const mappingsKey = JSON.stringify(mappings);
      // Same frameworks and mappings as the previous call: hand the engine the same arrays.
      if (!last || last.key !== key || last.mappingsKey !== mappingsKey || last.frameworks.some((f, i) => f !== frameworks[i])) {
        last = { key, frameworks, mappingsKey, mappings };
      }
      return {
        frameworks: last.frameworks, mappings: last.mappings, scope,
        links: links.map((l) => {
          const h = health?.get(l.controlId);
          return { controlId: l.controlId, code: l.code, title: l.title, framework: l.framework, requirementId: l.requirementId, ...(h ? { health: h } : {}) };
        }),
      };
    },
  };
}
