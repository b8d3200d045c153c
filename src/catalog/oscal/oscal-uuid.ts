/**
 * Name-based (RFC 9562 version 5) UUIDs, so that exporting the same framework version or
 * resolving the same profile twice yields the same document uuid: exports are reproducible
 * and a re-import recognises its own output.
 */
import { createHash } from 'node:crypto';

/** Attest's own namespace for OSCAL document uuids (a fixed random v4 uuid). */
export const ATTEST_OSCAL_NAMESPACE = '5b0e6c1d-8f52-4a7e-9d3b-2c61f0a4e9b7';

export function uuidV5(name: string, namespace = ATTEST_OSCAL_NAMESPACE): string {
  const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
