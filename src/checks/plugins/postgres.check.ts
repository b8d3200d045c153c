import pg from 'pg';
import { z } from 'zod';
import { type CheckAssertion, type CheckPlugin, concludeOutcome, describeError, errorOutcome } from './check-plugin.ts';
import { comparisonOp, compareValues, describeComparison, formatValue } from './compare.ts';

const scalar = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

export const postgresCheckConfig = z.object({
  /** postgres://user:password@host:port/db?sslmode=…; the whole URL is stored encrypted. */
  url: z.string().regex(/^postgres(ql)?:\/\//, 'Enter a postgres:// URL.').max(2000).optional(),
  host: z.string().min(1).max(255).optional(),
  port: z.number().int().min(1).max(65535).default(5432),
  database: z.string().min(1).max(63).optional(),
  user: z.string().min(1).max(63).optional(),
  password: z.string().max(1000).optional(),
  /** Unset: what the URL says (sslmode), else no TLS. */
  ssl: z.enum(['disable', 'require', 'verify-full']).optional(),
  caPem: z.string().max(100_000).optional(),
  /** One statement; it runs inside BEGIN READ ONLY and is rolled back. */
  query: z.string().trim().min(1, 'Enter a query.').max(20_000),
  params: z.array(scalar).max(100).default([]),
  statementTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  expect: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('rowCount'), op: comparisonOp, value: z.number().int().min(0) }),
    z.object({ kind: z.literal('firstValue'), op: comparisonOp, value: scalar }),
  ]),
}).refine((c) => c.url !== undefined || (c.host !== undefined && c.database !== undefined && c.user !== undefined), {
  message: 'Give a connection URL, or host, database and user.',
  path: ['url'],
});
export type PostgresCheckConfig = z.output<typeof postgresCheckConfig>;

const SAMPLE_ROWS = 20;

export const postgresCheck: CheckPlugin<typeof postgresCheckConfig> = {
  type: 'postgres',
  title: 'PostgreSQL query',
  description: 'Runs a read-only query (use a read-only role) and asserts on its row count or its first value.',
  config: postgresCheckConfig,
  secretFields: ['url', 'password'],
  async run(config, ctx) {
    const startedAt = Date.now();
    const client = new pg.Client(clientConfig(config, ctx.timeoutMs));
    // Ending the client closes its socket, which fails the pending query: the run stops at once.
    const abort = () => { void client.end().catch(() => undefined); };
    ctx.signal.addEventListener('abort', abort, { once: true });
    client.on('error', () => undefined); // a dropped connection surfaces as the query's rejection
    let result: Rows;
    try {
      await client.connect();
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${config.statementTimeoutMs}`);
      result = await runBounded(client, config.query.replace(/;\s*$/, ''), config.params);
      await client.query('ROLLBACK');
    } catch (e) {
      return errorOutcome(ctx, startedAt, `PostgreSQL check could not run: ${describeError(e)}`);
    } finally {
      ctx.signal.removeEventListener('abort', abort);
      await client.end().catch(() => undefined);
    }
    const assertions = [evaluate(config.expect, result)];
    return concludeOutcome(ctx, startedAt, { assertions, output: describeResult(config.query, result), subject: `PostgreSQL query returned ${result.total} row(s)` });
  },
};

function clientConfig(config: PostgresCheckConfig, timeoutMs: number): pg.ClientConfig {
  const ssl = config.ssl === 'require' ? { rejectUnauthorized: false }
    : config.ssl === 'verify-full' ? { rejectUnauthorized: true, ...(config.caPem ? { ca: config.caPem } : {}) }
    : config.ssl === 'disable' ? false : undefined;
  const base: pg.ClientConfig = { connectionTimeoutMillis: timeoutMs, application_name: 'attest-check', ...(ssl !== undefined ? { ssl } : {}) };
  if (config.url) return { ...base, connectionString: config.url };
  return { ...base, host: config.host!, port: config.port, database: config.database!, user: config.user!, ...(config.password !== undefined ? { password: config.password } : {}) };
}

/** The first rows of a result and how many it had in all. */
type Rows = { fields: string[]; rows: unknown[][]; total: number };
type Statement = pg.QueryArrayConfig & { queryMode: 'extended' };

/**
 * Through a cursor when the query allows one (SELECT, VALUES, WITH …): only SAMPLE_ROWS rows
 * travel, MOVE counts the rest on the server, so a large table cannot exhaust our memory.
 * Other statements (SHOW) run directly. Either way the extended protocol takes exactly one
 * statement, so "COMMIT; DELETE …" cannot leave the read-only transaction.
 */
async function runBounded(client: pg.Client, query: string, params: unknown[]): Promise<Rows> {
  await client.query('SAVEPOINT attest_check_probe');
  try {
    const declare: Statement = { text: `DECLARE attest_check NO SCROLL CURSOR FOR ${query}`, values: params, rowMode: 'array', queryMode: 'extended' };
    await client.query(declare);
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT attest_check_probe');
    const direct: Statement = { text: query, values: params, rowMode: 'array', queryMode: 'extended' };
    const result = await client.query(direct);
    return { fields: result.fields.map((f) => f.name), rows: result.rows.slice(0, SAMPLE_ROWS), total: result.rows.length };
  }
  const sample = await client.query({ text: `FETCH FORWARD ${SAMPLE_ROWS} FROM attest_check`, rowMode: 'array' });
  const rest = await client.query('MOVE FORWARD ALL IN attest_check');
  return { fields: sample.fields.map((f) => f.name), rows: sample.rows, total: sample.rows.length + (rest.rowCount ?? 0) };
}

function evaluate(expect: PostgresCheckConfig['expect'], result: Rows): CheckAssertion {
  if (expect.kind === 'rowCount') {
    const count = result.total;
    return { name: 'row count', expected: describeComparison(expect.op, expect.value), actual: String(count), passed: compareValues(expect.op, count, expect.value) };
  }
  const row = result.rows[0];
  const column = result.fields[0] ?? 'first column';
  if (!row || row.length === 0) return { name: `first value (${column})`, expected: describeComparison(expect.op, expect.value), actual: 'no rows', passed: false };
  const value = row[0] instanceof Date ? row[0].toISOString() : row[0];
  return { name: `first value (${column})`, expected: describeComparison(expect.op, expect.value), actual: formatValue(value), passed: compareValues(expect.op, value, expect.value) };
}

function describeResult(query: string, result: Rows): string {
  const rows = result.rows.map((r) => r.map((v) => (v === null ? 'NULL' : formatValue(v))).join('\t'));
  const more = result.total > result.rows.length ? [`… ${result.total - result.rows.length} more row(s)`] : [];
  return [query, '', result.fields.join('\t'), ...rows, ...more, `(${result.total} row(s))`].join('\n');
}
