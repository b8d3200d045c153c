import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { commandCheck } from './command.check.ts';
import { OUTPUT_LIMIT_BYTES } from './check-plugin.ts';
import { runCheck } from './run-check.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-command-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const run = (config: Record<string, unknown>, timeoutMs = 10_000) => runCheck(commandCheck, config, { timeoutMs });

test('the exit code is asserted: exit 3 passes when 3 is expected and fails against the default 0', async () => {
  const ok = await run({ command: '/bin/sh', args: ['-c', 'exit 3'], expectExitCode: [1, 3] });
  assert.equal(ok.status, 'pass', ok.summary);
  const bad = await run({ command: '/bin/sh', args: ['-c', 'exit 3'] });
  assert.equal(bad.status, 'fail');
  assert.deepEqual(bad.assertions, [{ name: 'exit code', expected: '0', actual: '3', passed: false }]);
  assert.equal(bad.summary, '/bin/sh exited 3: exit code expected 0, got 3');
});

test('stdout and stderr patterns, with the program found on PATH and no shell re-parsing the arguments', async () => {
  const o = await run({
    command: 'echo', args: ['hello world', '$(id)'],
    stdout: [{ name: 'greets', pattern: '^hello world \\$\\(id\\)$', flags: 'm' }, { pattern: 'uid=', present: false }],
  });
  assert.equal(o.status, 'pass', o.summary);
  assert.match(o.output, /^\$ echo "hello world" "\$\(id\)"\nexit code 0\n--- stdout ---\nhello world \$\(id\)\n/);

  const err = await run({ command: '/bin/sh', args: ['-c', 'echo "disk almost full" >&2; exit 1'], expectExitCode: 1, stderr: [{ pattern: 'full' }], stdout: [{ pattern: '.' }] });
  assert.equal(err.status, 'fail');
  assert.deepEqual(err.assertions.map((a) => [a.name, a.passed]), [['exit code', true], ['stdout /./', false], ['stderr /full/', true]]);
  assert.match(err.output, /--- stderr ---\ndisk almost full/);
});

test('a shell script gets its arguments as $1…, runs in cwd and sees only the allowed environment', async () => {
  const o = await run({
    command: 'printf "%s|%s|%s|%s|%s\\n" "$1" "$(pwd)" "$REGION" "$(printenv HOME || echo unset)" "$API_TOKEN"', shell: true, args: ['first arg'], cwd: dir,
    env: { REGION: 'eu-1' }, secretEnv: { API_TOKEN: 'tok-very-secret-123' },
    stdout: [{ pattern: `^first arg\\|${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\|eu-1\\|unset\\|` }],
  });
  assert.equal(o.status, 'pass', `${o.summary}\n${o.output}`);
  assert.ok(!JSON.stringify(o).includes('tok-very-secret-123'), 'the secret env value leaked');
  assert.match(o.output, /\|unset\|\[redacted\]/);
});

test('a command that overruns the timeout is an error and its whole process tree is killed', async () => {
  const pidFile = path.join(dir, 'sleeper.pid');
  const o = await run({ command: '/bin/sh', args: ['-c', `sleep 60 & echo $! > ${pidFile}; wait`] }, 2500);
  assert.equal(o.status, 'error');
  assert.match(o.summary, /Timed out after 2500 ms/);
  assert.ok(existsSync(pidFile), 'the script did not start its background sleep');
  const sleeper = Number(readFileSync(pidFile, 'utf8'));
  let alive = true;
  for (let i = 0; i < 200 && alive; i++) {
    alive = isRunning(sleeper);
    if (alive) await sleep(50);
  }
  assert.equal(alive, false, `the background sleep ${sleeper} survived the timeout`);
});

test('a missing program is an error; huge output is bounded', async () => {
  const missing = await run({ command: '/nonexistent/bin/tool' });
  assert.equal(missing.status, 'error');
  assert.match(missing.summary, /ENOENT/);

  const big = await run({ command: '/bin/sh', args: ['-c', 'head -c 300000 /dev/zero | tr "\\0" x'], maxOutputBytes: 100_000 });
  assert.equal(big.status, 'pass');
  assert.ok(Buffer.byteLength(big.output) <= OUTPUT_LIMIT_BYTES);
  assert.match(big.output, /\[output truncated: \d+ bytes, first 65536 kept\]$/);
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed child not yet reaped by its new parent is a zombie: it no longer runs.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
