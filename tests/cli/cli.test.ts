import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { attest as runAttest, type Run } from '../support/cli.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postmastersFor } from '../support/processes.ts';

// The real executable, as an operator runs it: each command starts (or joins) the embedded
// PostgreSQL in the --data directory and stops it again when done.
const PASSWORD = 'a perfectly long cli password';

// stdin is not a terminal, so nothing may prompt.
const attest = (args: string[], env: Record<string, string> = {}, timeoutMs = 90_000) => runAttest(args, { env, timeoutMs });

function json<T = any>(r: Run): T {
  assert.equal(r.code, 0, `expected success, got ${r.code}\nstderr: ${r.stderr}`);
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    return assert.fail(`stdout is not JSON: ${r.stdout}`);
  }
}

function assertCleanFailure(r: Run, code: number, message: RegExp) {
  assert.equal(r.code, code, `exit code; stdout: ${r.stdout} stderr: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at .+:\d+:\d+/, 'no stack trace');
}


function cleanup(dir: string) {
  // A command that crashed could leave its server behind; never leave one running.
  for (const pid of postmastersFor(dir)) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
  rmSync(dir, { recursive: true, force: true });
}

const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'attest-cli-'));
  dirs.push(d);
  return d;
};
after(() => { for (const d of dirs) cleanup(d); });

test('--help exits 0 and lists the commands', async () => {
  const r = await attest(['--help']);
  assert.equal(r.code, 0);
  for (const cmd of ['serve', 'migrate', 'admin', 'orgs']) assert.match(r.stdout, new RegExp(`\\b${cmd}\\b`));
  assert.match(r.stdout, /--data <dir>/);
});

// The steps share one data directory and run in order; together they take longer than one test's default limit.
describe('administration on one data directory', { timeout: 600_000 }, () => {
  let dir: string;
  let orgId: string;
  before(() => { dir = freshDir(); });

  test('admin bootstrap creates the first organization and owner', async () => {
    const out = json(await attest(['--data', dir, '--json', 'admin', 'bootstrap', '--org', 'Acme', '--email', 'a@acme.test', '--password', PASSWORD]));
    assert.match(out.orgId, /^[0-9a-f-]{36}$/);
    assert.equal(out.orgSlug, 'acme');
    assert.match(out.userId, /^[0-9a-f-]{36}$/);
    orgId = out.orgId;
    // The command stopped the server it started.
    assert.deepEqual(postmastersFor(dir), []);
  });

  test('a second bootstrap fails with exit code 1 and says why', async () => {
    const r = await attest(['--data', dir, 'admin', 'bootstrap', '--org', 'Other', '--email', 'b@acme.test', '--password', PASSWORD]);
    assertCleanFailure(r, 1, /already set up/i);
    assert.equal(r.stdout.trim(), '');
  });

  test('orgs list --json lists it; global options work before and after the subcommand', async () => {
    const before = json<{ id: string; name: string; slug: string; members: number }[]>(await attest(['--data', dir, '--json', 'orgs', 'list']));
    assert.deepEqual(before.map((o) => [o.id, o.name, o.slug, o.members]), [[orgId, 'Acme', 'acme', 1]]);
    const after = json<{ id: string }[]>(await attest(['orgs', 'list', '--json', '--data', dir]));
    assert.deepEqual(after.map((o) => o.id), [orgId]);
  });

  test('orgs create adds an organization owned by an existing user', async () => {
    const r = await attest(['--data', dir, 'orgs', 'create', 'Second', '--owner', 'a@acme.test']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Created organization "Second" \(second\)/);
    const list = json<{ name: string }[]>(await attest(['--data', dir, '--json', 'orgs', 'list']));
    assert.deepEqual(list.map((o) => o.name).sort(), ['Acme', 'Second']);
  });

  test('orgs create with an unknown owner exits 3 naming the email', async () => {
    assertCleanFailure(await attest(['--data', dir, 'orgs', 'create', 'Third', '--owner', 'ghost@acme.test']), 3, /ghost@acme\.test/);
  });

  test('admin users list --json shows the owner with both memberships', async () => {
    const users = json<{ email: string; disabled: boolean; twoFactor: boolean; orgs: string[] }[]>(await attest(['--data', dir, '--json', 'admin', 'users', 'list']));
    assert.equal(users.length, 1);
    assert.equal(users[0]!.email, 'a@acme.test');
    assert.equal(users[0]!.disabled, false);
    assert.deepEqual([...users[0]!.orgs].sort(), ['acme:owner', 'second:owner']);
  });

  test('admin users disable of an unknown email exits 3 naming the email', async () => {
    assertCleanFailure(await attest(['--data', dir, 'admin', 'users', 'disable', 'nobody@x.test']), 3, /nobody@x\.test/);
  });

  test('admin users disable / enable of a real user round-trips', async () => {
    const off = json(await attest(['--data', dir, '--json', 'admin', 'users', 'disable', 'A@Acme.test']));
    assert.deepEqual(off, { email: 'a@acme.test', result: 'disable' });
    let users = json<{ disabled: boolean }[]>(await attest(['--data', dir, '--json', 'admin', 'users', 'list']));
    assert.equal(users[0]!.disabled, true);
    assert.equal((await attest(['--data', dir, 'admin', 'users', 'enable', 'a@acme.test'])).code, 0);
    users = json(await attest(['--data', dir, '--json', 'admin', 'users', 'list']));
    assert.equal(users[0]!.disabled, false);
  });

  test('invalid input exits non-zero with a clear message, never a stack trace', async () => {
    assertCleanFailure(await attest(['--data', dir, 'admin', 'users', 'disable', 'not-an-email']), 1, /valid email/i);
    assertCleanFailure(await attest(['--data', dir, 'orgs', 'create', 'X', '--owner', 'a@acme.test']), 1, /organization name/i);
    assertCleanFailure(await attest(['--data', dir, 'orgs', 'create', 'Fine name', '--owner', 'bad']), 1, /valid --owner email/i);
    const fresh = freshDir();
    assertCleanFailure(await attest(['--data', fresh, 'admin', 'bootstrap', '--org', 'Acme', '--email', 'nope', '--password', PASSWORD]), 1, /--email.*valid email/i);
    assertCleanFailure(await attest(['--data', fresh, 'admin', 'bootstrap', '--org', 'Acme', '--email', 'a@acme.test', '--password', 'short']), 1, /password.*12/i);
    // A missing required option is commander's job: non-zero with usage help.
    const missing = await attest(['--data', fresh, 'admin', 'bootstrap', '--org', 'Acme']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /--email/);
  });

  test('migrate succeeds and is idempotent', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await attest(['--data', dir, 'migrate']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /up to date/);
    }
    assert.deepEqual(json(await attest(['--data', dir, '--json', 'migrate'])), { migrated: true });
    // Data survived the re-runs.
    assert.equal(json<unknown[]>(await attest(['--data', dir, '--json', 'orgs', 'list'])).length, 2);
  });
});

test('migrate on a brand-new data directory initialises it, twice in a row', async () => {
  const dir = freshDir();
  for (let i = 0; i < 2; i++) assert.deepEqual(json(await attest(['--data', dir, '--json', 'migrate'])), { migrated: true });
  assert.deepEqual(json(await attest(['--data', dir, '--json', 'orgs', 'list'])), []);
});

test('bootstrap takes the password from ATTEST_BOOTSTRAP_PASSWORD', async () => {
  const dir = freshDir();
  const out = json(await attest(['--data', dir, '--json', 'admin', 'bootstrap', '--org', 'Env Org', '--email', 'env@acme.test'], { ATTEST_BOOTSTRAP_PASSWORD: PASSWORD }));
  assert.match(out.orgId, /^[0-9a-f-]{36}$/);
  const users = json<{ email: string }[]>(await attest(['--data', dir, '--json', 'admin', 'users', 'list']));
  assert.deepEqual(users.map((u) => u.email), ['env@acme.test']);
});

test('bootstrap with no password and no terminal prints a one-time setup link instead', async () => {
  const dir = freshDir();
  const human = await attest(['--data', dir, 'admin', 'bootstrap', '--org', 'Link Org', '--email', 'link@acme.test']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /https?:\/\/\S+\/setup\?token=[\w-]{20,}/);
  const machine = json<{ setupUrl: string }>(await attest(['--data', dir, '--json', 'admin', 'bootstrap', '--org', 'Link Org', '--email', 'link@acme.test']));
  assert.match(machine.setupUrl, /\/setup\?token=[\w-]{20,}$/);
  // Nothing was created: the link is how setup gets finished.
  assert.deepEqual(json(await attest(['--data', dir, '--json', 'admin', 'users', 'list'])), []);
  assert.deepEqual(json(await attest(['--data', dir, '--json', 'orgs', 'list'])), []);
});
