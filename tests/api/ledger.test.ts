// The evidence log through the API and the real CLI: bundles verify offline with the published keys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../support/app.ts';
import { newOrg, signIn } from '../support/factories.ts';
import { encodeVerifierKey, generateKeyPair } from '../../src/ledger/checkpoint.ts';
import { verifyInclusion } from '../../src/ledger/merkle.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/attest');
let t: TestApp;
let dir: string;
before(async () => { t = await startTestApp(); dir = mkdtempSync(path.join(os.tmpdir(), 'attest-ledger-')); });
after(async () => { await t?.close(); });

type Run = { code: number | null; stdout: string; stderr: string };
function attest(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const e: NodeJS.ProcessEnv = { ...process.env, ...env };
    // verify must work with no database at all.
    if (!env.DATABASE_URL) for (const k of ['DATABASE_URL', 'ATTEST_SECRET_KEY']) delete e[k];
    const child = spawn(BIN, args, { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const dbEnv = () => ({ DATABASE_URL: t.config.databaseUrl!, ATTEST_SECRET_KEY: t.config.secretKey!, ATTEST_DATA_DIR: dir, LOG_LEVEL: 'silent' });
const write = (name: string, content: string | Buffer) => { const p = path.join(dir, name); writeFileSync(p, content); return p; };

async function setup() {
  const { org, owner } = await newOrg(t, 'Evidence');
  const agent = await signIn(t, owner.email);
  const evidence = crypto.randomBytes(3000);
  const file = { sha256: crypto.createHash('sha256').update(evidence).digest('hex'), size: evidence.length };
  const ledger = t.app.services.ledger;
  for (let i = 0; i < 5; i++) await ledger.append(org.id, { kind: 'control.test.passed', record: { i } });
  const { index } = await ledger.append(org.id, { kind: 'evidence.uploaded', record: { name: 'report.pdf', file } });
  for (let i = 0; i < 3; i++) await ledger.append(org.id, { kind: 'control.test.passed', record: { i } });
  return { org, agent, evidence, index };
}

test('a bundle from the API verifies with `attest verify` and the well-known keys, and fails on any mismatch', async () => {
  const { org, agent, evidence, index } = await setup();
  const res = await agent.get(`/api/v1/orgs/${org.id}/ledger/bundles/${index}`);
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-disposition']), /^attachment; filename="evidence-5\.bundle\.json"$/);
  const bundle = res.json();
  assert.deepEqual(bundle.file, { sha256: crypto.createHash('sha256').update(evidence).digest('hex'), size: 3000 });

  const wk = await agent.get(`/.well-known/attest/${org.slug}/log-keys`);
  assert.equal(wk.statusCode, 200);
  assert.equal(wk.json().keys.length, 1);
  assert.equal((await agent.get('/.well-known/attest/no-such-org-slug/log-keys')).statusCode, 404);

  const bundlePath = write(`b-${org.slug}.json`, res.body);
  const keysPath = write(`k-${org.slug}.txt`, wk.json().keys.join('\n') + '\n');
  const filePath = write(`f-${org.slug}.bin`, evidence);
  const ok = await attest(['verify', bundlePath, '--key', keysPath, '--file', filePath]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /OK: entry 5 \(evidence\.uploaded/);
  assert.match(ok.stdout, /matches/);
  // The well-known response saved as it is works as a key file too.
  const asSaved = await attest(['verify', bundlePath, '--key', write(`wk-${org.slug}.json`, wk.body), '--file', filePath]);
  assert.equal(asSaved.code, 0, asSaved.stderr);
  const okJson = await attest(['--json', 'verify', bundlePath, '--key', wk.json().keys[0]]);
  assert.equal(okJson.code, 0, okJson.stderr);
  assert.equal(JSON.parse(okJson.stdout).index, 5);

  const other = generateKeyPair();
  const wrongKey = await attest(['verify', bundlePath, '--key', encodeVerifierKey(wk.json().keys[0].split('+')[0], other.publicKey)]);
  assert.equal(wrongKey.code, 1);
  assert.match(wrongKey.stderr, /\[wrong_key\]/);

  const wkJson = await attest(['verify', bundlePath, '--key', write(`wk-${org.slug}.json`, wk.body)]);
  assert.equal(wkJson.code, 0, wkJson.stderr);

  const wrongFile = await attest(['verify', bundlePath, '--key', keysPath, '--file', write('other.bin', crypto.randomBytes(3000))]);
  assert.equal(wrongFile.code, 1);
  assert.match(wrongFile.stderr, /\[file_mismatch\]/);

  const truncated = await attest(['verify', write('trunc.json', JSON.stringify({ ...bundle, inclusionProof: bundle.inclusionProof.slice(0, -1) })), '--key', keysPath]);
  assert.equal(truncated.code, 1);
  assert.match(truncated.stderr, /\[truncated_proof\]/);

  const altered = await attest(['verify', write('alt.json', JSON.stringify({ ...bundle, index: 4 })), '--key', keysPath]);
  assert.equal(altered.code, 1);
  assert.match(altered.stderr, /\[inclusion_mismatch\]/);
});

test('proof and checkpoint routes; rotation keeps the retired key at the well-known endpoint', async () => {
  const { org, agent, index } = await setup();
  const base = `/api/v1/orgs/${org.id}/ledger`;
  assert.equal((await agent.get(`${base}/checkpoints/latest`)).statusCode, 404);
  const before = (await agent.get(base)).json();
  assert.deepEqual({ ...before, origin: undefined }, { origin: undefined, slug: org.slug, treeSize: 9, latestCheckpoint: null, activeKeyId: null });
  const cp = await agent.post(`${base}/checkpoints`);
  assert.equal(cp.statusCode, 201, cp.body);
  assert.equal(cp.json().treeSize, 9);
  const status = (await agent.get(base)).json();
  assert.equal(status.latestCheckpoint.rootHash, cp.json().rootHash);
  assert.equal(status.activeKeyId, cp.json().keyId);
  const entry = (await agent.get(`${base}/entries/${index}`)).json();
  assert.equal(entry.kind, 'evidence.uploaded');
  const byHash = await agent.get(`${base}/proofs/inclusion?leafHash=${encodeURIComponent(entry.leafHash)}`);
  assert.equal(byHash.statusCode, 200, byHash.body);
  const p = byHash.json();
  assert.equal(p.index, index);
  assert.equal(p.rootHash, cp.json().rootHash);
  assert.ok(verifyInclusion(Buffer.from(p.leafHash, 'base64'), p.index, p.treeSize, p.hashes.map((h: string) => Buffer.from(h, 'base64')), Buffer.from(p.rootHash, 'base64')));
  assert.equal((await agent.get(`${base}/proofs/inclusion`)).statusCode, 400);
  assert.equal((await agent.get(`${base}/entries/999`)).statusCode, 404);
  assert.equal((await agent.get(`${base}/proofs/consistency?from=3&to=99`)).statusCode, 400);

  const oldBundle = (await agent.get(`${base}/bundles/${index}`)).body;
  const rotated = await agent.post(`${base}/keys/rotate`);
  assert.equal(rotated.statusCode, 201, rotated.body);
  await t.app.services.ledger.append(org.id, { kind: 'after.rotation', record: {} });
  assert.equal((await agent.post(`${base}/checkpoints`)).json().treeSize, 10);
  const keys = (await agent.get(`/.well-known/attest/${org.slug}/log-keys`)).json().keys as string[];
  assert.equal(keys.length, 2);
  const retired = keys.find((k) => k !== rotated.json().vkey)!;
  const oldOk = await attest(['verify', write(`old-${org.slug}.json`, oldBundle), '--key', retired]);
  assert.equal(oldOk.code, 0, oldOk.stderr);
  const newBundle = write(`new-${org.slug}.json`, (await agent.get(`${base}/bundles/9`)).body);
  assert.equal((await attest(['verify', newBundle, '--key', retired])).code, 1);
  assert.equal((await attest(['verify', newBundle, '--key', write(`all-${org.slug}.txt`, keys.join('\n'))])).code, 0);
  const list = (await agent.get(`${base}/checkpoints?limit=1`)).json();
  assert.equal(list.items[0].treeSize, 10);
  assert.equal((await agent.get(`${base}/checkpoints?cursor=${list.nextCursor}`)).json().items[0].treeSize, 9);
  assert.equal((await agent.get(`${base}/audits/latest`)).statusCode, 404);
  const audit = await agent.post(`${base}/audits`);
  assert.equal(audit.statusCode, 201, audit.body);
  assert.equal(audit.json().ok, true, audit.body);
  assert.equal(audit.json().trigger, 'manual');
  assert.equal(audit.json().treeSize, 10);
  const latest = await agent.get(`${base}/audits/latest`);
  assert.equal(latest.statusCode, 200, latest.body);
  assert.deepEqual(latest.json(), audit.json());
});

test('`attest log checkpoint` and `attest log audit` on the database; audit exits 1 after tampering', async () => {
  const { org } = await setup();
  const signed = await attest(['--json', 'log', 'checkpoint', '--org', org.slug], dbEnv());
  assert.equal(signed.code, 0, signed.stderr);
  assert.equal(JSON.parse(signed.stdout)[0].treeSize, 9);
  const clean = await attest(['--json', 'log', 'audit', '--org', org.id], dbEnv());
  assert.equal(clean.code, 0, clean.stderr + clean.stdout);
  assert.equal(JSON.parse(clean.stdout).ok, true);
  await t.app.services.database.pool.query(`UPDATE ledger_entries SET leaf_hash = sha256('z') WHERE org_id = $1 AND idx = 3`, [org.id]);
  const dirty = await attest(['log', 'audit', '--org', org.slug], dbEnv());
  assert.equal(dirty.code, 1);
  assert.match(dirty.stdout, /FAIL .*\n.*\[leaf_hash_mismatch\] entry 3/);
  // Both CLI runs were recorded; the latest holds the problem.
  const recorded = await t.app.services.ledger.lastAudit(org.id);
  assert.equal(recorded?.trigger, 'cli');
  assert.equal(recorded?.ok, false);
  assert.ok(recorded?.problems.some((p) => p.code === 'leaf_hash_mismatch' && p.index === 3), JSON.stringify(recorded?.problems));
  const { rows } = await t.app.services.database.pool.query(`SELECT ok FROM ledger_audits WHERE org_id = $1 AND trigger = 'cli' ORDER BY finished_at`, [org.id]);
  assert.deepEqual(rows.map((r: { ok: boolean }) => r.ok), [true, false]);
  const unknown = await attest(['log', 'audit', '--org', 'nope-nope'], dbEnv());
  assert.equal(unknown.code, 3);
});
