/**
 * Schema for the expert mappings shipped as JSON files in `mappings/`.
 *
 * A mapping file relates the requirements of one built-in catalog (the source) to those of
 * another (the target). The shape follows the OSCAL mapping-collection model in spirit: a
 * mapping has a source and a target resource, a method, provenance, and a list of maps, each
 * relating one source id to one target id with a set-theory relationship
 * (equivalent-to, equal-to, subset-of, superset-of, intersects-with, no-relationship), read
 * "source <relationship> target". Rationales are Attest's own words.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { formatJsonPath, loadCatalogFile, type CatalogFile } from './catalog-file.schema.ts';

const nonEmpty = z.string().trim().min(1);
const catalogId = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'Catalog id must be lower-case letters, digits, dots and dashes.');

export const mappingRelationships = [
  'equivalent-to',
  'equal-to',
  'subset-of',
  'superset-of',
  'intersects-with',
  'no-relationship',
] as const;

export const mappingEntrySchema = z
  .object({
    /** Requirement id in the source catalog. */
    sourceId: nonEmpty,
    /** Requirement id in the target catalog. */
    targetId: nonEmpty,
    /** Read as "source <relationship> target". */
    relationship: z.enum(mappingRelationships),
    /** Short justification in Attest's own words. */
    rationale: nonEmpty.max(400),
    confidence: z.enum(['high', 'medium', 'low']).optional(),
  })
  .strict();

export const mappingFileSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** Conventionally `<sourceCatalogId>__<targetCatalogId>`, also the file name. */
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'Mapping id must be lower-case letters, digits, dots, dashes and underscores.'),
    title: nonEmpty,
    /** Version of our mapping data; bump when the file changes. */
    version: z.number().int().positive(),
    source: z.object({ framework: catalogId }).strict(),
    target: z.object({ framework: catalogId }).strict(),
    method: z.literal('human'),
    /** Who made the mapping and why, e.g. "Attest expert mapping: …". */
    provenance: nonEmpty,
    maps: z.array(mappingEntrySchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    if (file.source.framework === file.target.framework) {
      ctx.addIssue({ code: 'custom', path: ['target', 'framework'], message: 'Source and target must differ.' });
    }
    const seen = new Map<string, number>();
    file.maps.forEach((m, index) => {
      const key = `${m.sourceId}\u0000${m.targetId}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['maps', index],
          message: `Duplicate pair ${m.sourceId} → ${m.targetId} (first at maps[${first}]).`,
        });
      } else {
        seen.set(key, index);
      }
    });
  });

export type MappingRelationship = (typeof mappingRelationships)[number];
export type MappingEntry = z.infer<typeof mappingEntrySchema>;
export type MappingFile = z.infer<typeof mappingFileSchema>;

export class MappingFileError extends Error {
  readonly file: string;
  readonly issues: { path: string; message: string }[];
  constructor(file: string, issues: { path: string; message: string }[]) {
    const lines = issues.slice(0, 20).map((i) => `  ${i.path}: ${i.message}`);
    if (issues.length > 20) lines.push(`  … and ${issues.length - 20} more`);
    super(`Invalid mapping file ${file}:\n${lines.join('\n')}`);
    this.name = 'MappingFileError';
    this.file = file;
    this.issues = issues;
  }
}

/** Looks up a catalog by id; returns undefined when no such catalog exists. */
export type CatalogResolver = (id: string) => Promise<CatalogFile | undefined> | CatalogFile | undefined;

/** A resolver reading `<dir>/<id>.json`, caching each catalog. */
export function catalogDirResolver(dir: string): CatalogResolver {
  const cache = new Map<string, Promise<CatalogFile | undefined>>();
  return (id) => {
    let hit = cache.get(id);
    if (!hit) {
      hit = loadCatalogFile(join(dir, `${id}.json`)).catch((err: unknown) => {
        if ((err as Error).message.includes('cannot read file')) return undefined;
        throw err;
      });
      cache.set(id, hit);
    }
    return hit;
  };
}

/** Validates the shape of already-parsed mapping data; `file` names the source in error messages. */
export function parseMappingFile(data: unknown, file: string): MappingFile {
  const result = mappingFileSchema.safeParse(data);
  if (!result.success) {
    throw new MappingFileError(
      file,
      result.error.issues.map((issue) => ({ path: formatJsonPath(issue.path), message: issue.message })),
    );
  }
  return result.data;
}

/**
 * Checks that both catalogs exist and that every sourceId / targetId is a requirement or group
 * of the respective catalog. Throws a MappingFileError listing every fault with its JSON path.
 */
export async function checkMappingReferences(mapping: MappingFile, file: string, resolve: CatalogResolver): Promise<void> {
  const issues: { path: string; message: string }[] = [];
  const source = await resolve(mapping.source.framework);
  const target = await resolve(mapping.target.framework);
  if (!source) issues.push({ path: '$.source.framework', message: `Catalog "${mapping.source.framework}" does not exist.` });
  if (!target) issues.push({ path: '$.target.framework', message: `Catalog "${mapping.target.framework}" does not exist.` });
  const sourceIds = new Set(source?.requirements.map((r) => r.id));
  const targetIds = new Set(target?.requirements.map((r) => r.id));
  mapping.maps.forEach((m, index) => {
    if (source && !sourceIds.has(m.sourceId)) {
      issues.push({
        path: formatJsonPath(['maps', index, 'sourceId']),
        message: `"${m.sourceId}" is not an id in catalog ${mapping.source.framework}.`,
      });
    }
    if (target && !targetIds.has(m.targetId)) {
      issues.push({
        path: formatJsonPath(['maps', index, 'targetId']),
        message: `"${m.targetId}" is not an id in catalog ${mapping.target.framework}.`,
      });
    }
  });
  if (issues.length > 0) throw new MappingFileError(file, issues);
}

/**
 * Reads a mapping JSON file, validates it, and checks every id against the catalogs found by
 * `resolve` (by default `catalogs/<id>.json` next to `mappings/`); throws naming the file and
 * the JSON path of each fault.
 */
export async function loadMappingFile(path: string, resolve?: CatalogResolver): Promise<MappingFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new MappingFileError(path, [{ path: '$', message: `cannot read file: ${(err as Error).message}` }]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new MappingFileError(path, [{ path: '$', message: `not valid JSON: ${(err as Error).message}` }]);
  }
  const mapping = parseMappingFile(data, path);
  await checkMappingReferences(mapping, path, resolve ?? defaultResolver());
  return mapping;
}

let defaultResolverInstance: CatalogResolver | undefined;
function defaultResolver(): CatalogResolver {
  defaultResolverInstance ??= catalogDirResolver(fileURLToPath(new URL('../../catalogs/', import.meta.url)));
  return defaultResolverInstance;
}
