// The evidence log on a real PostgreSQL: concurrent appends, proofs, tampering caught by audit, key rotation, crash safety.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newOrg } from '../../tests/support/factories.ts';
import { canonicalEntry } from './canonical.ts';
import { verifyCheckpoint } from './checkpoint.ts';
import { FIRST_STORED_LEVEL, buildLevels, leafHash, rootFromLeafHashes, verifyConsistency, verifyInclusion } from './merkle.ts';
import { AUDIT_PAGE, PAGE_LEVELS } from './ledger.audit-checks.ts';
import { AUDIT_PROBLEMS_KEPT } from './ledger.service.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

const b64 = (s: string) => Buffer.from(s, 'base64');
const sql = (text: string, params: unknown[]) => t.app.services.database.pool.query(text, params);

async function orgWithEntries(n: number) {
  const { org } = await newOrg(t, 'Ledger');
  const results = await Promise.all(Array.from({ length: n }, (_, i) => t.app.services.ledger.append(org.id, { kind: 'test.entry', record: { i } })));
  return { org, results };
}

test('500 concurrent appends get distinct consecutive indexes; audit is clean; root matches the in-memory core', async () => {
  const ledger = t.app.services.ledger;
  const { org, results } = await orgWithEntries(500);
  assert.deepEqual(results.map((r) => r.index).sort((a, b) => a - b), Array.from({ length: 500 }, (_, i) => i));
  const { rows } = await sql('SELECT entry FROM ledger_entries WHERE org_id = $1 ORDER BY idx', [org.id]);
  const expectedRoot = rootFromLeafHashes(rows.map((r: { entry: Buffer }) => leafHash(r.entry)));
  const report = await ledger.audit(org.id);
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  assert.equal(report.treeSize, 500);
  assert.equal(report.rootHash, expectedRoot.toString('base64'));
  const cp = await ledger.checkpoint(org.id);
  assert.equal(cp.rootHash, expectedRoot.toString('base64'));
  const { rows: nodes } = await sql('SELECT count(*)::int AS n FROM ledger_nodes WHERE org_id = $1', [org.id]);
  // Interior nodes of level 4 and up only: the 500 leaf hashes live in ledger_entries, levels 1–3 are recomputed.
  assert.equal(nodes[0].n, 31 + 15 + 7 + 3 + 1);
});

test('inclusion and consistency proofs from the database verify with the core verifiers', async () => {
  const ledger = t.app.services.ledger;
  const { org } = await orgWithEntries(37);
  const cp = await ledger.checkpoint(org.id);
  const keys = (await ledger.publicKeys(org.id)).map((k) => k.vkey);
  const verified = verifyCheckpoint(cp.note, keys);
  assert.ok(verified.ok);
  for (const index of [0, 1, 17, 31, 32, 36]) {
    for (const size of [index + 1, 33, 37].filter((s) => s > index)) {
      const p = await ledger.inclusionProof(org.id, index, size);
      const entry = await ledger.entry(org.id, index);
      assert.equal(p.leafHash, leafHash(b64(entry.entry)).toString('base64'));
      assert.ok(verifyInclusion(b64(p.leafHash), index, size, p.hashes.map(b64), b64(p.rootHash)), `inclusion ${index} in ${size}`);
      if (size === 37) assert.equal(p.rootHash, cp.rootHash);
    }
  }
  const byHash = await ledger.inclusionProofByHash(org.id, (await ledger.entry(org.id, 5)).leafHash);
  assert.equal(byHash.index, 5);
  for (const [m, n] of [[1, 37], [7, 8], [8, 37], [13, 29], [0, 5], [37, 37]] as const) {
    const c = await ledger.consistencyProof(org.id, m, n);
    assert.ok(verifyConsistency(m, n, c.hashes.map(b64), b64(c.fromRoot), b64(c.toRoot)), `consistency ${m} -> ${n}`);
  }
  const appendedEntry = await ledger.entry(org.id, 3);
  assert.deepEqual(canonicalEntry(appendedEntry.parsed as never), b64(appendedEntry.entry));
});

test('appends awaited one after another each commit (no append is stranded between batches)', async () => {
  const ledger = t.app.services.ledger;
  const { org } = await newOrg(t, 'Sequential');
  for (let i = 0; i < 5; i++) assert.equal((await ledger.append(org.id, { kind: 'seq', record: { i } })).index, i);
  await assert.rejects(ledger.append(org.id, { kind: 'bad kind!', record: {} }), /kind must be/);
});

test('appendTx rolls back with the caller transaction', async () => {
  const ledger = t.app.services.ledger;
  const { org } = await orgWithEntries(3);
  await assert.rejects(t.app.services.transact(async (tx) => {
    await ledger.appendTx(tx, org.id, { kind: 'tx.entry', record: {} });
    throw new Error('abort');
  }), /abort/);
  assert.equal(await ledger.treeSize(org.id), 3);
  const r = await t.app.services.transact((tx) => ledger.appendTx(tx, org.id, { kind: 'tx.entry', record: {} }));
  assert.equal(r.index, 3);
  assert.equal((await ledger.audit(org.id)).ok, true);
});

// A 40-entry log (so that it has stored nodes: levels 4 and up) with checkpoints at 40 and 41.
async function tampered(mutate: (orgId: string) => Promise<unknown>) {
  const ledger = t.app.services.ledger;
  const { org } = await orgWithEntries(40);
  await ledger.checkpoint(org.id);
  await ledger.append(org.id, { kind: 'test.entry', record: { late: true } });
  await ledger.checkpoint(org.id);
  assert.equal((await ledger.audit(org.id)).ok, true);
  await mutate(org.id);
  const report = await ledger.audit(org.id);
  assert.equal(report.ok, false);
  return report.problems.map((p) => p.code);
}

test('audit detects an entry whose bytes were changed', async () => {
  const codes = await tampered((orgId) => sql(`UPDATE ledger_entries SET entry = convert_to('{"kind":"test.entry","record":{"i":999},"time":"2025-01-01T00:00:00.000Z"}', 'UTF8') WHERE org_id = $1 AND idx = 4`, [orgId]));
  assert.ok(codes.includes('leaf_hash_mismatch'), codes.join());
});

test('audit detects a changed leaf hash (and the nodes/roots no longer agree)', async () => {
  const codes = await tampered(async (orgId) => {
    // A forger who also rewrites the stored node above the fake leaf (leaves 0..15 hash to node (4, 0)) so proofs agree with it.
    await sql(`UPDATE ledger_entries SET leaf_hash = sha256('x') WHERE org_id = $1 AND idx = 2`, [orgId]);
    const leaves = (await sql('SELECT leaf_hash FROM ledger_entries WHERE org_id = $1 AND idx < 16 ORDER BY idx', [orgId])).rows.map((r: { leaf_hash: Buffer }) => r.leaf_hash);
    await sql('UPDATE ledger_nodes SET hash = $2 WHERE org_id = $1 AND level = 4 AND idx = 0', [orgId, rootFromLeafHashes(leaves)]);
  });
  assert.ok(codes.includes('leaf_hash_mismatch') && codes.includes('node_mismatch'), codes.join());
});

test('audit detects a deleted entry, in the middle or at the end of the log', async () => {
  const codes = await tampered((orgId) => sql('DELETE FROM ledger_entries WHERE org_id = $1 AND idx = 3', [orgId]));
  assert.ok(codes.includes('entry_missing'), codes.join());
  const tail = await tampered((orgId) => sql('DELETE FROM ledger_entries WHERE org_id = $1 AND idx = 40', [orgId]));
  assert.ok(tail.includes('checkpoint_beyond_log'), tail.join());
});

test('audit detects two swapped entries', async () => {
  const codes = await tampered((orgId) => sql(`
    UPDATE ledger_entries e SET entry = o.entry, leaf_hash = o.leaf_hash, kind = o.kind
    FROM ledger_entries o WHERE e.org_id = $1 AND o.org_id = $1 AND ((e.idx = 1 AND o.idx = 6) OR (e.idx = 6 AND o.idx = 1))`, [orgId]));
  assert.ok(codes.includes('node_mismatch'), codes.join());
  assert.ok(codes.includes('checkpoint_root_mismatch'), codes.join());
});

test('the default audit checks the kind column against the entry bytes; --deep also rejects non-canonical bytes', async () => {
  const ledger = t.app.services.ledger;
  const { org } = await newOrg(t, 'Deep');
  // Valid hashes over bytes that are not RFC 8785 canonical (a space after a comma): only the deep check can tell.
  const entry = Buffer.from('{"kind":"test.entry", "record":{},"time":"2025-01-01T00:00:00.000Z"}');
  await sql(`INSERT INTO ledger_entries (org_id, idx, kind, entry, leaf_hash) VALUES ($1, 0, 'test.entry', $2, $3)`, [org.id, entry, leafHash(entry)]);
  assert.equal((await ledger.audit(org.id)).ok, true);
  const deep = await ledger.audit(org.id, { deep: true });
  assert.deepEqual(deep.problems.map((p) => [p.code, p.index]), [['entry_not_canonical', 0]]);
  await sql(`UPDATE ledger_entries SET kind = 'other.kind' WHERE org_id = $1`, [org.id]);
  assert.deepEqual((await ledger.audit(org.id)).problems.map((p) => p.code), ['kind_mismatch']);
});

test('pages checked whole by the audit workers report exactly what the entry-by-entry path reports', async () => {
  const ledger = t.app.services.ledger;
  // Three full pages and a partial one; the checkpoint at 10,000 falls inside the third page, so
  // that page goes entry by entry while the first two are checked as subtrees. --deep takes the
  // entry-by-entry path for every page, so it is the reference.
  const page = AUDIT_PAGE;
  const { org } = await orgWithEntries(10_000);
  await ledger.checkpoint(org.id);
  await Promise.all(Array.from({ length: 3 * page + 100 - 10_000 }, (_, i) => ledger.append(org.id, { kind: 'test.entry', record: { more: i } })));
  await ledger.checkpoint(org.id);
  const { rows } = await sql('SELECT entry FROM ledger_entries WHERE org_id = $1 ORDER BY idx', [org.id]);
  const clean = await ledger.audit(org.id);
  assert.equal(clean.ok, true, JSON.stringify(clean.problems));
  assert.equal(clean.rootHash, rootFromLeafHashes(rows.map((r: { entry: Buffer }) => leafHash(r.entry))).toString('base64'));
  assert.deepEqual(await ledger.audit(org.id, { deep: true }), clean);

  const inPage1 = page + 904;
  await sql(`UPDATE ledger_entries SET entry = convert_to('{"kind":"test.entry","record":{"i":-1},"time":"2025-01-01T00:00:00.000Z"}', 'UTF8') WHERE org_id = $1 AND idx = $2`, [org.id, inPage1]);
  await sql(`UPDATE ledger_entries SET kind = 'other.kind' WHERE org_id = $1 AND idx = $2`, [org.id, page + 5]);
  await sql(`UPDATE ledger_nodes SET hash = sha256('z') WHERE org_id = $1 AND level = 5 AND idx = 10`, [org.id]);
  // Level 13, index 0 is completed by the second page's root: the check above the page, on the main thread.
  await sql(`DELETE FROM ledger_nodes WHERE org_id = $1 AND level = $2 AND idx = 0`, [org.id, PAGE_LEVELS + 1]);
  await sql(`UPDATE ledger_entries SET kind = 'other.kind' WHERE org_id = $1 AND idx = $2`, [org.id, 2 * page + 7]);
  const whole = await ledger.audit(org.id);
  const byEntry = await ledger.audit(org.id, { deep: true });
  assert.deepEqual(whole, byEntry);
  const found = whole.problems.map((p) => [p.code, p.index, p.level ?? null]);
  for (const expected of [
    ['node_mismatch', 10, 5], ['kind_mismatch', page + 5, null], ['leaf_hash_mismatch', inPage1, null],
    ['node_missing', 0, PAGE_LEVELS + 1], ['kind_mismatch', 2 * page + 7, null], ['checkpoint_root_mismatch', undefined, null],
  ]) assert.ok(found.some((f) => f[0] === expected[0] && f[1] === expected[1] && f[2] === expected[2]), `${expected.join()} in ${JSON.stringify(found)}`);
});

test('a log written with the earlier node layouts (level-0 rows, then levels 1–3) still verifies after migrations 0006 and 0014', async () => {
  const ledger = t.app.services.ledger;
  const { org } = await orgWithEntries(37);
  const before = await ledger.checkpoint(org.id);
  // What the migrations remove: every leaf hash again as a level-0 node (0006), and the nodes of levels 1–3 (0014).
  const { rows } = await sql('SELECT leaf_hash FROM ledger_entries WHERE org_id = $1 ORDER BY idx', [org.id]);
  const levels = buildLevels(rows.map((r: { leaf_hash: Buffer }) => r.leaf_hash));
  await sql('ALTER TABLE ledger_nodes DROP CONSTRAINT ledger_nodes_interior_check', []);
  try {
    for (const level of [0, 1, 2, 3]) {
      await sql('INSERT INTO ledger_nodes (org_id, level, idx, hash) SELECT $1, $2, i - 1, h FROM unnest($3::bytea[]) WITH ORDINALITY AS u(h, i)', [org.id, level, levels[level]]);
    }
    for (const file of ['0006_ledger_interior_nodes.sql', '0014_ledger_sparse_nodes.sql']) {
      const migration = readFileSync(path.resolve(import.meta.dirname, '../../migrations', file), 'utf8');
      for (const statement of migration.split('--> statement-breakpoint')) await sql(statement, []);
    }
  } finally {
    await sql('ALTER TABLE ledger_nodes DROP CONSTRAINT IF EXISTS ledger_nodes_interior_check', []);
    await sql(`ALTER TABLE ledger_nodes ADD CONSTRAINT ledger_nodes_interior_check CHECK (level >= ${FIRST_STORED_LEVEL})`, []);
  }
  assert.equal((await sql('SELECT count(*)::int AS n FROM ledger_nodes WHERE org_id = $1 AND level < $2', [org.id, FIRST_STORED_LEVEL])).rows[0].n, 0);
  const report = await ledger.audit(org.id);
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  for (const index of [6, 17, 36]) {
    const proof = await ledger.inclusionProof(org.id, index);
    assert.ok(verifyInclusion(b64(proof.leafHash), index, 37, proof.hashes.map(b64), b64(before.rootHash)));
  }
});

test('audit detects a checkpoint whose root or note was changed', async () => {
  const codes = await tampered((orgId) => sql(`UPDATE ledger_checkpoints SET root_hash = sha256('y') WHERE org_id = $1 AND tree_size = 40`, [orgId]));
  assert.ok(codes.includes('checkpoint_root_column_mismatch'), codes.join());
  const noteCodes = await tampered((orgId) => sql(`UPDATE ledger_checkpoints SET note = replace(note, E'\\n40\\n', E'\\n39\\n') WHERE org_id = $1 AND tree_size = 40`, [orgId]));
  assert.ok(noteCodes.includes('checkpoint_bad_signature'), noteCodes.join());
});

test('runAudit records each run: ok before tampering, ok=false with the problem after; lastAudit is the newest', async () => {
  const ledger = t.app.services.ledger;
  const { org } = await orgWithEntries(6);
  await ledger.checkpoint(org.id);
  assert.equal(await ledger.lastAudit(org.id), null);
  const clean = await ledger.runAudit(org.id, 'manual');
  assert.equal(clean.ok, true, JSON.stringify(clean.problems));
  assert.deepEqual([clean.trigger, clean.treeSize, clean.checkpoints, clean.problemCount, clean.problems], ['manual', 6, 1, 0, []]);
  assert.ok(clean.finishedAt >= clean.startedAt);
  assert.deepEqual(await ledger.lastAudit(org.id), clean);

  await sql(`UPDATE ledger_entries SET entry = convert_to('{"kind":"test.entry","record":{"i":999},"time":"2025-01-01T00:00:00.000Z"}', 'UTF8') WHERE org_id = $1 AND idx = 2`, [org.id]);
  const dirty = await ledger.runAudit(org.id, 'cli');
  assert.equal(dirty.ok, false);
  assert.equal(dirty.trigger, 'cli');
  assert.ok(dirty.problems.some((p) => p.code === 'leaf_hash_mismatch' && p.index === 2), JSON.stringify(dirty.problems));
  assert.equal(dirty.problemCount, dirty.problems.length);
  const last = await ledger.lastAudit(org.id);
  assert.equal(last?.id, dirty.id);
  const { rows } = await sql('SELECT ok, trigger, problems FROM ledger_audits WHERE org_id = $1 ORDER BY finished_at', [org.id]);
  assert.deepEqual(rows.map((r: { ok: boolean; trigger: string }) => [r.ok, r.trigger]), [[true, 'manual'], [false, 'cli']]);
  assert.equal(rows[1].problems[0].code, 'leaf_hash_mismatch');
});

test('a stored audit keeps the first AUDIT_PROBLEMS_KEPT problems and the total count', async () => {
  const ledger = t.app.services.ledger;
  const { org } = await orgWithEntries(AUDIT_PROBLEMS_KEPT + 20);
  await sql(`UPDATE ledger_entries SET leaf_hash = sha256(leaf_hash) WHERE org_id = $1`, [org.id]);
  const run = await ledger.runAudit(org.id, 'manual');
  assert.equal(run.ok, false);
  assert.ok(run.problemCount > AUDIT_PROBLEMS_KEPT, String(run.problemCount));
  assert.equal(run.problems.length, AUDIT_PROBLEMS_KEPT);
});

test('the audit job records a scheduled run for every org with entries, and none for empty logs', async () => {
  const ledger = t.app.services.ledger;
  const { org } = await orgWithEntries(3);
  const { org: empty } = await newOrg(t, 'Empty log');
  const result = await ledger.auditAll('schedule');
  assert.ok(result.audited >= 1);
  const run = await ledger.lastAudit(org.id);
  assert.equal(run?.trigger, 'schedule');
  assert.equal(run?.treeSize, 3);
  assert.equal(await ledger.lastAudit(empty.id), null);
});

test('key rotation: old checkpoints still verify with the retired key, new ones with the new key', async () => {
  const ledger = t.app.services.ledger;
  const { org } = await orgWithEntries(4);
  const first = await ledger.checkpoint(org.id);
  const oldKey = (await ledger.publicKeys(org.id))[0]!;
  const rotated = await ledger.rotateKey(org.id);
  assert.notEqual(rotated.keyId, oldKey.keyId);
  await ledger.append(org.id, { kind: 'test.entry', record: { after: 'rotation' } });
  const second = await ledger.checkpoint(org.id);
  const keys = await ledger.publicKeys(org.id);
  assert.deepEqual(keys.map((k) => k.active), [false, true]);
  assert.ok(verifyCheckpoint(first.note, [oldKey.vkey]).ok);
  assert.equal(verifyCheckpoint(second.note, [oldKey.vkey]).ok, false);
  assert.ok(verifyCheckpoint(second.note, [rotated.vkey]).ok);
  assert.equal((await ledger.audit(org.id)).ok, true);
});

test('the checkpoint job signs only logs that grew', async () => {
  const ledger = t.app.services.ledger;
  const { org } = await orgWithEntries(2);
  await ledger.checkpointGrown();
  assert.equal((await ledger.latestCheckpoint(org.id)).treeSize, 2);
  const { org: quiet } = await newOrg(t, 'Quiet');
  await ledger.checkpointGrown();
  await assert.rejects(ledger.latestCheckpoint(quiet.id), /not found/);
});

test('crash: every append acknowledged before kill -9 is in the log, and audit is clean', async () => {
  const { org } = await newOrg(t, 'Crash');
  const script = path.resolve(import.meta.dirname, '../../tests/support/ledger-appender.ts');
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', script, t.config.databaseUrl!, org.id, t.config.secretKey!, t.config.dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: number[] = [];
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let buf = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`appender too slow: ${acked.length} acks; ${stderr}`)), 60_000);
    child.stdout.on('data', (d) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (l.startsWith('ack ')) acked.push(Number(l.slice(4)));
      if (acked.length >= 300) { clearTimeout(timer); child.kill('SIGKILL'); resolve(); }
    });
    child.on('exit', () => { clearTimeout(timer); resolve(); });
  });
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.on('exit', r)));
  assert.ok(acked.length >= 300, `only ${acked.length} acks; ${stderr}`);
  const { rows } = await sql('SELECT idx FROM ledger_entries WHERE org_id = $1 AND idx = ANY($2::bigint[])', [org.id, acked]);
  assert.equal(rows.length, new Set(acked).size);
  assert.equal(new Set(acked).size, acked.length, 'indexes acknowledged twice');
  const report = await t.app.services.ledger.audit(org.id);
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  assert.ok(report.treeSize >= acked.length);
});
