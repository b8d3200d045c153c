// `attest evidence …` through the real bin/attest on an embedded PostgreSQL, and its proof bundle through `attest verify`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postmastersFor } from '../support/processes.ts';
import { attest, type Run } from '../support/cli.ts';


const ok = (r: Run) => { assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`); return r; };

describe('evidence commands on one data directory', { timeout: 600_000 }, () => {
  let dir: string;
  let code: string;
  const run = (...args: string[]) => attest(['--data', dir, ...args]);
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'attest-cli-evidence-'));
    ok(await run('admin', 'bootstrap', '--org', 'Acme', '--email', 'a@acme.test', '--password', 'a perfectly long cli password'));
    ok(await run('controls', 'adopt', '--frameworks', 'soc2-2017'));
    code = JSON.parse(ok(await run('--json', 'controls', 'list')).stdout)[0].code;
  });
  after(() => {
    for (const pid of postmastersFor(dir)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('add a file for a control and period, list it, and verify its proof bundle offline with and against the file', async () => {
    const file = path.join(dir, 'access-review-q3.csv');
    const data = `user,reviewed\nalice,${crypto.randomUUID()}\n`;
    writeFileSync(file, data);
    const added = JSON.parse(ok(await run('--json', 'evidence', 'add', file, '--control', code, '--period', '2026-07-01..2026-09-30', '--title', 'Q3 access review')).stdout);
    const e = added.evidence;
    assert.equal(added.duplicate, false);
    assert.equal(e.sha256, crypto.createHash('sha256').update(data).digest('hex'));
    assert.equal(e.title, 'Q3 access review');
    assert.equal(e.collector.kind, 'cli');
    assert.equal(e.periodStart, '2026-07-01T00:00:00.000Z');
    assert.equal(typeof e.ledgerIndex, 'number');

    const human = ok(await run('evidence', 'add', file, '--control', code, '--period', '2026-07-01..2026-09-30')).stdout;
    assert.match(human, new RegExp(`Already held: evidence ${e.id}`));
    assert.match(human, new RegExp(`sha256 ${e.sha256}`));
    assert.match(human, new RegExp(`log index ${e.ledgerIndex}`));

    const listed = JSON.parse(ok(await run('--json', 'evidence', 'list', '--control', code)).stdout);
    assert.deepEqual(listed.map((x: { id: string }) => x.id), [e.id]);
    assert.match(ok(await run('evidence', 'list')).stdout, /^ID\s+KIND\s+TITLE/);

    const bundle = path.join(dir, 'bundle.json');
    const keys = path.join(dir, 'keys.json');
    ok(await run('evidence', 'bundle', e.id, '--out', bundle));
    writeFileSync(keys, ok(await run('log', 'keys')).stdout);
    assert.match(ok(await attest(['verify', bundle, '--key', keys, '--file', file])).stdout, /file sha256 .*: matches/);
    const other = path.join(dir, 'other.csv');
    writeFileSync(other, data.replace('alice', 'mallory'));
    const refused = await attest(['verify', bundle, '--key', keys, '--file', other]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /verification FAILED/);
  });

  test('an unknown control code exits 3 and adds nothing; a bad period or a missing file exits 1', async () => {
    const file = path.join(dir, 'note.txt');
    writeFileSync(file, 'nothing to see');
    const before = JSON.parse(ok(await run('--json', 'evidence', 'list')).stdout).length;
    const unknown = await run('evidence', 'add', file, '--control', code, '--control', 'NOPE-99');
    assert.equal(unknown.code, 3, unknown.stderr);
    assert.match(unknown.stderr, /Control NOPE-99 not found/);
    const badPeriod = await run('evidence', 'add', file, '--control', code, '--period', 'last quarter');
    assert.equal(badPeriod.code, 1);
    assert.match(badPeriod.stderr, /--period must look like/);
    const reversed = await run('evidence', 'add', file, '--control', code, '--period', '2026-09-30..2026-07-01');
    assert.equal(reversed.code, 1);
    assert.match(reversed.stderr, /ends before it starts/);
    const missing = await run('evidence', 'add', path.join(dir, 'absent.pdf'), '--control', code);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No file at/);
    assert.equal(JSON.parse(ok(await run('--json', 'evidence', 'list')).stdout).length, before);
  });
});
