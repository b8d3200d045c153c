/**
 * Reads an OSCAL catalog or profile from JSON, YAML or XML text and checks it against our
 * model subset. Every failure is an OscalInputError that says where: line and column for
 * syntax, the JSON pointer of the faulty field for model errors (plus the line for YAML and
 * XML, whose parsers keep positions).
 */
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { findJsonSyntaxFault } from './json-syntax.ts';
import { OscalInputError, lineColumn, toPointer } from './oscal.errors.ts';
import { catalogDocumentSchema, profileDocumentSchema, type OscalDocument } from './oscal.schema.ts';
import { oscalXmlToJson } from './xml-to-json.ts';
import { readXml } from './xml-reader.ts';

export type OscalFormat = 'json' | 'yaml' | 'xml';

/** Picks the format from the content (first significant character), the file name breaking ties. */
export function detectFormat(text: string, fileName: string): OscalFormat {
  const first = /\S/.exec(text.replace(/^\uFEFF/, ''))?.[0];
  if (first === '<') return 'xml';
  if (first === '{' || first === '[') return 'json';
  if (/\.xml$/i.test(fileName)) return 'xml';
  return 'yaml';
}

export function parseOscalDocument(text: string, fileName: string): OscalDocument {
  const format = detectFormat(text, fileName);
  let data: unknown;
  // Maps a JSON pointer to a source line, where the format lets us know it.
  let lineOf: (path: readonly PropertyKey[]) => number | undefined = () => undefined;
  if (format === 'json') {
    data = parseJson(text, fileName);
  } else if (format === 'yaml') {
    const counter = new LineCounter();
    const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
    const error = doc.errors[0];
    if (error) {
      const pos = counter.linePos(error.pos[0]);
      throw new OscalInputError(`YAML syntax error: ${error.message.split('\n')[0]}`, { fileName, line: pos.line, column: pos.col });
    }
    data = doc.toJS({ maxAliasCount: 100 });
    lineOf = (path) => {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true);
        if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
      }
      return undefined;
    };
  } else {
    const lines = new Map<object, number>();
    data = oscalXmlToJson(readXml(text, fileName), lines);
    lineOf = (path) => {
      let node: unknown = data;
      let line: number | undefined;
      for (const key of path) {
        if (typeof node !== 'object' || node === null) break;
        line = lines.get(node) ?? line;
        node = (node as Record<PropertyKey, unknown>)[key];
      }
      return (typeof node === 'object' && node !== null ? lines.get(node) : undefined) ?? line;
    };
  }

  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new OscalInputError('Expected an object with a "catalog" or "profile" member.', { fileName, pointer: '' });
  }
  if ('catalog' in data) return { kind: 'catalog', doc: check(catalogDocumentSchema, data, fileName, lineOf).catalog };
  if ('profile' in data) return { kind: 'profile', doc: check(profileDocumentSchema, data, fileName, lineOf).profile };
  const found = Object.keys(data).slice(0, 5).join(', ') || 'nothing';
  throw new OscalInputError(`Not an OSCAL catalog or profile (top level holds ${found}).`, { fileName, pointer: '' });
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const fault = findJsonSyntaxFault(text);
    const offset = fault?.offset ?? Number(/position (\d+)/.exec(String(error))?.[1] ?? 0);
    const detail = fault?.message ?? (error as Error).message;
    throw new OscalInputError(`JSON syntax error: ${detail}`, { fileName, ...lineColumn(text, offset) });
  }
}

function check<S extends z.ZodType>(
  schema: S,
  data: unknown,
  fileName: string,
  lineOf: (path: readonly PropertyKey[]) => number | undefined,
): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new OscalInputError('Invalid OSCAL document.', { fileName, pointer: '' });
  const missing = issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
  const message = missing ? `Required field "${String(issue.path.at(-1))}" is missing.` : issue.message;
  const line = lineOf(issue.path);
  throw new OscalInputError(message, { fileName, pointer: toPointer(issue.path), ...(line !== undefined ? { line } : {}) });
}
