import type { Transact, Repos } from '../db/repos.ts';
import { createGroupCommit, type Settled } from '../lib/group-commit.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../lib/errors.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import { EVIDENCE_ADDED, evidenceRecord, type EvidenceRow } from './evidence.record.ts';
import type { EvidenceMeta } from './evidence.schema.ts';

/** Which of the given control ids exist (and are not retired) in the org. */
export type ControlLookup = { existingIds(orgId: string, ids: readonly string[]): Promise<Set<string>> };
export type Collector = { kind: 'user' | 'token' | 'check' | 'cli'; userId: string | null; label: string };
export type EvidenceContent = Partial<EvidenceRow> & { kind: EvidenceRow['kind'] };
export type WriteJob = { meta: EvidenceMeta; controlIds: string[]; content: EvidenceContent; collector: Collector; status: EvidenceRow['status'] };
export type Written = { row: EvidenceRow; controlIds: string[]; duplicate: boolean };

const DAY = 86_400_000;
/** Enough to absorb a burst of uploads or check results without one transaction growing large. */
const MAX_BATCH = 64;

/**
 * Writes evidence versions and their log entries. Concurrent writes of one org are group-committed
 * (lib/group-commit.ts): one transaction looks up identical content for the whole batch with one
 * query, inserts its new versions and their control links with one statement each, appends all
 * their log entries with one append under the org's log lock, sets their log indexes with one
 * UPDATE and commits once, so a batch costs about ten round trips whatever its size. New versions
 * of an existing series are staged one at a time (they lock and read their series). The log lock
 * is taken last and held only for the append, as on every other path that takes it.
 *
 * A job that fails (an unknown series, a kind mismatch) rolls the batch back; it is rejected with
 * its own error and the others are written again without it. When a statement for many jobs
 * fails, the batch is written again one job at a time, so the error reaches only its own job.
 */
export function createEvidenceWriter(deps: { transact: Transact; ledger: Pick<LedgerService, 'appendManyTx'>; controls: ControlLookup }) {
  const { transact, ledger, controls } = deps;

  async function writeBatch(orgId: string, jobs: WriteJob[]): Promise<Settled<Written>[]> {
    const out: Settled<Written>[] = new Array(jobs.length);
    // The linked controls of the whole batch in one query; a job naming a missing one fails alone.
    const found = await controls.existingIds(orgId, [...new Set(jobs.flatMap((j) => j.controlIds))]);
    let pending: Pending[] = [];
    jobs.forEach((job, at) => {
      const problem = missingControls(job.controlIds, found);
      if (problem) out[at] = { ok: false, error: problem };
      else pending.push({ job, at });
    });
    let together = true;
    while (pending.length) {
      const failed = { at: -1 };
      const bulk = together && pending.length > 1;
      try {
        const written = await transact(async (tx) => {
          const staged = bulk ? await stageTogether(tx, orgId, pending, failed) : await stageOneByOne(tx, orgId, pending, failed);
          const fresh = staged.filter((w) => !w.duplicate);
          if (!fresh.length) return staged;
          const appended = await ledger.appendManyTx(tx, orgId, fresh.map((w) => ({ kind: EVIDENCE_ADDED, record: evidenceRecord(w.row, w.controlIds) })));
          await tx.evidence.setLedgerIndexes(orgId, fresh.map((w, i) => ({ id: w.row.id, index: appended[i]!.index })));
          // Duplicates of a version new in this batch share its row, and so its index.
          const indexOf = new Map(fresh.map((w, i) => [w.row.id, appended[i]!.index]));
          return staged.map((w) => (indexOf.has(w.row.id) ? { ...w, row: { ...w.row, ledgerIndex: indexOf.get(w.row.id)! } } : w));
        });
        pending.forEach(({ at }, i) => { out[at] = { ok: true, value: written[i]! }; });
        return out;
      } catch (e) {
        if (failed.at >= 0) {
          out[failed.at] = { ok: false, error: e };
          pending = pending.filter(({ at }) => at !== failed.at);
        } else if (bulk) {
          together = false;
        } else {
          throw e;
        }
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

type Pending = { job: WriteJob; at: number };

/** The error for evidence linked to controls that do not exist (or are retired); null when all exist. */
export function missingControls(ids: readonly string[], found: ReadonlySet<string>): InvalidInputError | null {
  const missing = ids.filter((id) => !found.has(id));
  return missing.length ? new InvalidInputError('Some linked controls do not exist.', missing.map((id) => ({ path: 'controlIds', message: `No control ${id}` }))) : null;
}

async function stageOneByOne(tx: Repos, orgId: string, pending: Pending[], failed: { at: number }): Promise<Written[]> {
  const staged: Written[] = [];
  for (const { job, at } of pending) {
    failed.at = at;
    staged.push(await stageOne(tx, orgId, job));
  }
  failed.at = -1;
  return staged;
}

/** New versions of a series one by one, then everything else with one lookup and one insert. */
async function stageTogether(tx: Repos, orgId: string, pending: Pending[], failed: { at: number }): Promise<Written[]> {
  const staged: Written[] = new Array(pending.length);
  const plain: number[] = [];
  for (const [i, { job, at }] of pending.entries()) {
    if (!job.meta.seriesId) { plain.push(i); continue; }
    failed.at = at;
    staged[i] = await stageOne(tx, orgId, job);
  }
  failed.at = -1;
  const shas = [...new Set(plain.map((i) => pending[i]!.job.content.sha256).filter((h): h is string => !!h))];
  const held = await tx.evidence.findByShas(orgId, shas);
  const links = await tx.evidence.controlIds(orgId, held.map((r) => r.id));
  const candidates: Written[] = held.map((row) => ({ row, controlIds: links.get(row.id) ?? [], duplicate: true }));
  const inserts: { index: number; values: NewEvidence; controlIds: string[] }[] = [];
  // A later job of this batch with the same file, controls and period is a duplicate of the earlier one.
  const newFiles = new Map<string, { id: string; controlIds: string[] }>();
  const duplicateOfNew: { index: number; of: { id: string; controlIds: string[] } }[] = [];
  for (const i of plain) {
    const { job } = pending[i]!;
    const sha256 = job.content.sha256;
    const same = sha256 ? candidates.find((c) => c.row.sha256 === sha256 && sameContent(c.row, job.content, job.meta) && sameSet(c.controlIds, job.controlIds)) : undefined;
    if (same) { staged[i] = same; continue; }
    const key = sha256 ? fileKey(sha256, job) : null;
    const earlier = key ? newFiles.get(key) : undefined;
    if (earlier) { duplicateOfNew.push({ index: i, of: earlier }); continue; }
    const values = newVersion(orgId, job, crypto.randomUUID(), 1);
    inserts.push({ index: i, values, controlIds: job.controlIds });
    if (key) newFiles.set(key, { id: values.id, controlIds: job.controlIds });
  }
  const rows = await tx.evidence.insertMany(inserts.map((n) => ({ values: n.values, controlIds: n.controlIds })));
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const n of inserts) staged[n.index] = { row: byId.get(n.values.id)!, controlIds: n.controlIds, duplicate: false };
  for (const d of duplicateOfNew) staged[d.index] = { row: byId.get(d.of.id)!, controlIds: d.of.controlIds, duplicate: true };
  return staged;
}

const fileKey = (sha256: string, job: WriteJob) =>
  [sha256, job.meta.periodStart?.getTime() ?? '', job.meta.periodEnd?.getTime() ?? '', [...job.controlIds].sort().join()].join('|');

/** One version; identical content for the same controls and period is the version already held. */
async function stageOne(tx: Repos, orgId: string, job: WriteJob): Promise<Written> {
  const { meta, controlIds, content } = job;
  const seriesId = meta.seriesId;
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
    for (const same of await tx.evidence.findByShas(orgId, [content.sha256])) {
      const links = (await tx.evidence.controlIds(orgId, [same.id])).get(same.id) ?? [];
      if (sameContent(same, content, meta) && sameSet(links, controlIds)) return { row: same, controlIds: links, duplicate: true };
    }
  }
  const [row] = await tx.evidence.insertMany([{ values: newVersion(orgId, job, seriesId ?? crypto.randomUUID(), version), controlIds }]);
  return { row: row!, controlIds, duplicate: false };
}

type NewEvidence = Parameters<Repos['evidence']['insertMany']>[0][number]['values'];

function newVersion(orgId: string, job: WriteJob, seriesId: string, version: number): NewEvidence {
  const { meta, content, collector, status } = job;
  const collectedAt = content.collectedAt ?? new Date();
  return {
    id: crypto.randomUUID(), orgId, seriesId, version,
    title: meta.title, description: meta.description, periodStart: meta.periodStart ?? null, periodEnd: meta.periodEnd ?? null,
    collectedAt, collectorKind: collector.kind, collectorUserId: collector.userId, collectorLabel: collector.label, status,
    retentionUntil: new Date(collectedAt.getTime() + meta.retentionDays * DAY).toISOString().slice(0, 10),
    ...content,
  };
}

function sameContent(row: EvidenceRow, content: EvidenceContent, meta: EvidenceMeta) {
  const sameTime = (a: Date | null, b: Date | undefined) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
  return row.sha256 === (content.sha256 ?? null) && row.url === (content.url ?? null) && row.body === (content.body ?? null)
    && sameTime(row.periodStart, meta.periodStart) && sameTime(row.periodEnd, meta.periodEnd);
}
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
