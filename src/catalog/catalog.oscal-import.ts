/**
 * Turns an OSCAL catalog or profile (JSON, YAML or XML text) into one framework version ready to
 * store: profiles are resolved first, then the catalog is flattened to requirement rows that keep
 * the official statement text, parameters and properties. Database-free; the service stores it.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { flattenCatalog, insertParams } from './oscal/model.ts';
import { OscalInputError } from './oscal/oscal.errors.ts';
import type { OscalCatalog, OscalControl, OscalGroup, OscalParam, OscalPart } from './oscal/oscal.schema.ts';
import { parseOscalDocument } from './oscal/parse.ts';
import { resolveProfile, type HrefResolver, type LoadedText } from './oscal/resolve.ts';
import type { NewRequirement } from './catalog.repo.ts';
import type { FrameworkOrigin } from './catalog.tables.ts';

export const FRAMEWORK_ID_PATTERN = /^[a-z0-9][a-z0-9.-]{0,79}$/;

export type PreparedFramework = {
  frameworkId: string;
  name: string;
  frameworkVersion: string;
  publisher: string;
  sourceNote: string;
  origin: FrameworkOrigin;
  fileName: string;
  contentSha256: string;
  oscalCatalog: { catalog: OscalCatalog };
  requirements: NewRequirement[];
};

export type PrepareOptions = {
  fileName: string;
  /** Framework id to import into; derived from the metadata title when absent. */
  id?: string | undefined;
  resolveHref?: HrefResolver;
  /** Read profile imports from disk next to the file (the CLI does; the API never reads server files). */
  readLocalFiles: boolean;
  onStep?: (step: 'parse' | 'resolve' | 'flatten') => void;
};

/** "NIST Special Publication 800-53 Revision 5: …" → "nist-special-publication-800-53-revision-5-…" (at most 64 characters). */
export function frameworkIdFromTitle(title: string): string {
  const slug = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  const cut = slug.length > 64 ? slug.slice(0, 64).replace(/-[^-]*$/, '') : slug;
  return cut || 'imported-framework';
}

export async function prepareOscalImport(text: string, options: PrepareOptions): Promise<PreparedFramework> {
  const { fileName } = options;
  if (options.id !== undefined && !FRAMEWORK_ID_PATTERN.test(options.id)) {
    throw new OscalInputError('The framework id must be lower-case letters, digits, dots and dashes.', { fileName, pointer: '' });
  }
  options.onStep?.('parse');
  const parsed = parseOscalDocument(text, fileName);
  options.onStep?.('resolve');
  const catalog = parsed.kind === 'catalog'
    ? parsed.doc
    : await resolveProfile(parsed.doc, { fileName, readLocalFiles: options.readLocalFiles, ...(options.resolveHref ? { resolveHref: options.resolveHref } : {}) });
  options.onStep?.('flatten');
  const requirements = requirementRows(catalog, fileName);
  const meta = parsed.doc.metadata as typeof parsed.doc.metadata & { parties?: { name?: string; uuid?: string }[]; 'responsible-parties'?: { 'role-id': string; 'party-uuids': string[] }[] };
  const creator = meta['responsible-parties']?.find((r) => r['role-id'] === 'creator')?.['party-uuids'][0];
  const publisher = meta.parties?.find((p) => p.uuid === creator)?.name ?? meta.parties?.[0]?.name ?? 'unknown publisher';
  const kind = parsed.kind === 'profile' ? 'OSCAL profile, resolved on import' : 'OSCAL catalog';
  return {
    frameworkId: options.id ?? frameworkIdFromTitle(meta.title),
    name: meta.title,
    frameworkVersion: meta.version,
    publisher,
    sourceNote: `Imported from ${path.basename(fileName)} (${kind}, OSCAL ${meta['oscal-version']}).`,
    origin: parsed.kind === 'profile' ? 'oscal-profile' : 'oscal-catalog',
    fileName: path.basename(fileName),
    contentSha256: createHash('sha256').update(text).digest('hex'),
    oscalCatalog: { catalog },
    requirements,
  };
}

function requirementRows(catalog: OscalCatalog, fileName: string): NewRequirement[] {
  const params = new Map<string, OscalParam>();
  const details = new Map<string, { statement: string | null; params: unknown[] | null; props: unknown[] | null }>();
  const visit = (groups: OscalGroup[] | undefined, controls: OscalControl[] | undefined) => {
    for (const g of groups ?? []) {
      for (const p of g.params ?? []) params.set(p.id, p);
      if (g.id) details.set(g.id, { statement: null, params: g.params ?? null, props: g.props ?? null });
      visit(g.groups, g.controls);
    }
    for (const c of controls ?? []) {
      for (const p of c.params ?? []) params.set(p.id, p);
      details.set(c.id, { statement: null, params: c.params ?? null, props: c.props ?? null });
      visit(undefined, c.controls);
    }
  };
  for (const p of catalog.params ?? []) params.set(p.id, p);
  visit(catalog.groups, catalog.controls);
  const statements = new Map<string, string>();
  const collect = (controls: OscalControl[] | undefined, groups: OscalGroup[] | undefined) => {
    for (const g of groups ?? []) collect(g.controls, g.groups);
    for (const c of controls ?? []) {
      const statement = c.parts?.find((p) => p.name === 'statement');
      if (statement) statements.set(c.id, renderPart(statement, params, 0).trim());
      collect(c.controls, undefined);
    }
  };
  collect(catalog.controls, catalog.groups);

  const seen = new Set<string>();
  return flattenCatalog(catalog).map((r) => {
    if (seen.has(r.id)) throw new OscalInputError(`The id "${r.id}" is used twice.`, { fileName, pointer: '/catalog' });
    seen.add(r.id);
    const d = details.get(r.id);
    return {
      requirementId: r.id, parentId: r.parentId, kind: r.kind, title: r.title, summary: r.summary,
      statement: statements.get(r.id) ?? null, sortKey: r.sortKey, tags: [], attrs: r.attrs,
      params: d?.params ?? null, props: d?.props ?? null,
    };
  });
}

/** A statement part as plain text: "a. …" lines, nested parts indented, parameters filled in. */
function renderPart(part: OscalPart, params: Map<string, OscalParam>, depth: number): string {
  const label = part.props?.find((p) => p.name === 'label' && !p.class)?.value;
  const prose = part.prose ? insertParams(part.prose, params).replace(/\s+/g, ' ').trim() : '';
  const own = [label, prose].filter(Boolean).join(' ');
  const lines = own ? [`${'  '.repeat(depth)}${own}`] : [];
  for (const child of part.parts ?? []) lines.push(renderPart(child, params, own ? depth + 1 : depth));
  return lines.filter(Boolean).join('\n');
}

/**
 * Whether a file answers an import href: same file name, or the same name stem (the href's
 * extension may differ), or a versioned variant of it ("…_catalog_v5.0.1_2021-06-08.json" for
 * "…_catalog.json").
 */
export function fileAnswersHref(candidate: string, href: string): boolean {
  const name = (p: string) => path.basename(decodeURI(p.split(/[?#]/)[0] ?? p));
  const stem = (p: string) => name(p).replace(/\.(json|ya?ml|xml)$/i, '');
  const a = stem(candidate);
  const b = stem(href);
  return name(candidate) === name(href) || a === b || (b.length > 0 && a.startsWith(b));
}

/** Picks the `--resolve-with` file for an href: by name, else the only one given. */
export function pickResolveWith(files: LoadedText[], href: string): LoadedText | undefined {
  return files.find((f) => fileAnswersHref(f.fileName, href)) ?? (files.length === 1 ? files[0] : undefined);
}
