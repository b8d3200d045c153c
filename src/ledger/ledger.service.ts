import type { Repos, Transact } from '../db/repos.ts';
import { InvalidInputError, NotFoundError } from '../lib/errors.ts';
import { canonicalEntry, parseEntry, type JsonObject, type LedgerEntry } from './canonical.ts';
import { encodeVerifierKey, generateKeyPair, keyId as keyIdOf, parseCheckpointText, signCheckpoint } from './checkpoint.ts';
import { LedgerFormatError, toBase64 } from './codec.ts';
import { openPrivateKey, sealPrivateKey } from './key-seal.ts';
import { buildBundle } from './bundle.ts';
import type { EvidenceBundle } from './bundle.schema.ts';
import { EMPTY_ROOT, compactRangeNodes, consistencyProofNodes, consistencyProofRanges, inclusionProofNodes, inclusionProofRanges, rangeRoot, subtreeHashFromNodes, type CompactRange, type Hash, type NodeId } from './merkle.ts';
import type { LedgerAuditRow, LedgerCheckpointRow } from './ledger.repo.ts';
import type { AuditTrigger } from './ledger.tables.ts';
import { createAppendQueue, type AppendResult } from './ledger.append-queue.ts';
import { auditLog, type AuditProblem, type AuditReport } from './ledger.audit.ts';
import { verifyRecords, withRecordProblems, type RecordVerifier } from './ledger.records.ts';

/**
 * The evidence log on PostgreSQL, one Merkle tree per org (RFC 9162), with C2SP checkpoints
 * signed by the org's Ed25519 key. Checkpoint origin (and key name): `<public URL hostname>/attest/<org slug>`.
 * Appends are batched by the append queue (ledger.append-queue.ts).
 */

export type AppendInput = { kind: string; record: JsonObject };
export type { AppendResult } from './ledger.append-queue.ts';
export type { AuditProblem, AuditReport } from './ledger.audit.ts';
/** A recorded audit run; `problems` holds at most AUDIT_PROBLEMS_KEPT of the `problemCount` found. */
export type AuditRecord = {
  id: string; orgId: string; trigger: AuditTrigger; startedAt: Date; finishedAt: Date; treeSize: number; rootHash: string;
  checkpoints: number; ok: boolean; problemCount: number; problems: AuditProblem[];
};

/** A tampered log can yield a problem per entry; a stored run keeps the first ones (the audit itself reports all). */
export const AUDIT_PROBLEMS_KEPT = 100;

const nodeKey = (level: number, idx: number) => `${level}/${idx}`;

export function createLedgerService(deps: { repos: Repos; transact: Transact; instanceKey: string; publicUrl: () => string }) {
  const { repos, transact } = deps;
  const appender = createAppendQueue({ transact, compactRange });
  const recordVerifiers: RecordVerifier[] = [];
  /** Per org, the tree size the last default inclusion proof used: its nodes are fetched in the same round trip as the size. */
  const proofSizes = new Map<string, number>();

  function toEntryBytes(input: AppendInput): Buffer {
    try {
      return canonicalEntry({ kind: input.kind, time: new Date().toISOString(), record: input.record });
    } catch (e) {
      if (e instanceof LedgerFormatError) throw new InvalidInputError(e.message);
      throw e;
    }
  }

  async function compactRange(r: Repos, orgId: string, size: number): Promise<CompactRange> {
    const ids = compactRangeNodes(size);
    const found = await r.ledger.nodes(orgId, ids);
    return { size, hashes: ids.map((n) => mustNode(found, n)) };
  }

  function mustNode(found: Map<string, Buffer>, n: NodeId): Hash {
    const h = found.get(nodeKey(n.level, n.index));
    if (!h) throw new Error(`ledger node (${n.level}, ${n.index}) is missing; run "attest log audit"`);
    return h;
  }

  async function treeSize(orgId: string) {
    return repos.ledger.size(orgId);
  }

  async function rootAt(orgId: string, size: number, extra: NodeId[] = []) {
    if (size === 0) return { root: EMPTY_ROOT, nodes: new Map<string, Buffer>() };
    const found = await repos.ledger.nodes(orgId, [...compactRangeNodes(size), ...extra]);
    return { root: rangeRoot({ size, hashes: compactRangeNodes(size).map((n) => mustNode(found, n)) }), nodes: found };
  }

  async function orgOf(orgId: string) {
    const org = await repos.orgs.findOrg(orgId);
    if (!org) throw new NotFoundError('Organization');
    return org;
  }

  const originFor = (slug: string) => `${new URL(deps.publicUrl()).hostname}/attest/${slug}`;
  const sealContext = (orgId: string) => `ledger-key:${orgId}`;

  async function createKey(r: Repos, orgId: string, name: string) {
    const pair = generateKeyPair();
    const id = keyIdOf(name, pair.publicKey).toString('hex');
    await r.ledger.insertKey({ orgId, keyId: id, name, publicKey: pair.publicKey, sealedPrivateKey: sealPrivateKey(pair.privateKey, deps.instanceKey, sealContext(orgId)) });
    return { keyId: id, name, privateKey: pair.privateKey };
  }

  /** The org's active signing key, created on first use. */
  async function signer(orgId: string, origin: string) {
    return transact(async (tx) => {
      await tx.ledger.lockKeys(orgId);
      const key = await tx.ledger.activeKey(orgId);
      if (!key) return createKey(tx, orgId, origin);
      return { keyId: key.keyId, name: key.name, privateKey: openPrivateKey(key.sealedPrivateKey, deps.instanceKey, sealContext(orgId)) };
    });
  }

  function checkpointView(row: LedgerCheckpointRow) {
    return { treeSize: row.treeSize, rootHash: toBase64(row.rootHash), note: row.note, keyId: row.keyId, createdAt: row.createdAt };
  }

  function auditView(row: LedgerAuditRow): AuditRecord {
    return {
      id: row.id, orgId: row.orgId, trigger: row.trigger, startedAt: row.startedAt, finishedAt: row.finishedAt, treeSize: row.treeSize,
      rootHash: row.rootHash, checkpoints: row.checkpoints, ok: row.ok, problemCount: row.problemCount, problems: row.problems,
    };
  }

  const service = {
    originFor,

    /** Queues an append; resolves with its index once the batch holding it has committed. */
    append(orgId: string, input: AppendInput): Promise<AppendResult> {
      let entry: Buffer;
      try { entry = toEntryBytes(input); } catch (e) { return Promise.reject(e); }
      return appender.append(orgId, { entry, kind: input.kind });
    },

    /** Append inside a transaction the caller already holds; the entry commits or rolls back with it. */
    async appendTx(tx: Repos, orgId: string, input: AppendInput): Promise<AppendResult> {
      return (await service.appendManyTx(tx, orgId, [input]))[0]!;
    },

    /** Several entries, in order, inside a transaction the caller already holds (one lock, one insert). */
    async appendManyTx(tx: Repos, orgId: string, inputs: readonly AppendInput[]): Promise<AppendResult[]> {
      if (!inputs.length) return [];
      return appender.appendTx(tx, orgId, inputs.map((input) => ({ entry: toEntryBytes(input), kind: input.kind })));
    },

    /** Waits for queued appends to be written (used on shutdown). */
    drain: () => appender.drain(),

    treeSize,

    /** The log at a glance: size now, newest checkpoint, active signing key. */
    async status(orgId: string) {
      const org = await orgOf(orgId);
      const [size, cp, key] = await Promise.all([treeSize(orgId), repos.ledger.latestCheckpoint(orgId), repos.ledger.activeKey(orgId)]);
      return { origin: originFor(org.slug), slug: org.slug, treeSize: size, latestCheckpoint: cp ? checkpointView(cp) : null, activeKeyId: key?.keyId ?? null };
    },

    async entry(orgId: string, index: number) {
      const row = await repos.ledger.entry(orgId, index);
      if (!row) throw new NotFoundError('Ledger entry');
      let parsed: LedgerEntry | null = null;
      try { parsed = parseEntry(row.entry); } catch { /* reported by audit */ }
      return { index: row.idx, kind: row.kind, entry: toBase64(row.entry), leafHash: toBase64(row.leafHash), parsed, createdAt: row.createdAt };
    },

    async inclusionProof(orgId: string, index: number, size?: number) {
      if (!Number.isSafeInteger(index) || index < 0) throw new NotFoundError('Ledger entry');
      const nodesFor = (n: number) => (n > index ? [...compactRangeNodes(n), ...inclusionProofNodes(index, n), { level: 0, index }] : []);
      // One round trip when the guessed size is right: the size it answers for is checked below.
      let guess = size ?? proofSizes.get(orgId) ?? 0;
      let got = await repos.ledger.proofNodes(orgId, nodesFor(guess));
      // Default: the latest checkpoint if it covers the entry, else the tree as it is now.
      const n = size ?? (got.checkpointSize !== null && got.checkpointSize > index ? got.checkpointSize : got.size);
      if (n > got.size) throw new InvalidInputError(`The log has only ${got.size} entries.`);
      if (index >= n) throw new NotFoundError('Ledger entry');
      if (size === undefined) proofSizes.set(orgId, n);
      if (n !== guess) { guess = n; got = await repos.ledger.proofNodes(orgId, nodesFor(n)); }
      const { nodes } = got;
      const root = rangeRoot({ size: n, hashes: compactRangeNodes(n).map((x) => mustNode(nodes, x)) });
      const sub = subtreeHashFromNodes((level, i) => mustNode(nodes, { level, index: i }));
      const hashes = inclusionProofRanges(index, n).map((r) => sub(r.start, r.end));
      return { index, treeSize: n, leafHash: toBase64(mustNode(nodes, { level: 0, index })), rootHash: toBase64(root), hashes: hashes.map(toBase64) };
    },

    async inclusionProofByHash(orgId: string, leafHashB64: string, size?: number) {
      const index = await repos.ledger.firstIndexOfLeaf(orgId, Buffer.from(leafHashB64, 'base64'));
      if (index === undefined) throw new NotFoundError('Ledger entry');
      return service.inclusionProof(orgId, index, size);
    },

    async consistencyProof(orgId: string, m: number, n: number) {
      const current = await treeSize(orgId);
      if (m > n) throw new InvalidInputError('from must not be larger than to.');
      if (n > current) throw new InvalidInputError(`The log has only ${current} entries.`);
      const { root: newRoot, nodes } = await rootAt(orgId, n, [...consistencyProofNodes(m, n), ...(m ? compactRangeNodes(m) : [])]);
      const oldRoot = m === 0 ? EMPTY_ROOT : rangeRoot({ size: m, hashes: compactRangeNodes(m).map((x) => mustNode(nodes, x)) });
      const sub = subtreeHashFromNodes((level, i) => mustNode(nodes, { level, index: i }));
      const hashes = consistencyProofRanges(m, n).map((r) => sub(r.start, r.end));
      return { from: m, to: n, fromRoot: toBase64(oldRoot), toRoot: toBase64(newRoot), hashes: hashes.map(toBase64) };
    },

    /**
     * Signs a checkpoint of the log as it is now with the org's active key. If one already exists
     * for this tree size, that one is returned (a tree size has one checkpoint).
     */
    async checkpoint(orgId: string) {
      const org = await orgOf(orgId);
      const origin = originFor(org.slug);
      const size = await treeSize(orgId);
      const existing = await repos.ledger.checkpointAt(orgId, size);
      if (existing) return checkpointView(existing);
      const { root } = await rootAt(orgId, size);
      const key = await signer(orgId, origin);
      const note = signCheckpoint({ origin, size, rootHash: root, extensions: [] }, [{ name: key.name, privateKey: key.privateKey }]);
      const row = (await repos.ledger.insertCheckpoint({ orgId, treeSize: size, rootHash: root, note, keyId: key.keyId }))
        ?? (await repos.ledger.checkpointAt(orgId, size))!;
      return checkpointView(row);
    },

    async latestCheckpoint(orgId: string) {
      const row = await repos.ledger.latestCheckpoint(orgId);
      if (!row) throw new NotFoundError('Checkpoint');
      return checkpointView(row);
    },

    async listCheckpoints(orgId: string, q: { cursor?: string; limit: number }) {
      const before = q.cursor === undefined ? undefined : Number(q.cursor);
      if (before !== undefined && !Number.isSafeInteger(before)) throw new InvalidInputError('The cursor is not valid.');
      const rows = await repos.ledger.listCheckpoints(orgId, before, q.limit);
      const items = rows.slice(0, q.limit).map(checkpointView);
      return { items, nextCursor: rows.length > q.limit ? String(items[items.length - 1]!.treeSize) : null };
    },

    /** Retires the active key (kept for verifying what it signed) and makes a new one. */
    async rotateKey(orgId: string) {
      const org = await orgOf(orgId);
      const key = await transact(async (tx) => {
        await tx.ledger.lockKeys(orgId);
        await tx.ledger.retireKeys(orgId);
        return createKey(tx, orgId, originFor(org.slug));
      });
      return (await service.publicKeys(orgId)).find((k) => k.keyId === key.keyId)!;
    },

    async publicKeys(orgId: string) {
      const rows = await repos.ledger.keys(orgId);
      return rows.map((k) => ({ keyId: k.keyId, name: k.name, vkey: encodeVerifierKey(k.name, k.publicKey), active: k.retiredAt === null, createdAt: k.createdAt, retiredAt: k.retiredAt }));
    },

    /** For the public well-known endpoint: the vkeys of an org found by slug. */
    async publicKeysBySlug(slug: string) {
      const org = await repos.orgs.findOrgBySlug(slug);
      if (!org) throw new NotFoundError('Log');
      return { origin: originFor(org.slug), keys: (await service.publicKeys(org.id)).map((k) => k.vkey) };
    },

    /** The offline-verifiable evidence bundle; signs a checkpoint first if none covers the entry. */
    async bundle(orgId: string, index: number): Promise<EvidenceBundle> {
      const row = await repos.ledger.entry(orgId, index);
      if (!row) throw new NotFoundError('Ledger entry');
      let cp = await repos.ledger.latestCheckpoint(orgId);
      if (!cp || cp.treeSize <= index) {
        await service.checkpoint(orgId);
        cp = (await repos.ledger.latestCheckpoint(orgId))!;
      }
      const proof = await service.inclusionProof(orgId, index, cp.treeSize);
      const origin = parseCheckpointText(cp.note.slice(0, cp.note.lastIndexOf('\n\n') + 1)).origin;
      return buildBundle({ index, entry: parseEntry(row.entry), inclusionProof: proof.hashes.map((h) => Buffer.from(h, 'base64')), checkpoint: cp.note, origin });
    },

    /** Orgs whose log grew since their last checkpoint get a new one (the cron job). */
    async checkpointGrown() {
      const orgIds = await repos.ledger.orgsNeedingCheckpoint();
      for (const orgId of orgIds) await service.checkpoint(orgId);
      return orgIds.length;
    },

    /** Audits the org's log and records the run (problems capped at AUDIT_PROBLEMS_KEPT). */
    async runAudit(orgId: string, trigger: AuditTrigger, opts: { deep?: boolean } = {}): Promise<AuditRecord> {
      const startedAt = new Date();
      const report = await service.audit(orgId, opts);
      const row = await repos.ledger.insertAudit({
        orgId, trigger, startedAt, finishedAt: new Date(), treeSize: report.treeSize, rootHash: report.rootHash, checkpoints: report.checkpoints,
        ok: report.ok, problemCount: report.problems.length, problems: report.problems.slice(0, AUDIT_PROBLEMS_KEPT),
      });
      return auditView(row);
    },

    /** The most recent recorded audit of the org's log, or null if it was never audited. */
    async lastAudit(orgId: string): Promise<AuditRecord | null> {
      const row = await repos.ledger.latestAudit(orgId);
      return row ? auditView(row) : null;
    },

    /** Audits and records every org whose log has entries (the daily job); one org failing does not stop the others. */
    async auditAll(trigger: AuditTrigger = 'schedule') {
      const orgIds = await repos.ledger.orgsWithEntries();
      const failed: string[] = [];
      let problems = 0;
      for (const orgId of orgIds) {
        try {
          if (!(await service.runAudit(orgId, trigger)).ok) problems++;
        } catch (e) {
          failed.push(`${orgId}: ${(e as Error).message}`);
        }
      }
      if (failed.length) throw new Error(`ledger audit failed for ${failed.length} org(s): ${failed.join('; ')}`);
      return { audited: orgIds.length, withProblems: problems };
    },

    /** See auditLog: recomputes the whole log from the stored entry bytes; `deep` also re-checks every entry's canonical form. */
    async audit(orgId: string, opts: { deep?: boolean } = {}): Promise<AuditReport> {
      const org = await orgOf(orgId);
      const report = await auditLog({ repos, origin: originFor(org.slug), deep: !!opts.deep, consistencyProof: (m, n) => service.consistencyProof(orgId, m, n) }, orgId);
      return withRecordProblems(report, await verifyRecords(repos, orgId, recordVerifiers));
    },
    /** Domains that log records (evidence, …) register how to check them against their rows. */
    registerRecordVerifier(v: RecordVerifier) {
      recordVerifiers.push(v);
    },
  };
  return service;
}
export type LedgerService = ReturnType<typeof createLedgerService>;
