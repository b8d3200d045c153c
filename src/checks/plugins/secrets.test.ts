import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concludeOutcome } from './check-plugin.ts';
import { checkOutcomeSchema, outcomeToJson } from './outcome.schema.ts';
import { getPlugin } from './registry.ts';
import { extractSecrets, keepUnchangedSecrets, REDACTED, redactConfig, restoreSecrets, secretValues } from './secrets.ts';

const http = getPlugin('http')!;
const pg = getPlugin('postgres')!;

test('secret fields are found by path, with * for records and the password inside a URL', () => {
  const config = { url: 'https://a.test', secretHeaders: { Authorization: 'Bearer abc', 'X-Api-Key': 'k-1' }, headers: { Accept: 'json' } };
  assert.deepEqual(secretValues(http, config), ['Bearer abc', 'k-1']);
  assert.deepEqual(redactConfig(http, config), { ...config, secretHeaders: { Authorization: REDACTED, 'X-Api-Key': REDACTED } });
  assert.equal(config.secretHeaders.Authorization, 'Bearer abc', 'the original is untouched');

  const pgConfig = { url: 'postgres://reader:p%40ss%2Fword@db.internal:5432/app', query: 'SELECT 1' };
  assert.deepEqual(secretValues(pg, pgConfig), [pgConfig.url, 'p%40ss%2Fword', 'p@ss/word']);
  assert.deepEqual(redactConfig(pg, { ...pgConfig, password: 'x' }), { url: REDACTED, password: REDACTED, query: 'SELECT 1' });
  assert.deepEqual(redactConfig(pg, { host: 'h', query: 'q' }), { host: 'h', query: 'q' }, 'absent secrets stay absent');
});

test('extract, store apart, restore: the round trip gives the runnable config back', () => {
  const config = { url: 'https://a.test', secretHeaders: { Authorization: 'Bearer abc' }, headers: { Accept: 'json' } };
  const { config: stored, secrets } = extractSecrets(http, config);
  assert.deepEqual(secrets, [{ path: ['secretHeaders', 'Authorization'], value: 'Bearer abc' }]);
  assert.ok(!JSON.stringify(stored).includes('Bearer abc'));
  assert.deepEqual(restoreSecrets(stored, secrets), config);
});

test('an update that sends REDACTED back keeps the stored secret; a new value replaces it; a new REDACTED field is reported', () => {
  const { secrets } = extractSecrets(pg, { host: 'db', password: 'old-pw', query: 'q' });
  assert.deepEqual(keepUnchangedSecrets(pg, { host: 'db2', password: REDACTED, query: 'q' }, secrets), { config: { host: 'db2', password: 'old-pw', query: 'q' }, missing: [] });
  assert.deepEqual(keepUnchangedSecrets(pg, { host: 'db', password: 'new-pw', query: 'q' }, secrets).config.password, 'new-pw');
  assert.deepEqual(keepUnchangedSecrets(pg, { url: REDACTED, password: REDACTED, query: 'q' }, secrets), { config: { url: REDACTED, password: 'old-pw', query: 'q' }, missing: ['url'] });
});

test('an outcome survives JSON for the push endpoint; an inconsistent or oversized one is refused', () => {
  const ctx = { signal: new AbortController().signal, timeoutMs: 1000, now: () => new Date('2026-06-01T12:00:00Z') };
  const outcome = concludeOutcome(ctx, Date.now(), { subject: 'x', output: 'seen', assertions: [{ name: 'a', expected: '1', actual: '2', passed: false }] });
  const json = JSON.parse(JSON.stringify(outcomeToJson(outcome)));
  assert.deepEqual(checkOutcomeSchema.parse(json), outcome);
  const lying = checkOutcomeSchema.safeParse({ ...json, status: 'pass' });
  assert.deepEqual(lying.error?.issues.map((i) => i.path.join('.')), ['status']);
  assert.ok(!checkOutcomeSchema.safeParse({ ...json, output: 'é'.repeat(40_000) }).success);
  assert.ok(!checkOutcomeSchema.safeParse({ ...json, observedAt: 'yesterday' }).success);
});
