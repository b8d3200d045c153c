import type { Readable } from 'node:stream';
import type { Repos, Transact } from '../db/repos.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { decodeCursor, pageResult } from '../lib/pagination.ts';
import { z } from 'zod';
import type { LedgerService } from '../ledger/ledger.service.ts';
import { EVIDENCE_PURGED, EVIDENCE_REVIEWED, type EvidenceRow } from './evidence.record.ts';
import { createEvidenceWriter, missingControls, type Collector, type ControlLookup, type EvidenceContent } from './evidence.writer.ts';
import type { CreateRecordBody, EvidenceMeta } from './evidence.schema.ts';
import type { EvidenceFilter } from './evidence.repo.ts';

export type { Collector, ControlLookup } from './evidence.writer.ts';

/** The blob store as evidence uses it (content-addressed by SHA-256; see src/storage). */
export type StoredBlobInfo = { sha256: string; size: number; mediaType: string; deduplicated: boolean };
export type BlobPort = {
  put(source: Readable, opts: { maxBytes: number; signal?: AbortSignal }): Promise<StoredBlobInfo>;
  open(sha256: string): Promise<Readable>;
  delete(sha256: string): Promise<unknown>;
};
export type CheckResultInput = { checkId: string; status: 'pass' | 'fail' | 'error'; title: string; output: string; controlIds: string[]; collectedAt: Date };

const cursorShape = z.tuple([z.string(), z.string().uuid()]);

export function createEvidenceService(deps: {
  repos: Repos; transact: Transact; blobs: BlobPort; controls: ControlLookup;
  ledger: Pick<LedgerService, 'appendTx' | 'appendManyTx' | 'entry' | 'latestCheckpoint'>;
}) {
  const { repos, transact, blobs, controls, ledger } = deps;
  const writer = createEvidenceWriter({ transact, ledger, controls });

  async function checkControls(orgId: string, ids: readonly string[]) {
    const unique = [...new Set(ids)];
    const problem = missingControls(unique, await controls.existingIds(orgId, unique));
    if (problem) throw problem;
    return unique;
  }

  /**
   * Writes one evidence version and its log entry (group-committed with concurrent writes of the
   * org, which also checks the linked controls for the whole batch at once); identical content for
   * the same controls and period is not stored twice.
   */
  async function write(orgId: string, meta: EvidenceMeta, content: EvidenceContent, collector: Collector, status: EvidenceRow['status']) {
    return writer.write(orgId, { meta, controlIds: [...new Set(meta.controlIds)], content, collector, status });
  }

  /** Records bytes already in the blob store; if the record cannot be written, bytes no evidence uses are removed again. */
  async function recordFile(orgId: string, input: { blob: StoredBlobInfo; fileName: string; meta: EvidenceMeta }, collector: Collector) {
    const { blob } = input;
    try {
      const r = await write(orgId, input.meta, { kind: 'file', sha256: blob.sha256, size: blob.size, mediaType: blob.mediaType, fileName: input.fileName }, collector, 'submitted');
      return { evidence: view(r.row, r.controlIds), duplicate: r.duplicate };
    } catch (e) {
      await discardBlob(blob);
      throw e;
    }
  }
  async function discardBlob(blob: StoredBlobInfo) {
    if (!blob.deduplicated && !(await repos.evidence.blobStillUsed(blob.sha256))) await blobs.delete(blob.sha256).catch(() => undefined);
  }

  const view = (row: EvidenceRow, controlIds: string[]) => ({
    ...row, controlIds: [...controlIds].sort(),
    collector: { kind: row.collectorKind, userId: row.collectorUserId, label: row.collectorLabel },
  });

  return {
    /** Streams a file into the blob store (nothing is buffered), then records it (the CLI's path). */
    async addFile(orgId: string, input: { source: Readable; fileName: string; maxBytes: number; meta: EvidenceMeta }, collector: Collector) {
      await checkControls(orgId, input.meta.controlIds);
      const blob = await blobs.put(input.source, { maxBytes: input.maxBytes });
      return recordFile(orgId, { blob, fileName: input.fileName, meta: input.meta }, collector);
    },
    recordFile,
    discardBlob,
    /** Waits for evidence writes in progress to commit (shutdown). */
    drain: () => writer.drain(),
    async addRecord(orgId: string, input: CreateRecordBody, collector: Collector) {
      const content = input.kind === 'link' ? { kind: 'link' as const, url: input.url } : { kind: 'text' as const, body: input.body };
      const r = await write(orgId, input.meta, content, collector, 'submitted');
      return { evidence: view(r.row, r.controlIds), duplicate: r.duplicate };
    },
    /** Check results arrive accepted (a machine produced them); failures are evidence too, with their output. */
    async addCheckResult(orgId: string, input: CheckResultInput, collector: Collector) {
      const meta: EvidenceMeta = { title: input.title, description: '', controlIds: input.controlIds, retentionDays: 2557 };
      const r = await write(orgId, meta, { kind: 'check', checkId: input.checkId, checkStatus: input.status, body: input.output, collectedAt: input.collectedAt }, collector, 'accepted');
      return view(r.row, r.controlIds);
    },
    async get(orgId: string, id: string) {
      const row = await repos.evidence.find(orgId, id);
      if (!row) throw new NotFoundError('Evidence');
      return view(row, (await repos.evidence.controlIds(orgId, [id])).get(id) ?? []);
    },
    async list(orgId: string, f: EvidenceFilter & { cursor?: string | undefined; limit: number }) {
      const rows = await repos.evidence.list(orgId, f, decodeCursor(f.cursor, cursorShape), f.limit);
      const links = await repos.evidence.controlIds(orgId, rows.map((r) => r.id));
      const page = pageResult(rows, f.limit, (r) => [r.createdAt.toISOString(), r.id]);
      return { items: page.items.map((r) => view(r, links.get(r.id) ?? [])), nextCursor: page.nextCursor };
    },
    /** Review is four-eyes: whoever submitted a version cannot accept or reject it. */
    async review(orgId: string, id: string, input: { decision: 'accepted' | 'rejected'; reason?: string | undefined }, reviewer: { userId: string }) {
      return transact(async (tx) => {
        const row = await tx.evidence.find(orgId, id);
        if (!row) throw new NotFoundError('Evidence');
        if (row.collectorUserId === reviewer.userId) throw new ForbiddenError('Evidence is reviewed by someone other than the person who submitted it.');
        const updated = await tx.evidence.review(orgId, id, { status: input.decision, reason: input.reason ?? null, reviewedBy: reviewer.userId });
        if (!updated) throw new ConflictError(`This evidence was already ${row.status}.`);
        await ledger.appendTx(tx, orgId, { kind: EVIDENCE_REVIEWED, record: { evidenceId: id, decision: input.decision, reason: input.reason ?? null, reviewerId: reviewer.userId } });
        return view(updated, (await tx.evidence.controlIds(orgId, [id])).get(id) ?? []);
      });
    },
    async setLegalHold(orgId: string, id: string, input: { hold: boolean; reason?: string | undefined }) {
      const row = await repos.evidence.setLegalHold(orgId, id, input.hold, input.hold ? input.reason ?? null : null);
      if (!row) throw new NotFoundError('Evidence');
      return view(row, (await repos.evidence.controlIds(orgId, [id])).get(id) ?? []);
    },
    async openFile(orgId: string, id: string) {
      const row = await repos.evidence.find(orgId, id);
      if (!row || row.kind !== 'file' || !row.sha256) throw new NotFoundError('Evidence file');
      if (row.purgedAt) throw new ConflictError('The file was deleted at the end of its retention period.');
      return { row, stream: await blobs.open(row.sha256) };
    },
    /** Deletes files past retention (never on legal hold); the row and its log entry stay, and the purge is logged. */
    async purgeDue(now = new Date()) {
      let purged = 0;
      for (const row of await repos.evidence.dueForPurge(now.toISOString().slice(0, 10), 500)) {
        const done = await transact(async (tx) => {
          if (!(await tx.evidence.markPurged(row.orgId, row.id))) return false;
          await ledger.appendTx(tx, row.orgId, { kind: EVIDENCE_PURGED, record: { evidenceId: row.id, sha256: row.sha256, retentionUntil: row.retentionUntil } });
          return true;
        });
        if (done && row.sha256 && !(await repos.evidence.blobStillUsed(row.sha256))) await blobs.delete(row.sha256);
        if (done) purged++;
      }
      return purged;
    },
  };
}
export type EvidenceService = ReturnType<typeof createEvidenceService>;
