/**
 * Between OSCAL catalogs and Attest's flat requirement list (the shape of catalogs/*.json).
 * Groups become 'group' entries, controls and their enhancements 'requirement' entries (an
 * enhancement's parent is its control), in document order. The reverse export turns any
 * framework into an OSCAL 1.2 catalog whose uuid is derived from framework id and version.
 */
import type { OscalCatalog, OscalControl, OscalGroup, OscalParam, OscalPart, OscalProp } from './oscal.schema.ts';
import { uuidV5 } from './oscal-uuid.ts';

export type RequirementAttrs = Record<string, string | boolean | string[]>;
export type FlatRequirement = {
  id: string;
  parentId: string | null;
  kind: 'group' | 'requirement';
  title: string;
  /** First statement prose with parameters filled in; empty when there is none (withdrawn controls). */
  summary: string;
  sortKey: number;
  attrs: RequirementAttrs;
};

export function flattenCatalog(catalog: OscalCatalog): FlatRequirement[] {
  const out: FlatRequirement[] = [];
  const params = new Map<string, OscalParam>();
  const collect = (list: OscalParam[] | undefined) => {
    for (const p of list ?? []) params.set(p.id, p);
  };
  const visit = (groups: OscalGroup[] | undefined, controls: OscalControl[] | undefined, parentId: string | null) => {
    for (const [n, g] of (groups ?? []).entries()) {
      const id = g.id ?? `${parentId ?? 'group'}-${n + 1}`;
      collect(g.params);
      out.push({ id, parentId, kind: 'group', title: g.title, summary: '', sortKey: out.length, attrs: attrsOf(g.class, g.props) });
      visit(g.groups, g.controls, id);
    }
    for (const c of controls ?? []) {
      collect(c.params);
      const summary = statementSummary(c.parts, params);
      out.push({ id: c.id, parentId, kind: 'requirement', title: c.title, summary, sortKey: out.length, attrs: attrsOf(c.class, c.props) });
      visit(undefined, c.controls, c.id);
    }
  };
  collect(catalog.params);
  visit(catalog.groups, catalog.controls, null);
  return out;
}

function attrsOf(cls: string | undefined, props: OscalProp[] | undefined): RequirementAttrs {
  const attrs: RequirementAttrs = {};
  if (cls) attrs.class = cls;
  for (const p of props ?? []) {
    // NIST gives several labels (plain, zero-padded, sp800-53a); the one without a class is canonical.
    if (p.name === 'label') {
      if (attrs.label === undefined || !p.class) attrs.label = p.value;
      continue;
    }
    if (p.name === 'status') {
      attrs.status = p.value;
      if (p.value === 'withdrawn') attrs.withdrawn = true;
      continue;
    }
    const prev = attrs[p.name];
    attrs[p.name] = prev === undefined ? p.value : [...(Array.isArray(prev) ? prev : [String(prev)]), p.value];
  }
  return attrs;
}

function statementSummary(parts: OscalPart[] | undefined, params: Map<string, OscalParam>): string {
  const statement = parts?.find((p) => p.name === 'statement');
  const first = (part: OscalPart | undefined): string | undefined => {
    if (!part) return undefined;
    if (part.prose?.trim()) return part.prose;
    for (const child of part.parts ?? []) {
      const found = first(child);
      if (found) return found;
    }
    return undefined;
  };
  const prose = first(statement);
  return prose ? insertParams(prose, params).replace(/\s+/g, ' ').trim() : '';
}

/** Replaces `{{ insert: param, id }}` with the parameter's values, selection or label. */
export function insertParams(prose: string, params: Map<string, OscalParam>, depth = 0): string {
  return prose.replace(/\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}/g, (_m, id: string) => {
    const p = params.get(id);
    if (!p) return `[${id}]`;
    const fill = (s: string) => (depth < 3 ? insertParams(s, params, depth + 1) : s);
    if (p.values?.length) return p.values.map(fill).join(', ');
    if (p.select?.choice?.length) {
      const how = p.select['how-many'] === 'one-or-more' ? 'one or more' : 'one';
      return `[Selection (${how}): ${p.select.choice.map(fill).join('; ')}]`;
    }
    return `[${p.label ? fill(p.label) : id}]`;
  });
}

export type ExportableFramework = {
  id: string;
  name: string;
  version: string | number;
  requirements: { id: string; parentId: string | null; kind: 'group' | 'requirement'; title: string; summary?: string }[];
};
export type ExportOptions = { lastModified?: Date; oscalVersion?: string };

export function toOscalCatalog(framework: ExportableFramework, options: ExportOptions = {}): { catalog: OscalCatalog } {
  const version = String(framework.version);
  const tokens = new Map<string, string>();
  const used = new Set<string>();
  for (const r of framework.requirements) {
    // OSCAL ids are tokens ("A.5.1" is one, "Art. 32" or "6.1" are not); the original stays as the label.
    let token = r.id.replace(/[^\p{L}\p{N}._-]/gu, '_');
    if (!/^(\p{L}|_)/u.test(token)) token = `_${token}`;
    while (used.has(token)) token = `${token}_`;
    used.add(token);
    tokens.set(r.id, token);
  }
  const children = new Map<string | null, ExportableFramework['requirements']>();
  for (const r of framework.requirements) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r]);
  const controlOf = (r: ExportableFramework['requirements'][number]): OscalControl => {
    const id = tokens.get(r.id) as string;
    const control: OscalControl = { id, title: r.title, props: [{ name: 'label', value: r.id }] };
    if (r.summary) control.parts = [{ id: `${id}_smt`, name: 'statement', prose: r.summary }];
    const subs = (children.get(r.id) ?? []).filter((c) => c.kind === 'requirement').map(controlOf);
    if (subs.length) control.controls = subs;
    return control;
  };
  const groupOf = (r: ExportableFramework['requirements'][number]): OscalGroup => {
    const kids = children.get(r.id) ?? [];
    const group: OscalGroup = { id: tokens.get(r.id) as string, title: r.title, props: [{ name: 'label', value: r.id }] };
    if (r.summary) group.parts = [{ name: 'overview', prose: r.summary }];
    const groups = kids.filter((k) => k.kind === 'group').map(groupOf);
    const controls = kids.filter((k) => k.kind === 'requirement').map(controlOf);
    if (groups.length) group.groups = groups;
    if (controls.length) group.controls = controls;
    return group;
  };
  const top = children.get(null) ?? [];
  const catalog: OscalCatalog = {
    uuid: uuidV5(`framework:${framework.id}:${version}`),
    metadata: {
      title: framework.name,
      'last-modified': (options.lastModified ?? new Date()).toISOString(),
      version,
      'oscal-version': options.oscalVersion ?? '1.2.1',
    },
  };
  const groups = top.filter((r) => r.kind === 'group').map(groupOf);
  const controls = top.filter((r) => r.kind === 'requirement').map(controlOf);
  if (groups.length) catalog.groups = groups;
  if (controls.length) catalog.controls = controls;
  return { catalog };
}
