import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { boundOutput, type CheckPlugin, concludeOutcome } from './check-plugin.ts';
import { checkDefinitionSchema, checkTypes, describePlugins, getPlugin } from './registry.ts';
import { runCheck } from './run-check.ts';
import { REDACTED } from './secrets.ts';

// A plug-in written for these tests: its behaviour is chosen by its config.
const probe: CheckPlugin<z.ZodObject<{ mode: z.ZodEnum<{ pass: 'pass'; throw: 'throw'; hang: 'hang'; leak: 'leak' }>; token: z.ZodString }>> = {
  type: 'probe',
  title: 'Probe',
  description: 'Runner test plug-in',
  config: z.object({ mode: z.enum(['pass', 'throw', 'hang', 'leak']), token: z.string().min(8) }),
  secretFields: ['token'],
  async run(config, ctx) {
    const startedAt = Date.now();
    if (config.mode === 'throw') throw new TypeError(`boom with ${config.token}`);
    if (config.mode === 'hang') await new Promise(() => undefined); // ignores the signal on purpose
    const leak = config.mode === 'leak' ? ` token=${config.token}` : '';
    return concludeOutcome(ctx, startedAt, { assertions: [{ name: `seen${leak}`, expected: 'yes', actual: `yes${leak}`, passed: true }], output: `output${leak}`, subject: `probe${leak}` });
  },
};
const anyProbe = probe as unknown as CheckPlugin;
const token = 'tok_1234567890secret';

test('an exception inside the plug-in becomes an error outcome, with secrets scrubbed', async () => {
  const o = await runCheck(anyProbe, { mode: 'throw', token }, { timeoutMs: 5000 });
  assert.equal(o.status, 'error');
  assert.equal(o.summary, `The check failed unexpectedly: boom with ${REDACTED}`);
  assert.ok(o.observedAt instanceof Date);
});

test('a plug-in that ignores its signal is cut off at the hard timeout', async () => {
  const o = await runCheck(anyProbe, { mode: 'hang', token }, { timeoutMs: 200 });
  assert.equal(o.status, 'error');
  assert.equal(o.summary, 'Timed out after 200 ms.');
});

test('the caller can cancel a run, also before it starts', async () => {
  const controller = new AbortController();
  const running = runCheck(anyProbe, { mode: 'hang', token }, { timeoutMs: 60_000, signal: controller.signal });
  controller.abort(new Error('shutting down'));
  assert.equal((await running).summary, 'The check was cancelled: shutting down');
  const early = await runCheck(anyProbe, { mode: 'pass', token }, { timeoutMs: 60_000, signal: AbortSignal.abort(new Error('too late')) });
  assert.equal(early.status, 'error');
});

test('secret values are scrubbed from summary, assertions and output', async () => {
  const o = await runCheck(anyProbe, { mode: 'leak', token }, { timeoutMs: 5000, now: () => new Date('2026-01-01T00:00:00Z') });
  assert.equal(o.status, 'pass');
  assert.ok(!JSON.stringify(o).includes(token));
  assert.equal(o.output, `output token=${REDACTED}`);
  assert.equal(o.assertions[0]!.actual, `yes token=${REDACTED}`);
  assert.equal(o.observedAt.toISOString(), '2026-01-01T00:00:00.000Z');
});

test('an invalid config is an error outcome that names each bad field', async () => {
  const o = await runCheck(anyProbe, { mode: 'explode', token: 'short' }, { timeoutMs: 5000 });
  assert.equal(o.status, 'error');
  assert.match(o.summary, /^Invalid probe check config: mode: .*; token: /);
  assert.ok(!o.summary.includes('short'));
});

test('the registry: every built-in by type, one discriminated union for the API, JSON Schemas for the UI', () => {
  assert.deepEqual(checkTypes, ['http', 'postgres', 'file', 'command', 'logfile']);
  for (const type of checkTypes) assert.equal(getPlugin(type)?.type, type);
  assert.equal(getPlugin('nope'), undefined);

  const ok = checkDefinitionSchema.safeParse({ type: 'file', config: { path: '/etc/ssh/sshd_config', lines: [{ pattern: '^PasswordAuthentication no' }] } });
  assert.ok(ok.success);
  assert.deepEqual(ok.data.config, { path: '/etc/ssh/sshd_config', exists: true, lines: [{ pattern: '^PasswordAuthentication no', flags: '', present: true }], maxBytes: 8 * 1024 * 1024 });
  const bad = checkDefinitionSchema.safeParse({ type: 'http', config: { url: 'not a url' } });
  assert.ok(!bad.success);
  assert.deepEqual(bad.error.issues.map((i) => i.path.join('.')), ['config.url']);
  assert.ok(!checkDefinitionSchema.safeParse({ type: 'ftp', config: {} }).success);

  const described = describePlugins();
  assert.deepEqual(described.map((d) => [d.type, d.secretFields]), [['http', ['secretHeaders.*']], ['postgres', ['url', 'password']], ['file', []], ['command', ['secretEnv.*']], ['logfile', []]]);
  for (const d of described) assert.equal((d.configSchema as { type?: string }).type, 'object', d.type);
});

test('output is bounded in bytes without splitting a character', () => {
  assert.equal(boundOutput('short'), 'short');
  const long = 'é'.repeat(1000);
  const cut = boundOutput(long, 300);
  assert.ok(Buffer.byteLength(cut) <= 300);
  assert.match(cut, /^é+\n\[output truncated: 2000 bytes, first 300 kept\]$/);
});
