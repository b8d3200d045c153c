/**
 * Converts an OSCAL XML catalog or profile into the OSCAL JSON model shape, so the rest of the
 * library has one model to validate and resolve.
 *
 * Supported subset (documented because the XML/JSON mapping is model-driven in OSCAL and we do
 * not load the metaschema): element names map to JSON keys, repeated elements to the plural
 * arrays listed in PLURAL, attributes to string fields, leaf elements to strings. Markup (part
 * prose, guideline, description, remarks) becomes Markdown-like text: paragraphs, lists, inline
 * em/strong/code/a/q, and `<insert type="param" id-ref="x"/>` becomes `{{ insert: param, x }}`,
 * exactly as in OSCAL JSON. Tables and headings are flattened to text.
 * `lines` records the source line of every object built, for error locations.
 */
import type { XmlElement, XmlNode } from './xml-reader.ts';

const PLURAL: Record<string, string> = {
  prop: 'props', link: 'links', part: 'parts', param: 'params', control: 'controls', group: 'groups',
  value: 'values', choice: 'choice', guideline: 'guidelines', resource: 'resources', rlink: 'rlinks',
  import: 'imports', 'include-controls': 'include-controls', 'exclude-controls': 'exclude-controls',
  'with-id': 'with-ids', matching: 'matching', 'set-parameter': 'set-parameters', alter: 'alters', add: 'adds',
  remove: 'removes', role: 'roles', party: 'parties', 'responsible-party': 'responsible-parties',
  'party-uuid': 'party-uuids', location: 'locations', revision: 'revisions', 'document-id': 'document-ids',
  constraint: 'constraints', test: 'tests', 'email-address': 'email-addresses', 'telephone-number': 'telephone-numbers',
  address: 'addresses', 'addr-line': 'addr-lines', 'location-uuid': 'location-uuids', hash: 'hashes',
  'member-of-organization': 'member-of-organizations', 'responsible-role': 'responsible-roles',
};
/** Elements whose content is markup-multiline (block markup). */
const MULTILINE = new Set(['description', 'remarks', 'purpose', 'usage', 'text']);
/** Elements whose content is markup-line (inline markup only). */
const INLINE = new Set(['title', 'label', 'choice']);
const EMPTY_OBJECTS = new Set(['include-all', 'flat', 'custom']);
const BLOCKS = new Set(['p', 'ul', 'ol', 'li', 'table', 'tr', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'blockquote']);

type Json = string | boolean | Json[] | { [key: string]: Json };

export function oscalXmlToJson(root: XmlElement, lines: Map<object, number>): Record<string, unknown> {
  return { [root.name]: convert(root, lines) };
}

function convert(el: XmlElement, lines: Map<object, number>): Json {
  if (INLINE.has(el.name)) return inline(el.children).trim();
  if (MULTILINE.has(el.name)) return blocks(el.children);
  if (el.name === 'as-is') return inline(el.children).trim() === 'true';
  const elements = el.children.filter((c): c is XmlElement => typeof c !== 'string');
  const hasAttrs = Object.keys(el.attrs).length > 0;
  if (!hasAttrs && elements.length === 0 && !EMPTY_OBJECTS.has(el.name)) return inline(el.children).trim();

  const out: { [key: string]: Json } = { ...el.attrs };
  lines.set(out, el.line);
  // part and guideline mix structure with prose blocks; the blocks become one `prose` field.
  const proseNodes: XmlNode[] = [];
  for (const child of elements) {
    if (BLOCKS.has(child.name) || child.name === 'insert') {
      proseNodes.push(child);
      continue;
    }
    const key = PLURAL[child.name];
    const value = convert(child, lines);
    if (key) {
      const list = (out[key] as Json[] | undefined) ?? [];
      list.push(value);
      out[key] = list;
    } else {
      out[child.name] = value;
    }
  }
  if (proseNodes.length > 0) out.prose = blocks(proseNodes);
  return out;
}

function blocks(nodes: XmlNode[]): string {
  const out: string[] = [];
  for (const node of nodes) {
    if (typeof node === 'string') {
      if (node.trim()) out.push(node.trim());
    } else if (node.name === 'ul' || node.name === 'ol') {
      const items = node.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === 'li');
      out.push(items.map((li, n) => `${node.name === 'ol' ? `${n + 1}.` : '-'} ${inline(li.children).trim()}`).join('\n'));
    } else if (node.name === 'table') {
      out.push(flatText(node));
    } else if (/^h[1-6]$/.test(node.name)) {
      out.push(`${'#'.repeat(Number(node.name[1]))} ${inline(node.children).trim()}`);
    } else if (BLOCKS.has(node.name)) {
      out.push(inline(node.children).trim());
    } else {
      out.push(inline([node]).trim());
    }
  }
  return out.filter(Boolean).join('\n\n');
}

function inline(nodes: XmlNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (typeof node === 'string') {
      out += node.replace(/\s+/g, ' ');
      continue;
    }
    const inner = () => inline(node.children);
    switch (node.name) {
      case 'insert':
        out += `{{ insert: ${node.attrs.type ?? 'param'}, ${node.attrs['id-ref'] ?? ''} }}`;
        break;
      case 'em':
      case 'i':
        out += `*${inner()}*`;
        break;
      case 'strong':
      case 'b':
        out += `**${inner()}**`;
        break;
      case 'code':
        out += `\`${inner()}\``;
        break;
      case 'q':
        out += `"${inner()}"`;
        break;
      case 'a':
        out += node.attrs.href ? `[${inner()}](${node.attrs.href})` : inner();
        break;
      default:
        out += inner();
    }
  }
  return out;
}

function flatText(el: XmlElement): string {
  return el.children
    .map((c) => (typeof c === 'string' ? c.trim() : flatText(c)))
    .filter(Boolean)
    .join(el.name === 'tr' ? ' | ' : '\n');
}
