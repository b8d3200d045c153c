/**
 * Loads the shipped catalogs/*.json and mappings/*.json into the database at start-up. A file
 * is loaded when its `version` is newer than what the database holds: the first start loads
 * everything, a bumped file adds a new version and makes it current, an unchanged file does
 * nothing. One transaction under an advisory lock, so nodes starting together load once.
 */
import { createHash } from 'node:crypto';
import { globSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Transact } from '../db/repos.ts';
import { parseCatalogFile, type CatalogFile } from './catalog-file.schema.ts';
import { catalogDirResolver, checkMappingReferences, parseMappingFile, type MappingFile } from './mapping-file.schema.ts';

export const BUILTIN_DIRS = {
  catalogs: fileURLToPath(new URL('../../catalogs/', import.meta.url)),
  mappings: fileURLToPath(new URL('../../mappings/', import.meta.url)),
};

export type BuiltinLoadResult = {
  frameworks: { id: string; version: number; requirements: number }[];
  mappingSets: { id: string; version: number; mappings: number }[];
};

type Loaded<T> = { file: string; data: T; sha256: string };

function readAll<T>(dir: string, parse: (data: unknown, file: string) => T): Loaded<T>[] {
  return globSync('*.json', { cwd: dir }).sort().map((name) => {
    const file = path.join(dir, name);
    const text = readFileSync(file, 'utf8');
    return { file, data: parse(JSON.parse(text), file), sha256: createHash('sha256').update(text).digest('hex') };
  });
}

export async function loadBuiltinCatalogs(transact: Transact, dirs = BUILTIN_DIRS): Promise<BuiltinLoadResult> {
  // Files are read and checked before the transaction: a broken file fails start-up and writes nothing.
  const catalogs = readAll<CatalogFile>(dirs.catalogs, parseCatalogFile);
  const mappingFiles = readAll<MappingFile>(dirs.mappings, parseMappingFile);
  const resolve = catalogDirResolver(dirs.catalogs);
  for (const m of mappingFiles) await checkMappingReferences(m.data, m.file, resolve);

  return transact(async (repos) => {
    const repo = repos.catalog;
    await repo.lockBuiltins();
    const result: BuiltinLoadResult = { frameworks: [], mappingSets: [] };
    const stored = await repo.builtinVersions();
    for (const { data: c, sha256 } of catalogs) {
      if ((stored.get(c.id) ?? 0) >= c.version) continue;
      await repo.insertCurrentVersion(
        { orgId: null, frameworkId: c.id, version: c.version, name: c.name, frameworkVersion: c.frameworkVersion, publisher: c.publisher, sourceNote: c.sourceNote, origin: 'builtin', fileName: null, contentSha256: sha256, oscalCatalog: null },
        c.requirements.map((r) => ({
          requirementId: r.id, parentId: r.parentId, kind: r.kind, title: r.title, summary: r.summary ?? '', statement: null,
          sortKey: r.sortKey, tags: r.tags ?? [], attrs: r.attrs ?? {}, params: null, props: null,
        })),
      );
      result.frameworks.push({ id: c.id, version: c.version, requirements: c.requirements.filter((r) => r.kind === 'requirement').length });
    }
    const storedSets = await repo.builtinMappingVersions();
    for (const { data: m, sha256 } of mappingFiles) {
      if ((storedSets.get(m.id) ?? 0) >= m.version) continue;
      const source = `Attest expert mapping ${m.id} v${m.version}`;
      await repo.replaceMappingSet(
        { orgId: null, setId: m.id, version: m.version, title: m.title, origin: 'builtin', provenance: m.provenance, contentSha256: sha256 },
        m.maps.map((e) => ({
          sourceFramework: m.source.framework, sourceId: e.sourceId, targetFramework: m.target.framework, targetId: e.targetId,
          relationship: e.relationship, rationale: e.rationale, source,
        })),
      );
      result.mappingSets.push({ id: m.id, version: m.version, mappings: m.maps.length });
    }
    return result;
  });
}
