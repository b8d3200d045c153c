/**
 * A small, strict XML reader for OSCAL documents: elements, attributes, text, CDATA, comments,
 * processing instructions and the predefined/numeric entities. It keeps each element's line so
 * model errors can point at the source, which general-purpose XML-to-object converters drop.
 * DTDs are rejected rather than interpreted (no entity expansion, so no billion-laughs).
 * Namespace prefixes are stripped: OSCAL uses a single namespace.
 */
import { OscalInputError, lineColumn } from './oscal.errors.ts';

export type XmlNode = XmlElement | string;
export type XmlElement = { name: string; attrs: Record<string, string>; children: XmlNode[]; line: number };

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][\w.:-]*/;

export function readXml(text: string, fileName: string): XmlElement {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new OscalInputError(message, { fileName, ...lineColumn(text, at) });
  };
  const decode = (raw: string, at: number) =>
    raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);?/g, (whole, ent: string) => {
      if (!whole.endsWith(';')) fail(`Unterminated entity "${whole}".`, at);
      if (ent.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ent.slice(2), 16));
      if (ent.startsWith('#')) return String.fromCodePoint(Number.parseInt(ent.slice(1), 10));
      return ENTITIES[ent] ?? fail(`Unknown entity "&${ent};".`, at);
    });
  const skipMisc = () => {
    for (;;) {
      while (/\s/.test(text[i] ?? '')) i++;
      if (text.startsWith('<?', i)) i = endOf('?>', 'processing instruction');
      else if (text.startsWith('<!--', i)) i = endOf('-->', 'comment');
      else if (text.startsWith('<!DOCTYPE', i)) fail('DTDs are not supported in OSCAL XML.');
      else return;
    }
  };
  const endOf = (close: string, what: string) => {
    const end = text.indexOf(close, i);
    if (end < 0) fail(`Unterminated ${what}.`);
    return end + close.length;
  };
  const local = (qname: string) => qname.slice(qname.indexOf(':') + 1);

  const element = (): XmlElement => {
    const start = i;
    i++;
    const qname = NAME.exec(text.slice(i, i + 200))?.[0] ?? fail('Expected an element name.');
    i += qname.length;
    const el: XmlElement = { name: local(qname), attrs: {}, children: [], line: lineColumn(text, start).line };
    for (;;) {
      while (/\s/.test(text[i] ?? '')) i++;
      if (text.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (text[i] === '>') break;
      const attr = NAME.exec(text.slice(i, i + 200))?.[0] ?? fail(`Malformed attribute in <${qname}>.`);
      i += attr.length;
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i] !== '=') fail(`Expected "=" after attribute ${attr}.`);
      i++;
      while (/\s/.test(text[i] ?? '')) i++;
      const quote = text[i];
      if (quote !== '"' && quote !== "'") fail(`Attribute ${attr} needs a quoted value.`);
      const end = text.indexOf(quote as string, i + 1);
      if (end < 0) fail(`Unterminated value of attribute ${attr}.`);
      if (!attr.startsWith('xmlns')) el.attrs[local(attr)] = decode(text.slice(i + 1, end), i);
      i = end + 1;
    }
    i++;
    for (;;) {
      if (i >= text.length) fail(`Element <${qname}> is not closed.`, start);
      if (text.startsWith('</', i)) {
        const close = NAME.exec(text.slice(i + 2, i + 202))?.[0];
        if (close !== qname) fail(`Expected </${qname}> (opened on line ${el.line}).`);
        i = endOf('>', 'end tag');
        return el;
      }
      if (text.startsWith('<!--', i)) i = endOf('-->', 'comment');
      else if (text.startsWith('<![CDATA[', i)) {
        const end = endOf(']]>', 'CDATA section');
        el.children.push(text.slice(i + 9, end - 3));
        i = end;
      } else if (text.startsWith('<?', i)) i = endOf('?>', 'processing instruction');
      else if (text[i] === '<') el.children.push(element());
      else {
        const end = text.indexOf('<', i);
        const stop = end < 0 ? text.length : end;
        el.children.push(decode(text.slice(i, stop), i));
        i = stop;
      }
    }
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1;
  skipMisc();
  if (text[i] !== '<') fail('Expected the root element.');
  const root = element();
  skipMisc();
  if (i < text.length) fail('Unexpected content after the root element.');
  return root;
}
