/**
 * OSCAL 1.2 component-definition form of an org's controls: one component (the org's control
 * set), one control-implementation per framework, and one implemented-requirement per link whose
 * control-id is the requirement id. Our fields travel as props in Attest's namespace. Controls
 * with no links sit under the `urn:attest:controls` source, keyed by their own code.
 */
import { z } from 'zod';
import { uuidV5 } from '../catalog/oscal/oscal-uuid.ts';
import type { FieldError } from '../lib/errors.ts';
import { checkDuplicateCodes, checkFields, type LocatedControl, type ParsedImport, type TransferControl } from './controls.transfer-model.ts';

export const ATTEST_NS = 'https://attest.dev/ns/oscal';
const FRAMEWORK_SOURCE = 'urn:attest:framework:';
const UNMAPPED_SOURCE = 'urn:attest:controls';
const OSCAL_VERSION = '1.2.1';

// OSCAL tokens start with a letter or underscore and hold no spaces; ids like "1.2.3" or "Art. 32"
// become tokens here, and the exact id travels in a prop.
const TOKEN = /^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u;
export const toToken = (id: string) => (TOKEN.test(id) ? id : `_${id.replace(/[^\p{L}\p{N}.\-_]/gu, '_')}`);

type Prop = { name: string; ns: string; value: string };
const prop = (name: string, value: string): Prop => ({ name, ns: ATTEST_NS, value });
const controlProps = (c: TransferControl): Prop[] => [
  prop('control-code', c.code), prop('control-title', c.title), prop('frequency', c.frequency), prop('nature', c.nature),
  prop('automation', c.automation), prop('lifecycle', c.lifecycle),
  ...(c.ownerEmail ? [prop('owner-email', c.ownerEmail)] : []), ...c.scope.map((s) => prop('scope', s)),
  ...(c.description ? [] : [prop('description', 'none')]),
];
// OSCAL's markup-multiline must not be empty; a prop says when the title stands in for no description.
const descriptionOf = (c: TransferControl) => c.description || c.title;

export function controlsToOscal(controls: TransferControl[], o: { orgName: string; orgId: string; now: Date }) {
  const byFramework = new Map<string, { control: TransferControl; id: string }[]>();
  const unmapped: TransferControl[] = [];
  for (const c of controls) {
    if (!c.requirements.length) unmapped.push(c);
    for (const r of c.requirements) byFramework.set(r.framework, [...(byFramework.get(r.framework) ?? []), { control: c, id: r.id }]);
  }
  const base = `attest:${o.orgId}`;
  const implementations = [...byFramework].sort(([a], [b]) => a.localeCompare(b)).map(([framework, links]) => ({
    uuid: uuidV5(`${base}:impl:${framework}`),
    source: `${FRAMEWORK_SOURCE}${framework}`,
    description: `How the organization's controls satisfy the requirements of ${framework}.`,
    'implemented-requirements': links.map(({ control, id }) => ({
      uuid: uuidV5(`${base}:req:${framework}:${id}:${control.code}`),
      'control-id': toToken(id),
      description: descriptionOf(control),
      props: [prop('requirement-id', id), ...controlProps(control)],
    })),
  }));
  if (unmapped.length) {
    implementations.push({
      uuid: uuidV5(`${base}:impl:unmapped`), source: UNMAPPED_SOURCE,
      description: 'Controls of the organization not yet mapped to any framework requirement.',
      'implemented-requirements': unmapped.map((c) => ({ uuid: uuidV5(`${base}:unmapped:${c.code}`), 'control-id': toToken(c.code), description: descriptionOf(c), props: controlProps(c) })),
    });
  }
  const component = {
    uuid: uuidV5(`${base}:component`), type: 'this-system', title: "The organization's control set",
    description: `The controls ${o.orgName} operates, and the framework requirements each satisfies.`,
    ...(implementations.length ? { 'control-implementations': implementations } : {}),
  };
  return {
    'component-definition': {
      uuid: uuidV5(`${base}:component-definition:${o.now.toISOString()}`),
      metadata: { title: `${o.orgName}: controls`, 'last-modified': o.now.toISOString(), version: o.now.toISOString(), 'oscal-version': OSCAL_VERSION },
      components: [component],
    },
  };
}

const propSchema = z.object({ name: z.string(), ns: z.string().optional(), value: z.string() }).passthrough();
const implementedSchema = z.object({ 'control-id': z.string().min(1), description: z.string().optional(), props: z.array(propSchema).optional() }).passthrough();
const docSchema = z.object({
  'component-definition': z.object({
    components: z.array(z.object({
      title: z.string(),
      'control-implementations': z.array(z.object({ source: z.string(), 'implemented-requirements': z.array(implementedSchema) }).passthrough()).optional(),
    }).passthrough()).optional(),
  }).passthrough(),
}).passthrough();

const ours = (props: z.infer<typeof propSchema>[] | undefined, name: string) => (props ?? []).filter((p) => p.ns === ATTEST_NS && p.name === name).map((p) => p.value);
const frameworkOf = (source: string) => (source.startsWith(FRAMEWORK_SOURCE) ? source.slice(FRAMEWORK_SOURCE.length) : source);
// Foreign documents carry no control codes: one control per implemented requirement, coded after its component.
const foreignCode = (component: string, controlId: string) =>
  `${component.toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 20) || 'C'}-${controlId.toUpperCase().replace(/[^A-Z0-9._-]+/g, '-')}`.slice(0, 40);

export function parseControlsOscal(text: string): ParsedImport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { controls: [], faults: [{ path: '$', message: `Not valid JSON: ${(e as Error).message}` }] };
  }
  const doc = docSchema.safeParse(data);
  if (!doc.success) {
    return { controls: [], faults: doc.error.issues.slice(0, 20).map((i) => ({ path: `$.${i.path.join('.')}`, message: `Not an OSCAL component-definition: ${i.message}` })) };
  }
  const faults: FieldError[] = [];
  // Implemented requirements of one code merge into one control carrying all of their links.
  const merged = new Map<string, { raw: Record<keyof TransferControl, unknown>; requirements: TransferControl['requirements']; path: string }>();
  (doc.data['component-definition'].components ?? []).forEach((component, ci) => {
    (component['control-implementations'] ?? []).forEach((impl, ii) => {
      impl['implemented-requirements'].forEach((req, ri) => {
        const path = `$.component-definition.components[${ci}].control-implementations[${ii}].implemented-requirements[${ri}]`;
        const code = ours(req.props, 'control-code')[0] ?? foreignCode(component.title, req['control-id']);
        const entry = merged.get(code) ?? {
          path, requirements: [],
          raw: {
            code, title: ours(req.props, 'control-title')[0] ?? `${component.title}: ${req['control-id']}`,
            description: ours(req.props, 'description')[0] === 'none' ? '' : (req.description ?? ''), ownerEmail: ours(req.props, 'owner-email')[0] ?? null,
            frequency: ours(req.props, 'frequency')[0] ?? 'annual', nature: ours(req.props, 'nature')[0] ?? 'preventive',
            automation: ours(req.props, 'automation')[0] ?? 'manual', lifecycle: ours(req.props, 'lifecycle')[0] ?? 'draft',
            scope: ours(req.props, 'scope'), requirements: [],
          },
        };
        if (impl.source !== UNMAPPED_SOURCE) {
          entry.requirements.push({ framework: frameworkOf(impl.source), id: ours(req.props, 'requirement-id')[0] ?? req['control-id'] });
        }
        merged.set(code, entry);
      });
    });
  });
  const parsed: ParsedImport = { controls: [], faults };
  for (const { raw, requirements, path } of merged.values()) {
    const at: LocatedControl['at'] = (field) => `${path} (${field})`;
    const control = checkFields({ ...raw, requirements }, at, faults);
    if (control) parsed.controls.push({ control, at });
  }
  checkDuplicateCodes(parsed);
  return parsed;
}
