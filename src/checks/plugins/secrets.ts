import type { CheckPlugin } from './check-plugin.ts';

export const REDACTED = '[redacted]';

/** Every secret string in a config, by the plug-in's secretFields paths (with `*` for record keys). */
export function secretValues(plugin: Pick<CheckPlugin, 'secretFields'>, config: unknown): string[] {
  const found: string[] = [];
  for (const path of plugin.secretFields) collect(config, path.split('.'), found);
  // A connection URL names its password inside; a driver's message may quote just that part.
  for (const value of [...found]) {
    try {
      const url = new URL(value);
      if (url.password) found.push(decodeURIComponent(url.password), url.password);
    } catch { /* not a URL */ }
  }
  return [...new Set(found.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
}

function collect(node: unknown, path: string[], out: string[]): void {
  if (node === null || typeof node !== 'object') {
    if (path.length === 0 && (typeof node === 'string' || typeof node === 'number')) out.push(String(node));
    return;
  }
  if (path.length === 0) return;
  const [head, ...rest] = path;
  const record = node as Record<string, unknown>;
  const keys = head === '*' ? Object.keys(record) : [head!];
  for (const key of keys) {
    const child = record[key];
    if (child === undefined || child === null) continue;
    if (rest.length === 0 && typeof child !== 'object') out.push(String(child));
    else collect(child, rest, out);
  }
}

/** A copy of the config with every secret field replaced by REDACTED (for API responses and logs). */
export function redactConfig<T>(plugin: Pick<CheckPlugin, 'secretFields'>, config: T): T {
  const copy = structuredClone(config);
  for (const path of plugin.secretFields) overwrite(copy, path.split('.'));
  return copy;
}

function overwrite(node: unknown, path: string[]): void {
  if (node === null || typeof node !== 'object' || path.length === 0) return;
  const [head, ...rest] = path;
  const record = node as Record<string, unknown>;
  for (const key of head === '*' ? Object.keys(record) : [head!]) {
    if (record[key] === undefined || record[key] === null) continue;
    if (rest.length === 0) record[key] = REDACTED;
    else overwrite(record[key], rest);
  }
}

/** Replaces every occurrence of each secret in the text. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(REDACTED);
  return out;
}
