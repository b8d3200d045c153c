/**
 * Schema for the built-in framework catalogs shipped as JSON files in `catalogs/`.
 *
 * A catalog file lists a framework's requirements (and the groups that organise them) by
 * their official identifiers. Titles follow the official identifiers; every summary is
 * written in our own words (the official texts of most frameworks are copyrighted).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1);

export const catalogAttrValueSchema = z.union([z.string(), z.boolean(), z.array(z.string())]);

export const catalogRequirementSchema = z
  .object({
    /** Official identifier, unique within the file (e.g. "A.5.1", "CC6.1", "Art. 32"). */
    id: nonEmpty,
    /** null for top-level entries, otherwise the id of a group in the same file. */
    parentId: nonEmpty.nullable(),
    kind: z.enum(['group', 'requirement']),
    title: nonEmpty,
    /** Our own short description; required for kind 'requirement'. */
    summary: nonEmpty.optional(),
    /** Display order among siblings (and overall). */
    sortKey: z.number().int(),
    tags: z.array(nonEmpty).optional(),
    attrs: z.record(z.string(), catalogAttrValueSchema).optional(),
  })
  .strict()
  .superRefine((req, ctx) => {
    if (req.kind === 'requirement' && req.summary === undefined) {
      ctx.addIssue({ code: 'custom', path: ['summary'], message: 'A requirement needs a summary.' });
    }
  });

export const catalogFileSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'Catalog id must be lower-case letters, digits, dots and dashes.'),
    name: nonEmpty,
    /** Version of our catalog data; bump when the file changes. */
    version: z.number().int().positive(),
    /** Version of the framework itself, e.g. "2022". */
    frameworkVersion: nonEmpty,
    publisher: nonEmpty,
    /** Where the identifiers come from, and the copyright note. */
    sourceNote: nonEmpty,
    requirements: z.array(catalogRequirementSchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const byId = new Map<string, { index: number; kind: string; parentId: string | null }>();
    file.requirements.forEach((req, index) => {
      if (byId.has(req.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['requirements', index, 'id'],
          message: `Duplicate id "${req.id}" (first used at requirements[${byId.get(req.id)?.index}]).`,
        });
        return;
      }
      byId.set(req.id, { index, kind: req.kind, parentId: req.parentId });
    });
    file.requirements.forEach((req, index) => {
      if (req.parentId === null) return;
      const parent = byId.get(req.parentId);
      if (!parent) {
        ctx.addIssue({
          code: 'custom',
          path: ['requirements', index, 'parentId'],
          message: `Parent "${req.parentId}" does not exist.`,
        });
      } else if (parent.kind !== 'group') {
        ctx.addIssue({
          code: 'custom',
          path: ['requirements', index, 'parentId'],
          message: `Parent "${req.parentId}" is not a group.`,
        });
      }
    });
    // Cycle detection: walk up from each entry; a walk longer than the entry count loops.
    const reported = new Set<string>();
    file.requirements.forEach((req, index) => {
      const seen = new Set<string>([req.id]);
      let current = req.parentId;
      while (current !== null) {
        if (seen.has(current)) {
          if (!reported.has(req.id)) {
            reported.add(req.id);
            ctx.addIssue({
              code: 'custom',
              path: ['requirements', index, 'parentId'],
              message: `Parent chain of "${req.id}" contains a cycle through "${current}".`,
            });
          }
          return;
        }
        seen.add(current);
        current = byId.get(current)?.parentId ?? null;
      }
    });
  });

export type CatalogAttrValue = z.infer<typeof catalogAttrValueSchema>;
export type CatalogRequirement = z.infer<typeof catalogRequirementSchema>;
export type CatalogFile = z.infer<typeof catalogFileSchema>;

/** Formats a zod issue path as a JSON path, e.g. `$.requirements[3].parentId`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

export class CatalogFileError extends Error {
  readonly file: string;
  readonly issues: { path: string; message: string }[];
  constructor(file: string, issues: { path: string; message: string }[]) {
    const lines = issues.slice(0, 20).map((i) => `  ${i.path}: ${i.message}`);
    if (issues.length > 20) lines.push(`  … and ${issues.length - 20} more`);
    super(`Invalid catalog file ${file}:\n${lines.join('\n')}`);
    this.name = 'CatalogFileError';
    this.file = file;
    this.issues = issues;
  }
}

/** Validates already-parsed catalog data; `file` names the source in error messages. */
export function parseCatalogFile(data: unknown, file: string): CatalogFile {
  const result = catalogFileSchema.safeParse(data);
  if (!result.success) {
    throw new CatalogFileError(
      file,
      result.error.issues.map((issue) => ({ path: formatJsonPath(issue.path), message: issue.message })),
    );
  }
  return result.data;
}

/** Reads a catalog JSON file, validates it, and returns it; throws naming the file and JSON path of a fault. */
export async function loadCatalogFile(path: string): Promise<CatalogFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CatalogFileError(path, [{ path: '$', message: `cannot read file: ${(err as Error).message}` }]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new CatalogFileError(path, [{ path: '$', message: `not valid JSON: ${(err as Error).message}` }]);
  }
  return parseCatalogFile(data, path);
}
