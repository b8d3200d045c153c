import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import pg from 'pg';
import { freshDatabaseUrl } from '../../../tests/support/db.ts';
import { postgresCheck } from './postgres.check.ts';
import { runCheck } from './run-check.ts';

let url: string;
const staleIpRows = "SELECT count(*) AS stale FROM access_log WHERE client_ip IS NOT NULL AND created_at < now() - interval '25 hours'";

async function sql(text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

before(async () => {
  url = await freshDatabaseUrl();
  await sql(`CREATE TABLE access_log (id serial PRIMARY KEY, client_ip inet, path text NOT NULL, created_at timestamptz NOT NULL);
    INSERT INTO access_log (client_ip, path, created_at) VALUES
      ('203.0.113.7', '/login', now() - interval '24 hours'),
      ('198.51.100.23', '/', now() - interval '1 hour'),
      (NULL, '/old-anonymised', now() - interval '40 days')`);
});

const run = (config: Record<string, unknown>) => runCheck(postgresCheck, config, { timeoutMs: 15_000 });

test('no client IP older than 25 hours: passes at 24 hours, fails once a 26-hour-old row exists', async () => {
  const config = { url, ssl: 'disable', query: staleIpRows, expect: { kind: 'firstValue', op: 'eq', value: 0 } };
  const ok = await run(config);
  assert.equal(ok.status, 'pass', ok.summary);
  assert.deepEqual(ok.assertions, [{ name: 'first value (stale)', expected: '= 0', actual: '0', passed: true }]);
  assert.match(ok.output, /stale\n0\n\(1 row\(s\)\)$/);

  await sql("INSERT INTO access_log (client_ip, path, created_at) VALUES ('192.0.2.99', '/admin', now() - interval '26 hours')");
  const bad = await run(config);
  assert.equal(bad.status, 'fail');
  assert.deepEqual(bad.assertions, [{ name: 'first value (stale)', expected: '= 0', actual: '1', passed: false }]);
  assert.match(bad.summary, /first value \(stale\) expected = 0, got 1/);
  await sql("DELETE FROM access_log WHERE path = '/admin'");
});

test('row count assertions with parameters, on a connection given as fields', async () => {
  const u = new URL(url);
  const fields = { host: u.hostname, port: Number(u.port), database: u.pathname.slice(1), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), ssl: 'disable' };
  const query = 'SELECT id, client_ip, path FROM access_log WHERE client_ip IS NOT NULL AND path <> $1 ORDER BY id';
  const two = await run({ ...fields, query, params: ['/nothing'], expect: { kind: 'rowCount', op: 'eq', value: 2 } });
  assert.equal(two.status, 'pass', two.summary);
  assert.match(two.output, /id\tclient_ip\tpath\n1\t203\.0\.113\.7\t\/login\n2\t198\.51\.100\.23\t\/\n\(2 row\(s\)\)/);
  const atMostOne = await run({ ...fields, query, params: ['/login'], expect: { kind: 'rowCount', op: 'lte', value: 0 } });
  assert.equal(atMostOne.status, 'fail');
  assert.equal(atMostOne.assertions[0]!.actual, '1');
  assert.ok(!JSON.stringify([two, atMostOne]).includes(fields.password), 'the password leaked');
});

test('a large result is counted on the server through a cursor; only the first rows are recorded', async () => {
  const o = await run({ url, query: 'SELECT g AS n, md5(g::text) AS h FROM generate_series(1, 50000) AS g;', expect: { kind: 'rowCount', op: 'eq', value: 50000 } });
  assert.equal(o.status, 'pass', o.summary);
  assert.match(o.output, /\nn\th\n1\tc4ca4238a0b923820dcc509a6f75849b\n[\s\S]*\n20\t[0-9a-f]{32}\n… 49980 more row\(s\)\n\(50000 row\(s\)\)$/);
  const first = await run({ url, query: 'SELECT max(g) FROM generate_series(1, $1::int) AS g', params: [7], expect: { kind: 'firstValue', op: 'gte', value: 7 } });
  assert.equal(first.status, 'pass', first.summary);
});

test('a server setting read with SHOW is compared as text', async () => {
  const o = await run({ url, query: 'SHOW password_encryption', expect: { kind: 'firstValue', op: 'eq', value: 'scram-sha-256' } });
  assert.equal(o.status, 'pass', o.summary);
  const md5 = await run({ url, query: 'SHOW password_encryption', expect: { kind: 'firstValue', op: 'eq', value: 'md5' } });
  assert.deepEqual(md5.assertions, [{ name: 'first value (password_encryption)', expected: '= md5', actual: 'scram-sha-256', passed: false }]);
});

test('writes are refused by the read-only transaction, also when smuggled after a COMMIT', async () => {
  for (const query of ['DELETE FROM access_log', 'WITH gone AS (DELETE FROM access_log RETURNING 1) SELECT count(*) FROM gone', 'COMMIT; DELETE FROM access_log']) {
    const o = await run({ url, query, expect: { kind: 'rowCount', op: 'gte', value: 0 } });
    assert.equal(o.status, 'error', query);
    assert.match(o.summary, /read-only transaction|multiple commands|cannot insert multiple commands/, query);
  }
  const { rows } = await sql('SELECT count(*)::int AS n FROM access_log');
  assert.equal(rows[0].n, 3);
});

test('a bad password, an unknown database and a statement timeout are errors without the secret in them', async () => {
  const wrong = new URL(url);
  wrong.password = 'wrong-password-4711';
  const o = await run({ url: wrong.toString(), query: 'SELECT 1', expect: { kind: 'rowCount', op: 'eq', value: 1 } });
  assert.equal(o.status, 'error');
  assert.match(o.summary, /password authentication failed/);
  assert.ok(!JSON.stringify(o).includes('wrong-password-4711'));

  const missing = new URL(url);
  missing.pathname = '/attest_t_no_such_db';
  const m = await run({ url: missing.toString(), query: 'SELECT 1', expect: { kind: 'rowCount', op: 'eq', value: 1 } });
  assert.equal(m.status, 'error');
  assert.match(m.summary, /does not exist/);

  const slow = await run({ url, query: 'SELECT pg_sleep(30)', statementTimeoutMs: 200, expect: { kind: 'rowCount', op: 'eq', value: 1 } });
  assert.equal(slow.status, 'error');
  assert.match(slow.summary, /statement timeout/);
});

test('a config without a connection is an error outcome naming the field', async () => {
  const o = await run({ host: '127.0.0.1', query: 'SELECT 1', expect: { kind: 'rowCount', op: 'eq', value: 1 } });
  assert.equal(o.status, 'error');
  assert.match(o.summary, /url: Give a connection URL, or host, database and user\./);
});
