/**
 * Profile resolution, selection and merge phases: which controls of an imported catalog a
 * profile keeps, and how the kept controls of several imports are arranged.
 *
 * Choices where the spec leaves room or we simplify:
 * - with-child-controls defaults to "no"; "yes" adds every descendant of a matched control.
 * - Including a control includes its ancestor controls (as NIST's resolver does: the PRIVACY
 *   baseline lists AC-3(14) and gets AC-3 too); exclusions apply after that, and a kept control
 *   whose parent was excluded moves up to the nearest kept container.
 * - Containers (groups, catalog) keep their own params/props/parts; empty groups are dropped.
 * - A control selected by two imports is kept once, from the first import (use-first).
 * - merge as-is keeps group structure, merging groups with the same id; flat (and no merge
 *   directive at all, the spec's default) drops groups but keeps enhancements inside their
 *   kept parent control.
 */
import type { OscalCatalog, OscalControl, OscalGroup, OscalImport, OscalParam, OscalSelectControl } from './oscal.schema.ts';

type Tree = { params?: OscalParam[]; groups?: OscalGroup[]; controls?: OscalControl[] };

/** Returns the imported catalog pruned to the controls the import selects (a fresh copy). */
export function selectControls(catalog: OscalCatalog, imp: OscalImport, warn: (m: string) => void): OscalCatalog {
  const all = new Map<string, OscalControl>();
  const parentOf = new Map<string, string>();
  const index = (controls: OscalControl[] | undefined, parent?: string) => {
    for (const c of controls ?? []) {
      all.set(c.id, c);
      if (parent) parentOf.set(c.id, parent);
      index(c.controls, c.id);
    }
  };
  const indexGroups = (groups: OscalGroup[] | undefined) => {
    for (const g of groups ?? []) {
      index(g.controls);
      indexGroups(g.groups);
    }
  };
  index(catalog.controls);
  indexGroups(catalog.groups);

  const included = new Set<string>();
  if (imp['include-all']) for (const id of all.keys()) included.add(id);
  for (const sel of imp['include-controls'] ?? []) for (const id of matchSelection(sel, all, warn, imp.href)) included.add(id);
  if (!imp['include-all'] && !imp['include-controls']) warn(`Import ${imp.href} selects no controls (no include-all or include-controls).`);
  for (const id of [...included]) {
    for (let up = parentOf.get(id); up !== undefined; up = parentOf.get(up)) included.add(up);
  }
  for (const sel of imp['exclude-controls'] ?? []) for (const id of matchSelection(sel, all, warn, imp.href)) included.delete(id);

  const pruneControls = (controls: OscalControl[] | undefined): OscalControl[] =>
    (controls ?? []).flatMap((c) => {
      const children = pruneControls(c.controls);
      if (!included.has(c.id)) return children;
      const { controls: _drop, ...rest } = c;
      return [structuredClone(children.length ? { ...rest, controls: children } : rest)];
    });
  const pruneGroups = (groups: OscalGroup[] | undefined): OscalGroup[] =>
    (groups ?? []).flatMap((g) => {
      const { groups: _g, controls: _c, ...rest } = g;
      const kept: OscalGroup = structuredClone(rest);
      const subGroups = pruneGroups(g.groups);
      const controls = pruneControls(g.controls);
      if (!subGroups.length && !controls.length) return [];
      if (subGroups.length) kept.groups = subGroups;
      if (controls.length) kept.controls = controls;
      return [kept];
    });
  const { groups: _g, controls: _c, ...rest } = catalog;
  const out: OscalCatalog = structuredClone(rest);
  const groups = pruneGroups(catalog.groups);
  const controls = pruneControls(catalog.controls);
  if (groups.length) out.groups = groups;
  if (controls.length) out.controls = controls;
  return out;
}

function matchSelection(sel: OscalSelectControl, all: Map<string, OscalControl>, warn: (m: string) => void, href: string): string[] {
  const hits: OscalControl[] = [];
  for (const id of sel['with-ids'] ?? []) {
    const control = all.get(id);
    if (control) hits.push(control);
    else warn(`Import ${href}: control "${id}" is not in the imported catalog.`);
  }
  for (const { pattern } of sel.matching ?? []) {
    const re = globToRegExp(pattern);
    for (const control of all.values()) if (re.test(control.id)) hits.push(control);
  }
  const ids: string[] = [];
  const add = (c: OscalControl, deep: boolean) => {
    ids.push(c.id);
    if (deep) for (const child of c.controls ?? []) add(child, true);
  };
  for (const c of hits) add(c, sel['with-child-controls'] === 'yes');
  return ids;
}

/** OSCAL `matching` patterns are globs: `*` any run of characters, `?` one character. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${body}$`);
}

/** Combines the selections of all imports according to the profile's merge directive. */
export function mergeSelections(selections: OscalCatalog[], asIs: boolean, warn: (m: string) => void): Tree {
  const seen = new Set<string>();
  const params = new Map<string, OscalParam>();
  const dedupe = (controls: OscalControl[] | undefined): OscalControl[] =>
    (controls ?? []).flatMap((c) => {
      if (seen.has(c.id)) {
        warn(`Control "${c.id}" is selected by more than one import; the first is kept.`);
        return dedupe(c.controls);
      }
      seen.add(c.id);
      return [c.controls ? { ...c, controls: dedupe(c.controls) } : c];
    });
  const out: Tree = {};
  for (const sel of selections) {
    for (const p of sel.params ?? []) if (!params.has(p.id)) params.set(p.id, p);
    if (asIs) {
      out.groups = mergeGroups(out.groups ?? [], sel.groups ?? [], dedupe);
      out.controls = [...(out.controls ?? []), ...dedupe(sel.controls)];
    } else {
      out.controls = [...(out.controls ?? []), ...dedupe(sel.controls), ...dedupe(allGroupControls(sel.groups))];
    }
  }
  if (params.size) out.params = [...params.values()];
  if (!out.groups?.length) delete out.groups;
  if (!out.controls?.length) delete out.controls;
  return out;
}

function mergeGroups(into: OscalGroup[], add: OscalGroup[], dedupe: (c: OscalControl[] | undefined) => OscalControl[]): OscalGroup[] {
  const result = [...into];
  for (const g of add) {
    const same = g.id === undefined ? undefined : result.find((r) => r.id === g.id);
    const controls = dedupe(g.controls);
    if (same) {
      if (controls.length) same.controls = [...(same.controls ?? []), ...controls];
      if (g.groups) same.groups = mergeGroups(same.groups ?? [], g.groups, dedupe);
    } else {
      const copy: OscalGroup = { ...g };
      if (controls.length) copy.controls = controls;
      else delete copy.controls;
      if (g.groups) copy.groups = mergeGroups([], g.groups, dedupe);
      result.push(copy);
    }
  }
  return result;
}

function allGroupControls(groups: OscalGroup[] | undefined): OscalControl[] {
  return (groups ?? []).flatMap((g) => [...(g.controls ?? []), ...allGroupControls(g.groups)]);
}
