import type { JsonSchema } from '../../api/types.ts';

/** How one top-level setting of a check type is edited, from its JSON Schema. */
export type FieldKind = 'text' | 'longtext' | 'secret' | 'number' | 'boolean' | 'choice' | 'json';
export type ConfigField = { key: string; label: string; kind: FieldKind; required: boolean; options?: string[]; description?: string; placeholder?: string };

const LONG_TEXT = new Set(['query', 'caPem', 'command']);
const REDACTED = '[redacted]';

const words = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()).replace(/\bUrl\b/, 'URL').replace(/\bTls\b/, 'TLS').replace(/\bPem\b/, 'PEM').replace(/^Ca\b/, 'CA').replace(/\bHsts\b/, 'HSTS');

export function fieldsOf(schema: JsonSchema, secretFields: string[]): ConfigField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, p]) => {
    const shownDefault = p.default === undefined ? undefined : typeof p.default === 'object' ? JSON.stringify(p.default) : String(p.default);
    const base = {
      key, label: words(key), required: required.has(key) && p.default === undefined,
      ...(p.description ? { description: p.description } : {}), ...(shownDefault !== undefined ? { placeholder: `Default: ${shownDefault}` } : {}),
    };
    if (secretFields.includes(key)) return { ...base, kind: 'secret' as const };
    if (p.enum) return { ...base, kind: 'choice' as const, options: p.enum.map(String) };
    if (p.type === 'boolean') return { ...base, kind: 'boolean' as const };
    if (p.type === 'number' || p.type === 'integer') return { ...base, kind: 'number' as const };
    if (p.type === 'string') return { ...base, kind: LONG_TEXT.has(key) ? 'longtext' as const : 'text' as const };
    return { ...base, kind: 'json' as const };
  });
}

/** Form values (strings for JSON fields) from a stored, redacted config. */
export function toFormValues(fields: ConfigField[], config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = config[f.key];
    if (f.kind === 'json') out[f.key] = v === undefined ? '' : JSON.stringify(v, null, 2);
    else if (f.kind === 'secret') out[f.key] = '';
    else if (f.kind === 'boolean') out[f.key] = v === true;
    else out[f.key] = v ?? '';
  }
  return out;
}

/**
 * The config to send: empty fields left out, JSON fields parsed, and a secret left empty while a
 * value is stored sent as "[redacted]" so the server keeps it. Errors are keyed by field.
 */
export function toConfig(fields: ConfigField[], values: Record<string, unknown>, stored: string[]): { config: Record<string, unknown>; errors: Record<string, string> } {
  const config: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.kind === 'boolean') { if (v) config[f.key] = true; continue; }
    if (f.kind === 'secret') {
      if (typeof v === 'string' && v) config[f.key] = v;
      else if (stored.includes(f.key)) config[f.key] = REDACTED;
      continue;
    }
    if (v === '' || v === undefined || v === null) { if (f.required) errors[f.key] = `${f.label} is required`; continue; }
    if (f.kind === 'json') {
      try { config[f.key] = JSON.parse(String(v)); } catch { errors[f.key] = 'Enter valid JSON'; }
      continue;
    }
    config[f.key] = v;
  }
  return { config, errors };
}
