/**
 * `/.well-known/security.txt` (RFC 9116) for an org's Trust Hub host: a generator that refuses
 * what the RFC forbids or advises against, and a strict checker of the format (used by tests and
 * usable on any file). The file is served as `text/plain; charset=utf-8`.
 */
import { InvalidInputError, type FieldError } from '../lib/errors.ts';

export type SecurityTxtInput = {
  contacts: string[];
  expires: Date;
  encryption?: string;
  acknowledgments?: string;
  policy?: string;
  hiring?: string;
  preferredLanguages?: string[];
  canonical: string[];
};

export const SECURITY_TXT_CONTENT_TYPE = 'text/plain; charset=utf-8';
/** The RFC recommends an expiry less than a year ahead, so a forgotten file goes stale visibly. */
export const MAX_EXPIRY_MS = 365 * 24 * 3600 * 1000;

const FIELDS = ['Contact', 'Expires', 'Encryption', 'Acknowledgments', 'Preferred-Languages', 'Canonical', 'Policy', 'Hiring'] as const;
const SCHEMES: Record<string, string[]> = {
  contact: ['mailto:', 'https:', 'tel:'],
  encryption: ['https:', 'openpgp4fpr:', 'dns:'],
  acknowledgments: ['https:'], canonical: ['https:'], policy: ['https:'], hiring: ['https:'],
};
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function securityTxt(input: SecurityTxtInput, now: Date = new Date()): string {
  const errors: FieldError[] = [];
  const uri = (field: string, value: string, path: string) => {
    const problem = uriProblem(field, value);
    if (problem) errors.push({ path, message: problem });
  };
  if (!input.contacts.length) errors.push({ path: 'contacts', message: 'At least one contact is required.' });
  input.contacts.forEach((c, i) => { uri('contact', c, `contacts.${i}`); });
  if (!input.canonical.length) errors.push({ path: 'canonical', message: 'At least one canonical https URI is required.' });
  input.canonical.forEach((c, i) => { uri('canonical', c, `canonical.${i}`); });
  for (const field of ['encryption', 'acknowledgments', 'policy', 'hiring'] as const) {
    const value = input[field];
    if (value !== undefined) uri(field, value, field);
  }
  const expires = input.expires.getTime();
  if (Number.isNaN(expires)) errors.push({ path: 'expires', message: 'Expires must be a valid date.' });
  else if (expires <= now.getTime()) errors.push({ path: 'expires', message: 'Expires must be in the future.' });
  else if (expires - now.getTime() > MAX_EXPIRY_MS) errors.push({ path: 'expires', message: 'Expires must be less than a year ahead.' });
  const languages = input.preferredLanguages ?? [];
  languages.forEach((tag, i) => { if (!isLanguageTag(tag)) errors.push({ path: `preferredLanguages.${i}`, message: `"${tag}" is not a language tag.` }); });
  if (errors.length) throw new InvalidInputError('The security.txt settings are invalid.', errors);

  const lines: string[] = [
    '# Security contact for this organisation; see RFC 9116.',
    ...input.contacts.map((c) => `Contact: ${c}`),
    `Expires: ${input.expires.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
  ];
  if (input.encryption) lines.push(`Encryption: ${input.encryption}`);
  if (input.acknowledgments) lines.push(`Acknowledgments: ${input.acknowledgments}`);
  if (languages.length) lines.push(`Preferred-Languages: ${languages.join(', ')}`);
  lines.push(...input.canonical.map((c) => `Canonical: ${c}`));
  if (input.policy) lines.push(`Policy: ${input.policy}`);
  if (input.hiring) lines.push(`Hiring: ${input.hiring}`);
  return `${lines.join('\n')}\n`;
}

function uriProblem(field: string, value: string): string | null {
  // A line break in a value would let one setting forge other fields.
  if (/[\s<>"]/.test(value)) return 'The URI must not contain spaces, line breaks, <, > or quotes.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'The value is not an absolute URI.';
  }
  const allowed = SCHEMES[field] ?? [];
  if (!allowed.includes(url.protocol)) return `The URI must start with ${allowed.join(' or ')}.`;
  if (url.protocol === 'https:' && !url.hostname) return 'The https URI has no host.';
  if (url.protocol === 'mailto:' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(decodeURIComponent(url.pathname))) return 'The mailto URI has no valid address.';
  if (url.protocol === 'tel:' && !/^\+?[0-9().-]{3,}$/.test(url.pathname)) return 'The tel URI is not a phone number.';
  return null;
}

function isLanguageTag(tag: string): boolean {
  if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/**
 * Everything wrong with a security.txt file as RFC 9116 defines it, plus "strict" choices of
 * ours: unknown fields and PGP-signed files are reported too. An empty list means valid.
 */
export function checkSecurityTxt(text: string, now: Date = new Date()): string[] {
  const problems: string[] = [];
  if (!text.endsWith('\n')) problems.push('The file must end with a line break.');
  if (/\r(?!\n)/.test(text)) problems.push('A carriage return must be followed by a line feed.');
  if (text.includes('-----BEGIN PGP')) problems.push('Signed files are not checked by this strict checker.');
  const counts = new Map<string, number>();
  const lines = text.replace(/\n$/, '').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const at = `line ${i + 1}`;
    if (line === '' || line.startsWith('#')) return;
    const m = /^([A-Za-z0-9-]+): (\S.*)$/.exec(line);
    if (!m) { problems.push(`${at}: expected "Field-Name: value" with exactly one space after the colon.`); return; }
    const [, rawName, value] = m as unknown as [string, string, string];
    const name = FIELDS.find((f) => f.toLowerCase() === rawName.toLowerCase());
    if (!name) { problems.push(`${at}: unknown field "${rawName}".`); return; }
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (/\s$/.test(value)) problems.push(`${at}: trailing whitespace.`);
    if (name === 'Expires') {
      const parsed = parseRfc3339(value);
      if (parsed === null) problems.push(`${at}: Expires is not an RFC 3339 date-time.`);
      else if (parsed <= now.getTime()) problems.push(`${at}: Expires is in the past.`);
    } else if (name === 'Preferred-Languages') {
      for (const tag of value.split(',').map((t) => t.trim())) if (!isLanguageTag(tag)) problems.push(`${at}: "${tag}" is not a language tag.`);
    } else {
      const problem = uriProblem(name.toLowerCase(), value);
      if (problem) problems.push(`${at}: ${name}: ${problem}`);
    }
  });
  if (!counts.get('Contact')) problems.push('Contact must appear at least once.');
  if (counts.get('Expires') !== 1) problems.push(`Expires must appear exactly once (found ${counts.get('Expires') ?? 0}).`);
  if ((counts.get('Preferred-Languages') ?? 0) > 1) problems.push('Preferred-Languages must appear at most once.');
  return problems;
}

/** Epoch milliseconds of an RFC 3339 date-time, or null when the text is not one (Feb 30 included). */
export function parseRfc3339(value: string): number | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59)));
  if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || h > 23 || mi > 59 || s > 60) return null;
  const offset = m[8]!;
  if (offset.length > 1 && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59)) return null;
  const ms = Date.parse(value.toUpperCase().replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? null : ms;
}
