/**
 * Profile resolution, modify phase: set-parameters and alters applied in place to the merged
 * (already copied) controls.
 *
 * - set-parameter: label, values, select, constraints, guidelines, class, usage and depends-on
 *   replace the catalog's; props and links are appended.
 * - remove: drops parts, props, params and links anywhere inside the control (not its child
 *   controls) matching every given criterion (by-id, by-name, by-class, by-ns, by-item-name).
 * - add: position defaults to "ending". Without by-id (or by-id = the control) items go at the
 *   start or end of the control's arrays; "before"/"after" then count as starting/ending.
 *   With by-id naming a part or param: starting/ending add into it (parts and props and links
 *   into a part; props and links into a param); before/after insert parts next to a part and
 *   params next to a param; other item kinds then go at the end of the containing object.
 * Targets that do not exist are reported through `warn`, as resolution can still proceed.
 */
import type { OscalAlter, OscalControl, OscalParam, OscalSetParameter } from './oscal.schema.ts';

type Obj = Record<string, unknown>;
const ITEM_KEYS = ['parts', 'props', 'params', 'links'] as const;
const ITEM_NAME: Record<string, string> = { parts: 'part', props: 'prop', params: 'param', links: 'link' };
const REPLACED = ['label', 'values', 'select', 'constraints', 'guidelines', 'class', 'usage', 'depends-on'] as const;

export function applySetParameters(params: Map<string, OscalParam>, sets: OscalSetParameter[], warn: (m: string) => void): void {
  for (const set of sets) {
    const param = params.get(set['param-id']) as Obj | undefined;
    if (!param) {
      warn(`set-parameter: parameter "${set['param-id']}" is not in the resolved catalog.`);
      continue;
    }
    const source = set as Obj;
    for (const key of REPLACED) if (source[key] !== undefined) param[key] = structuredClone(source[key]);
    // A new choice of values replaces a selection and vice versa, as the profile means either.
    if (set.values && !set.select) delete param.select;
    if (set.select && !set.values) delete param.values;
    for (const key of ['props', 'links'] as const) {
      if (set[key]) param[key] = [...((param[key] as unknown[]) ?? []), ...structuredClone(set[key])];
    }
  }
}

export function applyAlters(controls: Map<string, OscalControl>, alters: OscalAlter[], warn: (m: string) => void): void {
  for (const alter of alters) {
    const control = controls.get(alter['control-id']);
    if (!control) {
      warn(`alter: control "${alter['control-id']}" is not in the resolved catalog.`);
      continue;
    }
    for (const rm of alter.removes ?? []) {
      if (removeItems(control, rm as Record<string, string | undefined>) === 0) {
        warn(`alter ${control.id}: remove ${JSON.stringify(rm)} matched nothing.`);
      }
    }
    for (const add of alter.adds ?? []) {
      const position = add.position ?? 'ending';
      const items = structuredClone(add) as Obj;
      if (add.title !== undefined && (add['by-id'] === undefined || add['by-id'] === control.id)) control.title = add.title;
      if (add['by-id'] === undefined || add['by-id'] === control.id) {
        insertInto(control, items, position === 'starting' || position === 'before');
        continue;
      }
      const found = findById(control, add['by-id']);
      if (!found) {
        warn(`alter ${control.id}: add target "${add['by-id']}" not found.`);
        continue;
      }
      if (position === 'starting' || position === 'ending') {
        insertInto(found.item, found.kind === 'params' ? { props: items.props, links: items.links } : items, position === 'starting');
        continue;
      }
      const siblings = found.container[found.kind] as Obj[];
      const at = siblings.indexOf(found.item) + (position === 'after' ? 1 : 0);
      const same = (items[found.kind] as Obj[] | undefined) ?? [];
      siblings.splice(at, 0, ...same);
      const { [found.kind]: _same, ...others } = items;
      insertInto(found.container, others, false);
    }
  }
}

function insertInto(target: Obj, items: Obj, atStart: boolean): void {
  for (const key of ITEM_KEYS) {
    const add = items[key] as unknown[] | undefined;
    if (!add?.length) continue;
    const current = (target[key] as unknown[] | undefined) ?? [];
    target[key] = atStart ? [...add, ...current] : [...current, ...add];
  }
}

type Found = { item: Obj; container: Obj; kind: 'parts' | 'params' };

function findById(container: Obj, id: string): Found | undefined {
  for (const kind of ['params', 'parts'] as const) {
    for (const item of (container[kind] as Obj[] | undefined) ?? []) {
      if (item.id === id) return { item, container, kind };
      if (kind === 'parts') {
        const deeper = findById(item, id);
        if (deeper) return deeper;
      }
    }
  }
  return undefined;
}

function removeItems(node: Obj, rm: Record<string, string | undefined>): number {
  let removed = 0;
  for (const key of ITEM_KEYS) {
    const list = node[key] as Obj[] | undefined;
    if (!list) continue;
    const kept = list.filter((item) => !matches(item, ITEM_NAME[key] as string, rm));
    removed += list.length - kept.length;
    if (kept.length) node[key] = kept;
    else delete node[key];
    if (key === 'parts') for (const part of kept) removed += removeItems(part, rm);
  }
  return removed;
}

function matches(item: Obj, itemName: string, rm: Record<string, string | undefined>): boolean {
  const checks: [string | undefined, unknown][] = [
    [rm['by-id'], item.id],
    [rm['by-name'], item.name],
    [rm['by-class'], item.class],
    [rm['by-ns'], item.ns],
    [rm['by-item-name'], itemName],
  ];
  const given = checks.filter(([want]) => want !== undefined);
  return given.length > 0 && given.every(([want, have]) => want === have);
}
