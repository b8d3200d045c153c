/**
 * NDA versions and click-through acceptances for gated Trust Hub documents. A version is named
 * by the SHA-256 of its exact UTF-8 bytes (no trimming or normalising: what the visitor was shown
 * is what gets hashed), and each acceptance becomes an evidence-log record that names that hash.
 */
import crypto from 'node:crypto';
import type { JsonObject } from '../ledger/canonical.ts';
import { InvalidInputError } from '../lib/errors.ts';
import { trustLimits } from './trust.schema.ts';

/** Ledger entry kind for an acceptance (fits canonical.ts's kind alphabet). */
export const NDA_ACCEPTANCE_KIND = 'trust.nda.accepted';
// The request schema caps the text in characters; a UTF-8 character is at most 4 bytes.
export const NDA_TEXT_MAX_BYTES = 4 * trustLimits.ndaTextMax;

export type NdaVersion = { sha256: string; label: string };
export type AcceptanceInput = {
  name: string; email: string; company: string; acceptedAt: Date; ndaVersion: string; ndaSha256: string;
  documentId?: string; ip?: string; userAgent?: string;
};

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function ndaVersion(text: string, label: string): NdaVersion {
  // A lone surrogate has no UTF-8 form; encoding would silently swap in U+FFFD and hash other bytes.
  if (!text.isWellFormed()) throw new InvalidInputError('The NDA text contains invalid Unicode.', [{ path: 'text', message: 'Invalid Unicode.' }]);
  const bytes = Buffer.from(text, 'utf8');
  if (text.trim() === '') throw new InvalidInputError('The NDA text is empty.', [{ path: 'text', message: 'Enter the NDA text.' }]);
  if (bytes.length > NDA_TEXT_MAX_BYTES) throw new InvalidInputError(`The NDA text is larger than ${NDA_TEXT_MAX_BYTES} bytes.`, [{ path: 'text', message: 'Too long.' }]);
  const trimmedLabel = label.trim();
  if (!trimmedLabel || trimmedLabel.length > 80) throw new InvalidInputError('The NDA version label must be 1-80 characters.', [{ path: 'label', message: 'Use 1-80 characters.' }]);
  return { sha256: crypto.createHash('sha256').update(bytes).digest('hex'), label: trimmedLabel };
}

/** The JSON record appended to the evidence log; optional fields are left out, never undefined. */
export function acceptanceRecord(input: AcceptanceInput): JsonObject {
  const problems: { path: string; message: string }[] = [];
  if (Number.isNaN(input.acceptedAt.getTime())) problems.push({ path: 'acceptedAt', message: 'Not a valid date.' });
  if (!SHA256_HEX.test(input.ndaSha256)) problems.push({ path: 'ndaSha256', message: 'Must be 64 lower-case hex digits.' });
  for (const key of ['name', 'email', 'company', 'ndaVersion'] as const) {
    if (!input[key].trim()) problems.push({ path: key, message: 'Required.' });
  }
  for (const key of ['name', 'email', 'company', 'ndaVersion', 'documentId', 'ip', 'userAgent'] as const) {
    const value = input[key];
    if (value !== undefined && !value.isWellFormed()) problems.push({ path: key, message: 'Invalid Unicode.' });
  }
  if (problems.length) throw new InvalidInputError('The NDA acceptance is incomplete.', problems);
  const record: JsonObject = {
    name: input.name, email: input.email, company: input.company, acceptedAt: input.acceptedAt.toISOString(),
    ndaVersion: input.ndaVersion, ndaSha256: input.ndaSha256,
  };
  if (input.documentId !== undefined) record.documentId = input.documentId;
  if (input.ip !== undefined) record.ip = input.ip;
  // Browsers send long user agents; the log keeps enough to identify one.
  if (input.userAgent !== undefined) record.userAgent = input.userAgent.slice(0, 512);
  return record;
}
