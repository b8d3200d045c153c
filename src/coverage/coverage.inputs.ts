/**
 * Coverage inputs from the built-in catalog and mapping files (loaded once, cached). This is
 * the stand-in adapter until the catalog and controls repositories exist; the engine and the
 * service know nothing of it.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalogFile } from '../catalog/catalog-file.schema.ts';
import { catalogDirResolver, loadMappingFile } from '../catalog/mapping-file.schema.ts';
import type { CoverageFramework, CoverageInputs, CoverageMapping } from './coverage.types.ts';

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

let cached: Promise<BuiltInCoverageData> | undefined;

/** Every org sees all built-in frameworks in scope and has no control links (yet). */
export function builtInCoverageInputs(): { load(orgId: string): Promise<CoverageInputs> } {
  return {
    async load() {
      cached ??= loadBuiltInCoverageData().catch((e: unknown) => {
        cached = undefined;
        throw e;
      });
      const data = await cached;
      return { frameworks: data.frameworks, mappings: data.mappings, links: [], scope: data.frameworks.map((f) => f.id) };
    },
  };
}
