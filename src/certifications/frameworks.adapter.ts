import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalogFile } from '../catalog/catalog-file.schema.ts';
import type { FrameworkDirectory } from './certifications.service.ts';

const catalogsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../catalogs');

/** Framework ids of the built-in catalog files (catalogs/*.json), read once. */
export function builtInFrameworks(dir = catalogsDir): FrameworkDirectory & { ids(): Promise<string[]> } {
  let ids: Promise<Set<string>> | null = null;
  const load = () => (ids ??= readdir(dir).then(async (files) =>
    new Set(await Promise.all(files.filter((f) => f.endsWith('.json')).sort().map(async (f) => (await loadCatalogFile(path.join(dir, f))).id)))));
  return {
    exists: async (_orgId, frameworkId) => (await load()).has(frameworkId),
    ids: async () => [...(await load())].sort(),
  };
}
