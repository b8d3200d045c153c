import { createHash } from 'node:crypto';
import type { JsonObject } from '../ledger/canonical.ts';
import type { evidenceItems } from './evidence.tables.ts';

export type EvidenceRow = typeof evidenceItems.$inferSelect;

export const EVIDENCE_ADDED = 'evidence.added';
export const EVIDENCE_REVIEWED = 'evidence.reviewed';
export const EVIDENCE_PURGED = 'evidence.purged';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * What the evidence log records for an evidence version: everything a verifier needs to tie a
 * file (or link, text, check result) to the controls and period it supports. Rebuilt from the
 * stored row by the log audit, so any later UPDATE of these columns shows as a mismatch.
 */
export function evidenceRecord(row: EvidenceRow, controlIds: readonly string[]): JsonObject {
  return {
    evidenceId: row.id,
    seriesId: row.seriesId,
    version: row.version,
    kind: row.kind,
    title: row.title,
    sha256: row.sha256,
    size: row.size,
    // The ledger's convention for "this entry is about a file": what `attest verify --file` checks.
    file: row.sha256 === null || row.size === null ? null : { sha256: row.sha256, size: row.size },
    mediaType: row.mediaType,
    fileName: row.fileName,
    url: row.url,
    // Text attestations are logged by hash: the log proves the words without publishing them.
    bodySha256: row.body === null ? null : createHash('sha256').update(row.body, 'utf8').digest('hex'),
    checkId: row.checkId,
    checkStatus: row.checkStatus,
    controls: [...controlIds].sort(),
    periodStart: iso(row.periodStart),
    periodEnd: iso(row.periodEnd),
    collectedAt: row.collectedAt.toISOString(),
    collector: { kind: row.collectorKind, userId: row.collectorUserId, label: row.collectorLabel },
  };
}
