import { createHash } from 'node:crypto';
import type { Repos } from '../db/repos.ts';
import { NotFoundError } from '../lib/errors.ts';
import { sameJson } from '../ledger/canonical.ts';
import type { AuditProblem } from '../ledger/ledger.audit.ts';
import type { RecordVerifier } from '../ledger/ledger.records.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import { EVIDENCE_ADDED, evidenceRecord } from './evidence.record.ts';
import type { BlobPort } from './evidence.service.ts';


/**
 * Ties evidence rows to their log entries: for one item on demand (the UI's verification state),
 * and for the log audit, which hands over every `evidence.added` entry it reads.
 */
export function createEvidenceVerifier(deps: { repos: Repos; blobs: Pick<BlobPort, 'open'>; ledger: Pick<LedgerService, 'entry' | 'latestCheckpoint'> }) {
  const { repos, blobs, ledger } = deps;

  async function hashBlob(sha256: string): Promise<string | null> {
    try {
      const hash = createHash('sha256');
      for await (const chunk of await blobs.open(sha256)) hash.update(chunk as Buffer);
      return hash.digest('hex');
    } catch {
      return null;
    }
  }

  const recordVerifier: RecordVerifier = {
    kinds: [EVIDENCE_ADDED],
    async verify(orgId, entries) {
      const problems: AuditProblem[] = [];
      const ids = entries.map((e) => String(e.record.evidenceId ?? ''));
      const rows = new Map((await repos.evidence.findMany(orgId, ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id)))).map((r) => [r.id, r]));
      const links = await repos.evidence.controlIds(orgId, [...rows.keys()]);
      for (const [i, e] of entries.entries()) {
        const row = rows.get(ids[i]!);
        if (!row) problems.push({ code: 'record_missing', index: e.index, message: `entry ${e.index} describes evidence ${ids[i]} that no longer exists` });
        else if (row.ledgerIndex !== e.index) problems.push({ code: 'record_index_mismatch', index: e.index, message: `evidence ${row.id} points at entry ${row.ledgerIndex}, not ${e.index}` });
        else if (!sameJson(evidenceRecord(row, links.get(row.id) ?? []), e.record)) {
          problems.push({ code: 'record_mismatch', index: e.index, message: `evidence ${row.id} was changed after entry ${e.index} recorded it` });
        }
      }
      return problems;
    },
  };

  return {
    recordVerifier,
    /** The verification state shown beside an evidence item. Files are re-hashed from storage. */
    async verifyItem(orgId: string, id: string) {
      const row = await repos.evidence.find(orgId, id);
      if (!row) throw new NotFoundError('Evidence');
      if (row.ledgerIndex === null) return { ledgerIndex: null, recordMatches: false, checkpointTreeSize: null, fileIntact: null, state: 'not-logged' as const, detail: 'This evidence has no log entry.' };
      const controlIds = (await repos.evidence.controlIds(orgId, [id])).get(id) ?? [];
      const entry = await ledger.entry(orgId, row.ledgerIndex);
      const recordMatches = entry.kind === EVIDENCE_ADDED && entry.parsed !== null && sameJson(entry.parsed.record, evidenceRecord(row, controlIds));
      const cp = await ledger.latestCheckpoint(orgId).catch((e) => { if (e instanceof NotFoundError) return null; throw e; });
      const checkpointTreeSize = cp && cp.treeSize > row.ledgerIndex ? cp.treeSize : null;
      const fileIntact = row.kind === 'file' && row.sha256 && !row.purgedAt ? (await hashBlob(row.sha256)) === row.sha256 : null;
      const state = !recordMatches || fileIntact === false ? 'mismatch' as const : checkpointTreeSize === null ? 'pending-checkpoint' as const : 'verified' as const;
      const detail = !recordMatches ? `The stored evidence no longer matches log entry ${row.ledgerIndex}.`
        : fileIntact === false ? 'The stored file no longer hashes to the SHA-256 in the log.'
          : checkpointTreeSize === null ? `Logged as entry ${row.ledgerIndex}; it will be covered by the next signed checkpoint.`
            : `Entry ${row.ledgerIndex} is included in the checkpoint of size ${checkpointTreeSize}${fileIntact ? ' and the file is intact' : ''}.`;
      return { ledgerIndex: row.ledgerIndex, recordMatches, checkpointTreeSize, fileIntact, state, detail };
    },
  };
}
export type EvidenceVerifier = ReturnType<typeof createEvidenceVerifier>;
