import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { logfileCheck, readTimestamp } from './logfile.check.ts';
import { runCheck } from './run-check.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-logfile-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const now = new Date('2026-06-01T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const ipv4 = '\\b\\d{1,3}(\\.\\d{1,3}){3}\\b';
const isoStamp = { pattern: '^(\\S+)', format: 'iso8601' };
const run = (config: Record<string, unknown>, at = now) => runCheck(logfileCheck, config, { timeoutMs: 20_000, now: () => at });

function appLog(name: string, ageHours: number[]): string {
  const file = path.join(dir, name);
  const lines = ageHours.flatMap((h, i) => [
    `${hoursAgo(h).toISOString()} INFO request from 203.0.113.${i + 1} GET /login 200`,
    `${hoursAgo(h).toISOString()} INFO cache warmed`,
  ]);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('no line with an IP older than 25 hours: passes with 24-hour-old lines, fails with a 26-hour-old one', async () => {
  const config = { pattern: ipv4, timestamp: isoStamp, oldestMaxAgeHours: 25, newestMaxAgeHours: 2, maxCount: 10 };
  const ok = await run({ ...config, path: appLog('fresh.log', [24, 5, 1]) });
  assert.equal(ok.status, 'pass', ok.summary);
  assert.deepEqual(ok.assertions.map((a) => [a.name, a.actual]), [
    ['matching lines', '3'],
    ['newest match age', '1.00 h (line 5, 2026-06-01T11:00:00.000Z)'],
    ['oldest match age', '24.00 h (line 1, 2026-05-31T12:00:00.000Z)'],
    ['timestamps readable', 'all'],
  ]);
  assert.ok(!ok.output.includes('203.0.113'), 'log lines (and their IPs) are not copied into the evidence');
  assert.match(ok.output, /6 line\(s\), 3 matching/);

  const stale = await run({ ...config, path: appLog('stale.log', [26, 24, 1]) });
  assert.equal(stale.status, 'fail');
  assert.deepEqual(stale.assertions.filter((a) => !a.passed).map((a) => `${a.name} ${a.expected}: ${a.actual}`), ['oldest match age ≤ 25 h: 26.00 h (line 1, 2026-05-31T10:00:00.000Z)']);
});

test('the injected clock decides ages: the same file goes stale when now moves on', async () => {
  const file = appLog('quiet.log', [3, 1]);
  const config = { path: file, pattern: ipv4, timestamp: isoStamp, newestMaxAgeHours: 2, oldestMinAgeHours: 2 };
  assert.equal((await run(config)).status, 'pass');
  const later = await run(config, new Date(now.getTime() + 10 * 3_600_000));
  assert.equal(later.status, 'fail');
  assert.equal(later.assertions[0]!.actual, '11.00 h (line 3, 2026-06-01T11:00:00.000Z)');
});

test('epoch seconds and Common Log Format timestamps, counts with minimum and maximum', async () => {
  const epochFile = path.join(dir, 'epoch.log');
  writeFileSync(epochFile, [`${hoursAgo(2).getTime() / 1000} login ok user=7`, `${hoursAgo(30).getTime() / 1000} login failed user=9`, 'garbage login failed'].join('\n'));
  const failed = await run({ path: epochFile, pattern: 'login failed', timestamp: { pattern: '^(\\d+(?:\\.\\d+)?)\\s', format: 'epoch-seconds' }, maxCount: 0, oldestMaxAgeHours: 48 });
  assert.equal(failed.status, 'fail');
  assert.deepEqual(failed.assertions.map((a) => `${a.name}: ${a.actual} ${a.passed}`), [
    'matching lines: 2 false', 'oldest match age: 30.00 h (line 2, 2026-05-31T06:00:00.000Z) true', 'timestamps readable: 1 unreadable (first at line 3) false',
  ]);

  const clfFile = path.join(dir, 'access.log');
  writeFileSync(clfFile, [
    '198.51.100.4 - - [01/Jun/2026:13:30:00 +0200] "GET / HTTP/1.1" 200 512',
    '198.51.100.5 - - [31/May/2026:07:00:00 -0300] "GET /a HTTP/1.1" 404 0',
  ].join('\r\n'));
  const clf = await run({ path: clfFile, pattern: ipv4, timestamp: { pattern: '\\[(?<ts>[^\\]]+)\\]', format: 'clf' }, minCount: 2, oldestMaxAgeHours: 25 });
  assert.equal(clf.status, 'fail');
  assert.equal(clf.assertions[1]!.actual, '26.00 h (line 2, 2026-05-31T10:00:00.000Z)');
  assert.match(clf.output, /newest match: 0\.50 h \(line 1, 2026-06-01T11:30:00\.000Z\)/);
});

test('a large log is streamed line by line', async () => {
  const file = path.join(dir, 'big.log');
  const out = createWriteStream(file);
  const stamps = Array.from({ length: 20 }, (_, h) => hoursAgo(h + 0.5).toISOString());
  for (let block = 0; block < 20; block++) {
    const lines: string[] = [];
    for (let i = block * 10_000; i < (block + 1) * 10_000; i++) lines.push(`${stamps[i % 20]} ${i % 1000 === 0 ? `client 192.0.2.${i % 250}` : 'heartbeat'} ${'.'.repeat(40)}\n`);
    out.write(lines.join(''));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  const o = await run({ path: file, pattern: ipv4, timestamp: isoStamp, maxCount: 200, oldestMaxAgeHours: 25 });
  assert.equal(o.status, 'pass', o.summary);
  assert.equal(o.assertions[0]!.actual, '200');
  assert.match(o.output, /200000 line\(s\), 200 matching/);
});

test('a missing file, a directory and age assertions without a timestamp format are errors', async () => {
  const missing = await run({ path: path.join(dir, 'nope.log'), pattern: 'x' });
  assert.equal(missing.status, 'error');
  assert.match(missing.summary, /ENOENT/);
  const directory = await run({ path: dir, pattern: 'x' });
  assert.match(directory.summary, /is not a regular file/);
  const bad = await run({ path: path.join(dir, 'nope.log'), pattern: 'x', oldestMaxAgeHours: 25 });
  assert.match(bad.summary, /timestamp: Age assertions need a timestamp pattern and format\./);
});

test('timestamp formats', () => {
  const re = /^(\S+(?: \d\d:\d\d:\d\d)?)/;
  assert.equal(readTimestamp('2026-06-01T10:00:00+02:00 x', re, 'iso8601')?.toISOString(), '2026-06-01T08:00:00.000Z');
  assert.equal(readTimestamp('2026-06-01 10:00:00 x', re, 'iso8601')?.toISOString(), '2026-06-01T10:00:00.000Z');
  assert.equal(readTimestamp('2026-06-01T10:00:00,5-0130 x', re, 'iso8601')?.toISOString(), '2026-06-01T11:30:00.500Z');
  assert.equal(readTimestamp('1780308000123 x', re, 'epoch-millis')?.toISOString(), '2026-06-01T10:00:00.123Z');
  assert.equal(readTimestamp('yesterday x', re, 'iso8601'), undefined);
  assert.equal(readTimestamp('2026-13-45T99:00:00Z x', re, 'iso8601'), undefined);
  assert.equal(readTimestamp('01/Foo/2026:10:00:00 +0000', /^(.*)$/, 'clf'), undefined);
});
