/** CSV form of an org's controls: one control a row, lists `;`-separated, requirements as `framework:id`. */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { FieldError } from '../lib/errors.ts';
import { checkDuplicateCodes, checkFields, type ParsedImport, type TransferControl } from './controls.transfer-model.ts';

export const csvColumns = ['code', 'title', 'description', 'owner_email', 'frequency', 'nature', 'automation', 'lifecycle', 'scope', 'requirements'] as const;
type Column = (typeof csvColumns)[number];
const required: Column[] = ['code', 'title', 'frequency', 'nature', 'automation'];
const columnOf: Record<keyof TransferControl, Column> = {
  code: 'code', title: 'title', description: 'description', ownerEmail: 'owner_email', frequency: 'frequency', nature: 'nature',
  automation: 'automation', lifecycle: 'lifecycle', scope: 'scope', requirements: 'requirements',
};

const countNewlines = (s: string) => s.split('\n').length - 1;
const list = (cell: string) => cell.split(';').map((s) => s.trim()).filter(Boolean);
// Requirement ids may contain ':' themselves (rare), so only the first one separates the framework.
const refOf = (item: string) => {
  const i = item.indexOf(':');
  return i > 0 && i < item.length - 1 ? { framework: item.slice(0, i).trim(), id: item.slice(i + 1).trim() } : undefined;
};

export function controlsToCsv(rows: TransferControl[]): string {
  return stringify([
    [...csvColumns],
    ...rows.map((c) => [c.code, c.title, c.description, c.ownerEmail ?? '', c.frequency, c.nature, c.automation, c.lifecycle,
      c.scope.join(';'), c.requirements.map((r) => `${r.framework}:${r.id}`).join(';')]),
  ]);
}

export function parseControlsCsv(text: string): ParsedImport {
  const faults: FieldError[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    const raw = parse(text.replace(/^\uFEFF/, ''), { raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as { record: string[]; raw: string }[];
    // Faults name the line a record starts on (a quoted cell may span lines; skipped blank lines count).
    let newlines = 0;
    records = raw.map((r) => {
      const skipped = countNewlines(r.raw.match(/^(?:\r?\n)+/)?.[0] ?? '');
      const lines = 1 + newlines + skipped;
      newlines += countNewlines(r.raw);
      return { record: r.record, info: { lines } };
    });
  } catch (e) {
    const err = e as { lines?: number; message: string };
    return { controls: [], faults: [{ path: `line ${err.lines ?? 1}`, message: `Not valid CSV: ${err.message}` }] };
  }
  const [header, ...body] = records;
  if (!header) return { controls: [], faults: [{ path: 'line 1', message: 'The file has no header row.' }] };
  const names = header.record.map((h) => h.trim().toLowerCase());
  names.forEach((n, i) => {
    if (!(csvColumns as readonly string[]).includes(n)) faults.push({ path: `line ${header.info.lines}, column ${i + 1}`, message: `Unknown column "${n}". Columns: ${csvColumns.join(', ')}.` });
  });
  for (const r of required) if (!names.includes(r)) faults.push({ path: `line ${header.info.lines}`, message: `Missing column "${r}".` });
  if (faults.length) return { controls: [], faults };

  const parsed: ParsedImport = { controls: [], faults };
  for (const { record, info } of body) {
    const line = info.lines;
    const cell = (c: Column) => {
      const i = names.indexOf(c);
      return i < 0 ? '' : (record[i] ?? '').trim();
    };
    const at = (field: keyof TransferControl) => `line ${line}, column ${columnOf[field]}`;
    if (record.length > names.length) faults.push({ path: `line ${line}`, message: `The row has ${record.length} cells; the header has ${names.length}.` });
    const refs = list(cell('requirements')).map((item) => ({ item, ref: refOf(item) }));
    for (const bad of refs.filter((r) => !r.ref)) faults.push({ path: at('requirements'), message: `"${bad.item}" is not framework:id.` });
    const control = checkFields({
      code: cell('code'), title: cell('title'), description: cell('description'), ownerEmail: cell('owner_email') || null,
      frequency: cell('frequency'), nature: cell('nature'), automation: cell('automation'), lifecycle: cell('lifecycle') || 'draft',
      scope: list(cell('scope')), requirements: refs.flatMap((r) => (r.ref ? [r.ref] : [])),
    }, at, faults);
    if (control) parsed.controls.push({ control, at });
  }
  checkDuplicateCodes(parsed);
  return parsed;
}
