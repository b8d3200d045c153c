/**
 * OSCAL profile resolution (import, merge, modify) into a resolved catalog, database-free.
 *
 * Import hrefs are found in this order: `#uuid` names a back-matter resource of the importing
 * profile whose rlinks are tried (JSON first, then YAML, XML, others); a relative path is read
 * from disk next to the importing document when that file exists (unless `readLocalFiles` is
 * false); otherwise the caller's `resolveHref` is asked (the DB layer maps hrefs to imported
 * catalogs or `--resolve-with` files). An imported profile is resolved first (recursively);
 * a profile importing itself, directly or not, is an error naming the chain.
 * See select.ts and modify.ts for the selection, merge and modify rules.
 * Not supported: merge `custom` (rejected), merge `combine` methods other than use-first,
 * `insert-controls` ordering, and resolving parameter values inside prose.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { applyAlters, applySetParameters } from './modify.ts';
import { OscalInputError } from './oscal.errors.ts';
import type { OscalCatalog, OscalControl, OscalGroup, OscalParam, OscalProfile, OscalResource } from './oscal.schema.ts';
import { uuidV5 } from './oscal-uuid.ts';
import { parseOscalDocument } from './parse.ts';
import { mergeSelections, selectControls } from './select.ts';

export type LoadedText = { text: string; fileName: string };
export type HrefResolver = (
  href: string,
  context: { base: string; resourceUuid?: string },
) => Promise<LoadedText | undefined> | LoadedText | undefined;

export type ResolveOptions = {
  /** Where the profile came from (path or URL); the base for relative hrefs and the source link. */
  fileName: string;
  resolveHref?: HrefResolver;
  /** Read relative hrefs from disk next to the profile (default true). */
  readLocalFiles?: boolean;
  /** The resolved catalog's last-modified (default: now). */
  now?: Date;
  /** Non-fatal findings: unknown ids in selections, alters or set-parameters, duplicate controls. */
  warn?: (message: string) => void;
};

export const RESOLUTION_TOOL = 'Attest OSCAL profile resolver';
const MEDIA_ORDER = ['json', 'yaml', 'xml'];

export async function resolveProfile(profile: OscalProfile, options: ResolveOptions): Promise<OscalCatalog> {
  return resolveInChain(profile, options.fileName, options, []);
}

async function resolveInChain(profile: OscalProfile, fileName: string, options: ResolveOptions, chain: string[]): Promise<OscalCatalog> {
  const key = `${path.resolve(fileName)}#${profile.uuid}`;
  if (chain.some((k) => k === key || k.endsWith(`#${profile.uuid}`))) {
    const names = [...chain, key].map((k) => path.basename(k.slice(0, k.lastIndexOf('#'))));
    throw new OscalInputError(`Profile import cycle: ${names.join(' → ')}.`, { fileName, pointer: '/profile/imports' });
  }
  const warn = options.warn ?? (() => {});
  const selections: OscalCatalog[] = [];
  const importTargets = new Set<string>();
  for (const [n, imp] of profile.imports.entries()) {
    if (imp.href.startsWith('#')) importTargets.add(imp.href.slice(1));
    const loaded = await loadImport(imp.href, profile, fileName, options, `/profile/imports/${n}/href`);
    const parsed = parseOscalDocument(loaded.text, loaded.fileName);
    const catalog =
      parsed.kind === 'catalog' ? parsed.doc : await resolveInChain(parsed.doc, loaded.fileName, options, [...chain, key]);
    selections.push(selectControls(catalog, imp, warn));
  }

  const merge = profile.merge;
  if (merge?.custom) throw new OscalInputError('merge "custom" is not supported; use as-is or flat.', { fileName, pointer: '/profile/merge/custom' });
  const tree = mergeSelections(selections, merge?.['as-is'] === true, warn);

  const params = new Map<string, OscalParam>();
  const controls = new Map<string, OscalControl>();
  indexTree(tree.params, tree.groups, tree.controls, params, controls);
  applySetParameters(params, profile.modify?.['set-parameters'] ?? [], warn);
  applyAlters(controls, profile.modify?.alters ?? [], warn);

  const { imports: _i, merge: _m, modify: _mo, 'back-matter': _b, metadata, uuid: _u, ...extra } = profile;
  const catalog: OscalCatalog = {
    uuid: uuidV5(`resolved-profile:${profile.uuid}:${metadata.version}:${metadata['last-modified']}`),
    ...extra,
    metadata: {
      ...structuredClone(metadata),
      'last-modified': (options.now ?? new Date()).toISOString(),
      props: [...(metadata.props ?? []), { name: 'resolution-tool', value: RESOLUTION_TOOL }],
      links: [...(metadata.links ?? []), { href: encodeURI(path.basename(fileName)), rel: 'source-profile' }],
    },
    ...tree,
  };
  const resources = [
    ...(profile['back-matter']?.resources ?? []).filter((r) => !importTargets.has(r.uuid)),
    ...selections.flatMap((s) => s['back-matter']?.resources ?? []),
  ];
  const kept = referencedResources(catalog, resources);
  if (kept.length) catalog['back-matter'] = { resources: kept };
  return catalog;
}

async function loadImport(href: string, owner: OscalProfile, base: string, options: ResolveOptions, pointer: string): Promise<LoadedText> {
  let candidates = [href];
  let resourceUuid: string | undefined;
  if (href.startsWith('#')) {
    resourceUuid = href.slice(1);
    const resource = owner['back-matter']?.resources?.find((r) => r.uuid === resourceUuid);
    if (!resource?.rlinks?.length) {
      throw new OscalInputError(`Import href "${href}" names no back-matter resource with rlinks.`, { fileName: base, pointer });
    }
    const rank = (media = '') => {
      const i = MEDIA_ORDER.findIndex((m) => media.includes(m));
      return i < 0 ? MEDIA_ORDER.length : i;
    };
    candidates = [...resource.rlinks].sort((a, b) => rank(a['media-type']) - rank(b['media-type'])).map((r) => r.href);
  }
  for (const candidate of candidates) {
    if (options.readLocalFiles !== false && !/^[a-z][a-z0-9+.-]*:/i.test(candidate)) {
      const local = path.resolve(path.dirname(base), decodeURI(candidate));
      if (existsSync(local)) return { text: await readFile(local, 'utf8'), fileName: local };
    }
    const found = await options.resolveHref?.(candidate, { base, ...(resourceUuid ? { resourceUuid } : {}) });
    if (found) return found;
  }
  const tried = candidates.length > 1 || candidates[0] !== href ? ` (tried ${candidates.join(', ')})` : '';
  throw new OscalInputError(`Cannot resolve import href "${href}"${tried}.`, { fileName: base, pointer });
}

function indexTree(
  params: OscalParam[] | undefined,
  groups: OscalGroup[] | undefined,
  controls: OscalControl[] | undefined,
  paramIndex: Map<string, OscalParam>,
  controlIndex: Map<string, OscalControl>,
): void {
  for (const p of params ?? []) paramIndex.set(p.id, p);
  for (const g of groups ?? []) indexTree(g.params, g.groups, g.controls, paramIndex, controlIndex);
  for (const c of controls ?? []) {
    controlIndex.set(c.id, c);
    indexTree(c.params, undefined, c.controls, paramIndex, controlIndex);
  }
}

/** Keeps the resources that the resolved content still points at (`#uuid` in links or prose). */
function referencedResources(catalog: OscalCatalog, resources: OscalResource[]): OscalResource[] {
  const text = JSON.stringify([catalog.params, catalog.groups, catalog.controls]);
  const byUuid = new Map<string, OscalResource>();
  for (const r of resources) if (!byUuid.has(r.uuid) && text.includes(`#${r.uuid}`)) byUuid.set(r.uuid, r);
  return [...byUuid.values()];
}
