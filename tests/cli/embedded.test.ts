import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { attest as runAttest, BIN, cleanEnv, type Run } from '../support/cli.ts';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { postmastersFor } from '../support/processes.ts';

// `bin/attest serve` owning the embedded PostgreSQL in a data directory, CLI commands joining it,
// and recovery from a killed owner and from a stale postmaster.pid.
const PASSWORD = 'a perfectly long serve password';
const WAIT_MS = 60_000;

const serveEnv = () => cleanEnv({ LOG_LEVEL: 'warn' });
const attest = (args: string[], timeoutMs = 90_000) => runAttest(args, { env: { LOG_LEVEL: 'warn' }, timeoutMs });

type Serve = { child: ChildProcess; port: number; out: () => string; err: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> };
const serves: Serve[] = [];

function startServe(dir: string, port: number): Serve {
  const child = spawn(BIN, ['--data', dir, 'serve', '--port', String(port), '--host', '127.0.0.1'], { env: serveEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { err += d; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const s = { child, port, out: () => out, err: () => err, exited };
  serves.push(s);
  return s;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, s?: Serve, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let exit: { code: number | null } | null = null;
  void s?.exited.then((e) => { exit = e; });
  while (Date.now() < deadline) {
    const v = await probe();
    if (v) return v;
    if (exit) assert.fail(`serve exited (${JSON.stringify(exit)}) while waiting for ${what}\nstdout: ${s!.out()}\nstderr: ${s!.err().slice(-4000)}`);
    await sleep(250);
  }
  return assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}${s ? `\nstdout: ${s.out()}\nstderr: ${s.err().slice(-4000)}` : ''}`);
}

async function get(port: number, url: string): Promise<Response | null> {
  try {
    return await fetch(`http://127.0.0.1:${port}${url}`, { signal: AbortSignal.timeout(3_000) });
  } catch {
    return null;
  }
}

const waitReady = (s: Serve) => until('GET /readyz = 200', async () => (await get(s.port, '/readyz'))?.status === 200, s);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}


function postmasterPid(dir: string): number | null {
  try {
    return Number(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function stopServe(s: Serve, signal: NodeJS.Signals) {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill(signal);
  return s.exited;
}

async function login(port: number, email: string, password: string) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return { status: res.status, body: await res.json() as { status?: string } };
}

async function orgNames(dir: string): Promise<{ names: string[]; run: Run }> {
  const run = await attest(['--data', dir, '--json', 'orgs', 'list']);
  assert.equal(run.code, 0, `orgs list failed: ${run.stderr}`);
  return { names: (JSON.parse(run.stdout) as { name: string }[]).map((o) => o.name), run };
}

describe('serve and the embedded PostgreSQL', { timeout: 900_000 }, () => {
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'attest-serve-')); });
  after(async () => {
    // Never leave a server behind, whatever failed above.
    for (const s of serves) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.child.kill('SIGKILL');
        await Promise.race([s.exited, sleep(5_000)]);
      }
    }
    for (const pid of postmastersFor(dir)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('a CLI command joins the PostgreSQL of a running serve, and the first-run link finishes setup', async () => {
    const s = startServe(dir, await freePort());
    await waitReady(s);
    const link = await until('the setup link on stdout', () => s.out().match(/(http:\/\/\S+)\/setup\?token=([\w-]+)/), s);
    assert.equal(link[1], `http://127.0.0.1:${s.port}`);

    const pm = postmasterPid(dir);
    assert.ok(pm && alive(pm), 'serve started a postmaster');
    assert.deepEqual(postmastersFor(dir), [pm]);
    assert.equal(JSON.parse(readFileSync(path.join(dir, 'embedded-owner.json'), 'utf8')).pid, s.child.pid, 'serve owns the server');

    // Watch the process table for the whole CLI run: a second postmaster must never appear.
    const seen = new Set<number>();
    let sampling = true;
    const sampler = (async () => { while (sampling) { for (const p of postmastersFor(dir)) seen.add(p); await sleep(50); } })();
    const empty = await orgNames(dir).finally(() => { sampling = false; });
    await sampler;
    assert.deepEqual(empty.names, []);
    assert.deepEqual([...seen], [pm], 'only the serve postmaster ever ran');
    assert.ok(empty.run.ms < 20_000, `joining should be quick, took ${empty.run.ms} ms`);
    assert.equal(postmasterPid(dir), pm, 'postmaster.pid unchanged');
    assert.equal((await get(s.port, '/readyz'))?.status, 200, 'serve still ready after the CLI finished');

    const res = await fetch(`${link[1]}/api/v1/setup`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: link[2], orgName: 'Acme', name: 'Ada', email: 'ada@acme.test', password: PASSWORD }),
    });
    assert.equal(res.status, 201, await res.text());
    // The link is one-time.
    const again = await fetch(`${link[1]}/api/v1/setup`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: link[2], orgName: 'Evil', name: 'Eve', email: 'eve@acme.test', password: PASSWORD }),
    });
    assert.equal(again.status, 401);

    // The CLI sees what the server wrote: same database.
    assert.deepEqual((await orgNames(dir)).names, ['Acme']);
    assert.deepEqual(postmastersFor(dir), [pm]);
    assert.equal((await login(s.port, 'ada@acme.test', PASSWORD)).status, 200);
  });

  test('after kill -9 of serve, the orphaned PostgreSQL is replaced and the data is still there', async () => {
    const s = serves.at(-1)!;
    const orphan = postmasterPid(dir)!;
    s.child.kill('SIGKILL');
    assert.equal((await s.exited).signal, 'SIGKILL');
    await sleep(500);
    assert.ok(alive(orphan), 'the postgres child survives its killed owner');

    const s2 = startServe(dir, await freePort());
    await waitReady(s2);
    assert.match(s2.err(), /stopping orphaned embedded PostgreSQL/);
    assert.equal(alive(orphan), false, 'the orphan was shut down');
    const pm = postmasterPid(dir)!;
    assert.notEqual(pm, orphan);
    assert.deepEqual(postmastersFor(dir), [pm]);

    const status = await (await get(s2.port, '/api/v1/setup/status'))!.json();
    assert.deepEqual(status, { needsSetup: false });
    assert.doesNotMatch(s2.out(), /setup\?token=/, 'no setup link once set up');
    assert.equal((await login(s2.port, 'ada@acme.test', PASSWORD)).status, 200);
    assert.deepEqual((await orgNames(dir)).names, ['Acme']);
  });

  test('SIGTERM stops serve cleanly and its PostgreSQL with it', async () => {
    const s = serves.at(-1)!;
    const pm = postmasterPid(dir)!;
    assert.ok(alive(pm));
    s.child.kill('SIGTERM');
    const exit = await Promise.race([s.exited, sleep(WAIT_MS).then(() => null)]);
    assert.ok(exit, 'serve exited within the wait');
    assert.deepEqual(exit, { code: 0, signal: null });
    await until('no postgres left for the data directory', () => postmastersFor(dir).length === 0 && !alive(pm));
    assert.equal(existsSync(path.join(dir, 'pg', 'postmaster.pid')), false, 'clean shutdown removes postmaster.pid');
    assert.equal(existsSync(path.join(dir, 'embedded-owner.json')), false, 'the graceful path ran: ownership released');
  });

  test('a stale postmaster.pid with a dead PID does not prevent serve or the CLI from starting', async () => {
    assert.deepEqual(postmastersFor(dir), [], 'precondition: stopped');
    const pgDir = path.join(dir, 'pg');
    const { uid, gid } = statSync(pgDir);
    const writeStale = () => {
      const dead = spawnSync('true').pid!;
      assert.equal(alive(dead), false);
      const creds = JSON.parse(readFileSync(path.join(dir, 'embedded-credentials.json'), 'utf8')) as { port: number };
      const file = path.join(pgDir, 'postmaster.pid');
      writeFileSync(file, `${dead}\n${pgDir}\n${Math.floor(Date.now() / 1000)}\n${creds.port}\n\n127.0.0.1\n  1234567     7\nready   \n`, { mode: 0o600 });
      chownSync(file, uid, gid);
      return dead;
    };

    const dead = writeStale();
    const s = startServe(dir, await freePort());
    await waitReady(s);
    const pm = postmasterPid(dir)!;
    assert.notEqual(pm, dead);
    assert.ok(alive(pm));
    assert.deepEqual(postmastersFor(dir), [pm]);
    assert.equal((await login(s.port, 'ada@acme.test', PASSWORD)).status, 200);
    assert.deepEqual(await stopServe(s, 'SIGTERM'), { code: 0, signal: null });
    await until('postgres stopped', () => postmastersFor(dir).length === 0);

    // A one-shot CLI command on a stale pid file starts its own server and stops it again.
    writeStale();
    assert.deepEqual((await orgNames(dir)).names, ['Acme']);
    assert.deepEqual(postmastersFor(dir), []);
  });
});
