/**
 * OSCAL 1.2 mapping-collection JSON, to and from Attest's flat mappings. A framework is named in
 * a mapping's source-resource / target-resource by the href `urn:attest:framework:<id>` (on
 * import also by a `framework-id` prop, or by the stem of any other href, "soc2-2017.json" →
 * "soc2-2017"). Each map relates its sources to its targets; every (source, target) pair becomes
 * one Attest mapping, the map's remarks its rationale.
 */
import path from 'node:path';
import { z } from 'zod';
import { findJsonSyntaxFault } from './json-syntax.ts';
import { OscalInputError, lineColumn, toPointer } from './oscal.errors.ts';
import { uuidV5 } from './oscal-uuid.ts';

export const RELATIONSHIPS = ['equivalent-to', 'equal-to', 'subset-of', 'superset-of', 'intersects-with', 'no-relationship'] as const;
export type FlatMapping = {
  sourceFramework: string; sourceId: string; targetFramework: string; targetId: string;
  relationship: (typeof RELATIONSHIPS)[number]; rationale: string;
};
/** A flat mapping plus where it came from in the document, for error messages. */
export type LocatedMapping = FlatMapping & { sourcePointer: string; targetPointer: string };

const text = z.string().trim().min(1);
const uuid = z.string().regex(/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/, 'Must be a version 4 or 5 UUID.');
const prop = z.looseObject({ name: text, value: z.string() });
const resource = z.looseObject({ type: text, href: text, props: z.array(prop).optional() });
const item = z.looseObject({ type: z.enum(['control', 'statement']), 'id-ref': text });
const map = z.looseObject({
  uuid,
  relationship: z.enum(RELATIONSHIPS),
  sources: z.array(item).min(1),
  targets: z.array(item).min(1),
  remarks: z.string().optional(),
});
const mapping = z.looseObject({ uuid, 'source-resource': resource, 'target-resource': resource, maps: z.array(map).min(1) });
export const mappingCollectionDocument = z.looseObject({
  'mapping-collection': z.looseObject({
    uuid,
    metadata: z.looseObject({ title: text, version: text, 'oscal-version': text, 'last-modified': text }),
    provenance: z.looseObject({ method: text, 'mapping-description': z.string().optional() }),
    mappings: z.array(mapping).min(1),
  }),
});

const FRAMEWORK_URN = 'urn:attest:framework:';

function frameworkOf(r: z.infer<typeof resource>): string {
  const byProp = r.props?.find((p) => p.name === 'framework-id')?.value;
  if (byProp) return byProp;
  if (r.href.startsWith(FRAMEWORK_URN)) return r.href.slice(FRAMEWORK_URN.length);
  return path.basename(r.href.split(/[?#]/)[0] ?? r.href).replace(/\.(json|ya?ml|xml)$/i, '');
}

export type ParsedMappingCollection = { uuid: string; title: string; description: string; mappings: LocatedMapping[] };

/** Parses mapping-collection JSON; faults name the line (syntax) or the JSON pointer (model). */
export function parseMappingCollection(textIn: string, fileName: string): ParsedMappingCollection {
  let data: unknown;
  try {
    data = JSON.parse(textIn);
  } catch (error) {
    const fault = findJsonSyntaxFault(textIn);
    throw new OscalInputError(`JSON syntax error: ${fault?.message ?? (error as Error).message}`, { fileName, ...lineColumn(textIn, fault?.offset ?? 0) });
  }
  const result = mappingCollectionDocument.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const missing = issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
    throw new OscalInputError(missing ? `Required field "${String(issue.path.at(-1))}" is missing.` : issue.message, { fileName, pointer: toPointer(issue.path) });
  }
  const doc = result.data['mapping-collection'];
  const out: LocatedMapping[] = [];
  doc.mappings.forEach((m, i) => {
    const sourceFramework = frameworkOf(m['source-resource']);
    const targetFramework = frameworkOf(m['target-resource']);
    m.maps.forEach((entry, j) => {
      entry.sources.forEach((s, k) => {
        entry.targets.forEach((t, l) => {
          out.push({
            sourceFramework, sourceId: s['id-ref'], targetFramework, targetId: t['id-ref'], relationship: entry.relationship,
            rationale: entry.remarks?.trim() ?? '',
            sourcePointer: `/mapping-collection/mappings/${i}/maps/${j}/sources/${k}/id-ref`,
            targetPointer: `/mapping-collection/mappings/${i}/maps/${j}/targets/${l}/id-ref`,
          });
        });
      });
    });
  });
  return { uuid: doc.uuid, title: doc.metadata.title, description: doc.provenance['mapping-description'] ?? '', mappings: out };
}

/** Builds a schema-valid mapping collection: one mapping per (source framework, target framework) pair. */
export function toOscalMappingCollection(maps: FlatMapping[], options: { title?: string; now?: Date } = {}) {
  const groups = new Map<string, FlatMapping[]>();
  for (const m of maps) {
    const key = `${m.sourceFramework}\u0000${m.targetFramework}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const ref = (id: string) => ({ type: 'catalog', href: `${FRAMEWORK_URN}${id}`, props: [{ name: 'framework-id', value: id }] });
  const mappings = [...groups.values()].map((list) => {
    const { sourceFramework: from, targetFramework: to } = list[0]!;
    return {
      uuid: uuidV5(`mapping:${from}:${to}`),
      'source-resource': ref(from),
      'target-resource': ref(to),
      maps: list.map((m) => ({
        uuid: uuidV5(`map:${from}:${m.sourceId}:${to}:${m.targetId}`),
        relationship: m.relationship,
        sources: [{ type: 'control', 'id-ref': m.sourceId }],
        targets: [{ type: 'control', 'id-ref': m.targetId }],
        ...(m.rationale ? { remarks: m.rationale } : {}),
      })),
    };
  });
  const content = mappings.map((m) => m.uuid).join(',');
  return {
    'mapping-collection': {
      uuid: uuidV5(`mapping-collection:${content}:${maps.length}`),
      metadata: {
        title: options.title ?? 'Attest framework mappings',
        'last-modified': (options.now ?? new Date()).toISOString(),
        version: '1',
        'oscal-version': '1.2.1',
      },
      provenance: {
        method: 'human',
        'matching-rationale': 'semantic',
        status: 'complete',
        'mapping-description': 'Set-theory relationships between framework requirements, read "source <relationship> target".',
      },
      mappings,
    },
  };
}
