// Crash safety of the evidence log when PostgreSQL itself dies: a child process appends while the
// postmaster is killed with SIGKILL; after a restart on the same data directory every append that
// was acknowledged is there with the same bytes, the log has no gaps, the audit is clean, and a new
// checkpoint is consistent with one signed before the crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { isAlive, startOrJoinEmbedded, type EmbeddedServer } from '../db/embedded.ts';
import { verifyCheckpoint } from './checkpoint.ts';
import { leafHash, verifyConsistency } from './merkle.ts';

const b64 = (s: string) => Buffer.from(s, 'base64');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('kill -9 of the PostgreSQL postmaster during appends loses no acknowledged entry', { timeout: 90_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-pg-crash-'));
  const secretKey = crypto.randomBytes(32).toString('base64');
  const configFor = (url: string) => loadConfig({ DATABASE_URL: url, ATTEST_SECRET_KEY: secretKey, ATTEST_DATA_DIR: path.join(dir, 'app'), LOG_LEVEL: 'silent', PORT: '0' });
  let server: EmbeddedServer | null = await startOrJoinEmbedded(dir);
  let app: App | null = null;
  try {
    app = await createApp(configFor(server.url), { work: false });
    const { org } = await app.services.accounts.bootstrap({ orgName: 'PG Crash', email: 'crash@example.com', name: 'crash', password: crypto.randomBytes(18).toString('base64url') });

    const ackFile = path.join(dir, 'acks.txt');
    const script = path.resolve(import.meta.dirname, '../../tests/support/ledger-appender.ts');
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', script, server.url, org.id, secretKey, path.join(dir, 'app'), ackFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((r) => child.on('exit', r));
    let acks = 0;
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const seen = (n: number) => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`appender too slow: ${acks} acks; ${stderr}`)), 40_000);
      const check = () => { if (acks >= n) { clearTimeout(timer); child.stdout.off('data', onData); resolve(); } };
      const onData = (d: Buffer) => { acks += d.toString().split('\n').filter((l) => l.startsWith('ack ')).length; check(); };
      child.stdout.on('data', onData);
    });

    // A checkpoint signed while appends run, to check consistency across the crash.
    await seen(100);
    const before = await app.services.ledger.checkpoint(org.id);
    await seen(200);
    await app.close();
    app = null;
    const postmaster = Number(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGKILL');
    await exited;
    assert.notEqual(child.exitCode, 0, 'the appender fails once its database is gone');

    // Restart on the same data directory (crash recovery replays the WAL); the old backends may take a moment to exit.
    while (isAlive(postmaster)) await sleep(50);
    server = null;
    for (let attempt = 0; !server; attempt++) {
      try { server = await startOrJoinEmbedded(dir); } catch (e) { if (attempt >= 20) throw e; await sleep(500); }
    }
    app = await createApp(configFor(server.url), { work: false });
    const { ledger, database } = app.services;

    const acked = readFileSync(ackFile, 'utf8').trim().split('\n').map((l) => { const [i, h] = l.split(' '); return { index: Number(i), leafHash: h! }; });
    assert.ok(acked.length >= 200, `only ${acked.length} acks recorded`);
    assert.equal(new Set(acked.map((a) => a.index)).size, acked.length, 'an index was acknowledged twice');
    const { rows } = await database.pool.query<{ idx: string; entry: Buffer; leaf_hash: Buffer }>('SELECT idx, entry, leaf_hash FROM ledger_entries WHERE org_id = $1 ORDER BY idx', [org.id]);
    const stored = new Map(rows.map((r) => [Number(r.idx), r]));
    for (const a of acked) {
      const row = stored.get(a.index);
      assert.ok(row, `acknowledged entry ${a.index} is missing after the crash`);
      assert.equal(leafHash(row.entry).toString('base64'), a.leafHash, `entry ${a.index} has other bytes than were acknowledged`);
      assert.equal(row.leaf_hash.toString('base64'), a.leafHash);
    }
    assert.deepEqual(rows.map((r) => Number(r.idx)), Array.from({ length: rows.length }, (_, i) => i), 'indexes are consecutive from 0');

    const report = await ledger.audit(org.id, { deep: true });
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.treeSize, rows.length);

    await ledger.append(org.id, { kind: 'crash.test', record: { after: 'restart' } });
    const after = await ledger.checkpoint(org.id);
    assert.ok(after.treeSize > before.treeSize);
    const vkeys = (await ledger.publicKeys(org.id)).map((k) => k.vkey);
    assert.ok(verifyCheckpoint(after.note, vkeys).ok);
    const proof = await ledger.consistencyProof(org.id, before.treeSize, after.treeSize);
    assert.ok(verifyConsistency(before.treeSize, after.treeSize, proof.hashes.map(b64), b64(before.rootHash), b64(after.rootHash)));
  } finally {
    await app?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
