import type { CheckPlugin } from './check-plugin.ts';

/**
 * Secret config fields, by the plug-in's secretFields paths: the checks service stores the
 * config with them redacted and the values encrypted apart (extractSecrets / restoreSecrets),
 * the API answers redactConfig, and runCheck scrubs secretValues from every outcome.
 */
export const REDACTED = '[redacted]';

type Plugin = Pick<CheckPlugin, 'secretFields'>;
/** One secret value and where it sits in the config, e.g. { path: ['secretHeaders', 'Authorization'], value: 'Bearer …' }. */
export type SecretEntry = { path: string[]; value: string };

/** The concrete paths of the secret values present in a config (`*` expanded to every key). */
function secretPaths(plugin: Plugin, config: unknown): string[][] {
  const out: string[][] = [];
  const walk = (node: unknown, pattern: string[], at: string[]) => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    const [head, ...rest] = pattern;
    const record = node as Record<string, unknown>;
    for (const key of head === '*' ? Object.keys(record) : [head!]) {
      const child = record[key];
      if (child === undefined || child === null) continue;
      if (rest.length) walk(child, rest, [...at, key]);
      else if (typeof child === 'string' || typeof child === 'number') out.push([...at, key]);
    }
  };
  for (const p of plugin.secretFields) walk(config, p.split('.'), []);
  return out;
}

function get(node: unknown, path: string[]): unknown {
  return path.reduce<unknown>((n, k) => (n !== null && typeof n === 'object' ? (n as Record<string, unknown>)[k] : undefined), node);
}
function set(node: unknown, path: string[], value: unknown): void {
  const parent = get(node, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object') (parent as Record<string, unknown>)[path.at(-1)!] = value;
}

/** Every secret string in a config, longest first, for scrubbing text. */
export function secretValues(plugin: Plugin, config: unknown): string[] {
  const found = secretPaths(plugin, config).map((p) => String(get(config, p)));
  // A connection URL names its password inside; a driver's message may quote just that part.
  for (const value of [...found]) {
    try {
      const url = new URL(value);
      if (url.password) found.push(decodeURIComponent(url.password), url.password);
    } catch { /* not a URL */ }
  }
  return [...new Set(found.filter((s) => s.length > 0 && s !== REDACTED))].sort((a, b) => b.length - a.length);
}

/** A copy of the config with every secret field replaced by REDACTED (for API responses and logs). */
export function redactConfig<T>(plugin: Plugin, config: T): T {
  return extractSecrets(plugin, config).config;
}

/** Splits a config into its redacted form (stored as is) and the secret values (stored encrypted). */
export function extractSecrets<T>(plugin: Plugin, config: T): { config: T; secrets: SecretEntry[] } {
  const copy = structuredClone(config);
  const secrets = secretPaths(plugin, config).map((path) => ({ path, value: String(get(config, path)) }));
  for (const s of secrets) set(copy, s.path, REDACTED);
  return { config: copy, secrets };
}

/** The runnable config again, from the redacted one and the decrypted secrets. */
export function restoreSecrets<T>(config: T, secrets: readonly SecretEntry[]): T {
  const copy = structuredClone(config);
  for (const s of secrets) set(copy, s.path, s.value);
  return copy;
}

/**
 * For an update sent by a client that only ever saw REDACTED: every secret field still
 * saying REDACTED keeps its stored value. Returns the paths that said REDACTED with no stored
 * value behind them (the caller rejects those as missing).
 */
export function keepUnchangedSecrets<T>(plugin: Plugin, incoming: T, stored: readonly SecretEntry[]): { config: T; missing: string[] } {
  const copy = structuredClone(incoming);
  const missing: string[] = [];
  for (const path of secretPaths(plugin, incoming)) {
    if (get(incoming, path) !== REDACTED) continue;
    const kept = stored.find((s) => s.path.join('\0') === path.join('\0'));
    if (kept) set(copy, path, kept.value);
    else missing.push(path.join('.'));
  }
  return { config: copy, missing };
}

/** Replaces every occurrence of each secret in the text. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(REDACTED);
  return out;
}
