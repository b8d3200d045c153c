import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalogFile } from '../catalog/catalog-file.schema.ts';
import type { FrameworkDirectory } from './certifications.service.ts';

const catalogsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../catalogs');

/** Framework ids and names of the built-in catalog files (catalogs/*.json), read once. */
export function builtInFrameworks(dir = catalogsDir): FrameworkDirectory {
  let all: Promise<Map<string, string>> | null = null;
  const load = () => (all ??= readdir(dir).then(async (files) => new Map(await Promise.all(files.filter((f) => f.endsWith('.json')).sort()
    .map(async (f) => { const c = await loadCatalogFile(path.join(dir, f)); return [c.id, c.name] as const; })))));
  return {
    exists: async (_orgId, frameworkId) => (await load()).has(frameworkId),
    list: async () => [...(await load())].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}
