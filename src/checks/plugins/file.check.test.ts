import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileCheck } from './file.check.ts';
import { runCheck } from './run-check.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-file-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const hardened = `# managed by config management
Port 22
#PasswordAuthentication yes
PasswordAuthentication no
PermitRootLogin no
TrustedUserCAKeys /etc/ssh/user_ca.pub
`;
const weak = `Port 22
PasswordAuthentication yes
# TrustedUserCAKeys /etc/ssh/user_ca.pub
PermitRootLogin yes
`;
const sshdRules = [
  { name: 'password sign-in disabled', pattern: '^\\s*PasswordAuthentication\\s+no\\b', flags: 'i' },
  { name: 'user CA trusted', pattern: '^\\s*TrustedUserCAKeys\\s+\\S+' },
  { name: 'root login allowed', pattern: '^\\s*PermitRootLogin\\s+yes\\b', present: false },
];
const now = new Date('2026-06-01T12:00:00Z');
function write(name: string, text: string, mode = 0o644, mtime = new Date('2026-06-01T10:00:00Z')) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  utimesSync(file, mtime, mtime);
  return file;
}
const run = (config: Record<string, unknown>) => runCheck(fileCheck, config, { timeoutMs: 10_000, now: () => now });

test('a hardened sshd_config passes the directive, mode, owner and age assertions', async () => {
  const file = write('sshd_config', hardened);
  const o = await run({ path: file, maxMode: '0644', ownerUid: process.getuid!(), maxAgeHours: 24, lines: sshdRules });
  assert.equal(o.status, 'pass', o.summary);
  assert.deepEqual(o.assertions.map((a) => [a.name, a.actual]), [
    ['exists', 'yes'], ['mode', '0644'], ['owner uid', String(process.getuid!())], ['age (hours since modified)', '2.0 (modified 2026-06-01T10:00:00.000Z)'],
    ['password sign-in disabled', 'present (line 4)'], ['user CA trusted', 'present (line 6)'], ['root login allowed', 'absent'],
  ]);
  assert.match(o.output, /^\/\^\\s\*PasswordAuthentication\\s\+no\\b\/i: 1 matching line\(s\)\n {2}4: PasswordAuthentication no$/m);
  assert.ok(!o.output.includes('Port 22'), 'lines no rule points at are not recorded');
});

test('a weak sshd_config fails every directive, with commented-out lines not counting', async () => {
  const file = write('sshd_config.weak', weak, 0o666, new Date('2026-05-01T00:00:00Z'));
  const o = await run({ path: file, maxMode: '644', maxAgeHours: 24, lines: sshdRules });
  assert.equal(o.status, 'fail');
  assert.deepEqual(o.assertions.filter((a) => !a.passed).map((a) => `${a.name}: ${a.actual}`), [
    'mode: 0666', 'age (hours since modified): 756.0 (modified 2026-05-01T00:00:00.000Z)',
    'password sign-in disabled: absent', 'user CA trusted: absent', 'root login allowed: present (line 4)',
  ]);
  assert.match(o.summary, /mode expected within 0644, got 0666/);
});

test('a missing file fails when it must exist and passes when it must not', async () => {
  const gone = path.join(dir, 'no-such-file');
  const must = await run({ path: gone, lines: sshdRules });
  assert.equal(must.status, 'fail');
  assert.deepEqual(must.assertions, [{ name: 'exists', expected: 'yes', actual: 'no', passed: false }]);
  assert.equal((await run({ path: gone, exists: false })).status, 'pass');
  const leftover = write('id_rsa', 'PRIVATE KEY MATERIAL', 0o600);
  const present = await run({ path: leftover, exists: false });
  assert.equal(present.status, 'fail');
  assert.ok(!present.output.includes('PRIVATE KEY MATERIAL'));
});

test('a directory, an oversized file and a relative path are errors', async () => {
  assert.match((await run({ path: dir })).summary, /is not a regular file/);
  const big = write('big.log', 'x'.repeat(2000));
  const o = await run({ path: big, maxBytes: 1000, lines: [{ pattern: 'x' }] });
  assert.equal(o.status, 'error');
  assert.match(o.summary, /2000 bytes, more than maxBytes 1000/);
  const rel = await run({ path: 'etc/ssh/sshd_config', lines: [{ pattern: '(' }] });
  assert.equal(rel.status, 'error');
  assert.match(rel.summary, /path: Enter an absolute path\..*lines\.0\.pattern: Enter a valid regular expression\./);
});
