import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { commandCheck } from './command.check.ts';
import { fileCheck } from './file.check.ts';
import { logfileCheck } from './logfile.check.ts';
import type { CheckPolicy } from './policy.ts';
import { runCheck } from './run-check.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-check-policy-'));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(path.join(dir, 'etc'));
mkdirSync(path.join(dir, 'private'));
writeFileSync(path.join(dir, 'etc', 'sshd_config'), 'PasswordAuthentication no\n');
writeFileSync(path.join(dir, 'private', 'keys'), 'SECRET=hunter2\n');
symlinkSync(path.join(dir, 'private', 'keys'), path.join(dir, 'etc', 'innocent'));

const policy: CheckPolicy = { readablePaths: [path.join(dir, 'etc')], commands: [realpathSync('/bin/echo')], allowShell: false };
const opts = { timeoutMs: 10_000, policy };

test('file and log checks read only under the allowed directories, symlinks and .. resolved', async () => {
  const allowed = await runCheck(fileCheck, { path: path.join(dir, 'etc', 'sshd_config'), lines: [{ pattern: 'PasswordAuthentication no' }] }, opts);
  assert.equal(allowed.status, 'pass', allowed.summary);
  assert.equal((await runCheck(fileCheck, { path: path.join(dir, 'etc', 'gone'), exists: false }, opts)).status, 'pass');
  for (const p of [path.join(dir, 'private', 'keys'), path.join(dir, 'etc', 'innocent'), path.join(dir, 'etc', '..', 'private', 'keys'), `${path.join(dir, 'etc')}2/x`]) {
    for (const [plugin, config] of [[fileCheck, { path: p, lines: [{ pattern: '.*' }] }], [logfileCheck, { path: p, pattern: '.*' }]] as const) {
      const o = await runCheck(plugin, config, opts);
      assert.equal(o.status, 'error', p);
      assert.match(o.summary, /^The check policy does not allow reading /, p);
      assert.ok(!o.output.includes('hunter2'));
    }
  }
});

test('command checks run only the allowed programs and no shell scripts', async () => {
  const echo = await runCheck(commandCheck, { command: 'echo', args: ['ok'], stdout: [{ pattern: '^ok' }] }, opts);
  assert.equal(echo.status, 'pass', echo.summary);
  const sh = await runCheck(commandCheck, { command: '/bin/sh', args: ['-c', 'id'] }, opts);
  assert.match(sh.summary, /^The check policy does not allow running \/bin\/sh \(/);
  const script = await runCheck(commandCheck, { command: 'echo hi', shell: true }, opts);
  assert.equal(script.summary, 'The check policy does not allow shell scripts.');
  const missing = await runCheck(commandCheck, { command: 'no-such-tool-here' }, opts);
  assert.equal(missing.summary, "no-such-tool-here was not found on the check's path.");
  const none = await runCheck(commandCheck, { command: 'echo', args: ['x'] }, { timeoutMs: 10_000, policy: { commands: [] } });
  assert.equal(none.status, 'error');
});
