import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { postmastersFor } from '../support/processes.ts';
import { attest, type Run } from '../support/cli.ts';
import { createApp } from '../../src/app.ts';
import { configFrom } from '../../src/cli/context.ts';

// The real bin/attest on its own data directory: `checks list` and `checks run` against a real HTTP server.

const json = (r: Run) => {
  assert.equal(r.code, 0, `exit ${r.code}; stderr: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-cli-checks-'));
let healthy = true;
const server = http.createServer((_req, res) => { res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'down'); });
after(async () => {
  await new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  for (const pid of postmastersFor(dir)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  rmSync(dir, { recursive: true, force: true });
});

test('checks list and checks run through bin/attest: a passing run exits 0, a failing one 1, both recorded', { timeout: 600_000 }, async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  json(await attest(['--data', dir, '--json', 'admin', 'bootstrap', '--org', 'Acme', '--email', 'a@acme.test', '--password', 'a perfectly long cli password']));

  // There is no `checks add` command (checks are configured in the UI or API): set one up through the same composition root.
  const app = await createApp(configFrom({ data: dir }));
  let checkId: string;
  try {
    const [org] = await app.services.orgs.list();
    checkId = (await app.services.checks.create(org!.id, { name: 'Status page', type: 'http', config: { url }, intervalMinutes: 60, enabled: true, controlIds: [] }, { userId: null, email: 'test', role: 'owner' })).id;
  } finally {
    await app.close();
  }

  const listed = json(await attest(['--data', dir, 'checks', 'list', '--json']));
  assert.deepEqual(listed.map((c: { id: string; name: string; lastStatus: null }) => [c.id, c.name, c.lastStatus]), [[checkId, 'Status page', null]]);

  const ok = await attest(['--data', dir, 'checks', 'run', checkId]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^Status page: PASS — /);
  assert.match(ok.stdout, /\[PASS\] status: expected 200, got 200/);

  healthy = false;
  const bad = await attest(['--data', dir, 'checks', 'run', checkId, '--json']);
  assert.equal(bad.code, 1, bad.stderr);
  const run = JSON.parse(bad.stdout);
  assert.equal(run.status, 'fail');
  assert.equal(run.trigger, 'cli');
  assert.ok(run.evidenceId);

  const table = await attest(['--data', dir, 'checks', 'list']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /Status page\s+http\s+60 min\s+true\s+fail/);

  const missing = await attest(['--data', dir, 'checks', 'run', '00000000-0000-4000-8000-000000000000']);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /Check not found/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
});
