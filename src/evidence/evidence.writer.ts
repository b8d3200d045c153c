import type { Transact, Repos } from '../db/repos.ts';
import { createGroupCommit, type Settled } from '../lib/group-commit.ts';
import { ConflictError, NotFoundError } from '../lib/errors.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import { EVIDENCE_ADDED, evidenceRecord, type EvidenceRow } from './evidence.record.ts';
import type { EvidenceMeta } from './evidence.schema.ts';

export type Collector = { kind: 'user' | 'token' | 'check' | 'cli'; userId: string | null; label: string };
export type EvidenceContent = Partial<EvidenceRow> & { kind: EvidenceRow['kind'] };
export type WriteJob = { meta: EvidenceMeta; controlIds: string[]; content: EvidenceContent; collector: Collector; status: EvidenceRow['status'] };
export type Written = { row: EvidenceRow; controlIds: string[]; duplicate: boolean };

const DAY = 86_400_000;
/** Enough to absorb a burst of uploads or check results without one transaction growing large. */
const MAX_BATCH = 64;

/**
 * Writes evidence versions and their log entries. Concurrent writes of one org are group-committed
 * (lib/group-commit.ts): one transaction inserts every version of the batch, appends all their log
 * entries with one append under the org's log lock, sets their log indexes with one UPDATE and
 * commits once. The log lock is taken last and held only for the append, as on every other path
 * that takes it. A job that fails (an unknown series, a kind mismatch) rolls the batch back; it
 * is rejected with its own error and the others are written again without it.
 */
export function createEvidenceWriter(deps: { transact: Transact; ledger: Pick<LedgerService, 'appendManyTx'> }) {
  const { transact, ledger } = deps;

  async function writeBatch(orgId: string, jobs: WriteJob[]): Promise<Settled<Written>[]> {
    const out: Settled<Written>[] = new Array(jobs.length);
    let pending = jobs.map((job, at) => ({ job, at }));
    while (pending.length) {
      const failed = { at: -1 };
      try {
        const written = await transact(async (tx) => {
          const staged: Written[] = [];
          for (const { job, at } of pending) {
            try {
              staged.push(await stage(tx, orgId, job));
            } catch (e) {
              failed.at = at;
              out[at] = { ok: false, error: e };
              throw e;
            }
          }
          const fresh = staged.filter((w) => !w.duplicate);
          if (!fresh.length) return staged;
          const appended = await ledger.appendManyTx(tx, orgId, fresh.map((w) => ({ kind: EVIDENCE_ADDED, record: evidenceRecord(w.row, w.controlIds) })));
          await tx.evidence.setLedgerIndexes(orgId, fresh.map((w, i) => ({ id: w.row.id, index: appended[i]!.index })));
          fresh.forEach((w, i) => { w.row = { ...w.row, ledgerIndex: appended[i]!.index }; });
          return staged;
        });
        pending.forEach(({ at }, i) => { out[at] = { ok: true, value: written[i]! }; });
        return out;
      } catch (e) {
        if (failed.at < 0) throw e;
        pending = pending.filter(({ at }) => at !== failed.at);
      }
    }
    return out;
  }

  const group = createGroupCommit<WriteJob, Written>({ maxBatch: MAX_BATCH, run: writeBatch });

  return {
    /** Resolves once the version (or the identical one already held) is committed with its log entry. */
    write: (orgId: string, job: WriteJob): Promise<Written> => group.submit(orgId, job),
    drain: () => group.drain(),
  };
}
export type EvidenceWriter = ReturnType<typeof createEvidenceWriter>;

/** One version inside the batch's transaction; identical content for the same controls and period is the version already held. */
async function stage(tx: Repos, orgId: string, job: WriteJob): Promise<Written> {
  const { meta, controlIds, content, collector, status } = job;
  let seriesId = meta.seriesId;
  let version = 1;
  if (seriesId) {
    await tx.evidence.lockSeries(orgId, seriesId);
    const latest = await tx.evidence.latestInSeries(orgId, seriesId);
    if (!latest) throw new NotFoundError('Evidence series');
    if (latest.kind !== content.kind) throw new ConflictError(`A new version must be ${latest.kind} evidence like the earlier ones.`);
    const latestControls = (await tx.evidence.controlIds(orgId, [latest.id])).get(latest.id) ?? [];
    if (sameContent(latest, content, meta) && sameSet(latestControls, controlIds)) return { row: latest, controlIds: latestControls, duplicate: true };
    version = latest.version + 1;
  } else if (content.sha256) {
    // The same file uploaded again for the same controls and period is the evidence already held.
    for (const same of await tx.evidence.findBySha(orgId, content.sha256)) {
      const links = (await tx.evidence.controlIds(orgId, [same.id])).get(same.id) ?? [];
      if (sameContent(same, content, meta) && sameSet(links, controlIds)) return { row: same, controlIds: links, duplicate: true };
    }
  }
  const collectedAt = content.collectedAt ?? new Date();
  const row = await tx.evidence.insert({
    orgId, seriesId: seriesId ?? crypto.randomUUID(), version,
    title: meta.title, description: meta.description, periodStart: meta.periodStart ?? null, periodEnd: meta.periodEnd ?? null,
    collectedAt, collectorKind: collector.kind, collectorUserId: collector.userId, collectorLabel: collector.label, status,
    retentionUntil: new Date(collectedAt.getTime() + meta.retentionDays * DAY).toISOString().slice(0, 10),
    ...content,
  }, controlIds);
  return { row, controlIds, duplicate: false };
}

function sameContent(row: EvidenceRow, content: EvidenceContent, meta: EvidenceMeta) {
  const sameTime = (a: Date | null, b: Date | undefined) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
  return row.sha256 === (content.sha256 ?? null) && row.url === (content.url ?? null) && row.body === (content.body ?? null)
    && sameTime(row.periodStart, meta.periodStart) && sameTime(row.periodEnd, meta.periodEnd);
}
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
