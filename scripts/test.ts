// Runs the whole suite on one PostgreSQL: TEST_DATABASE_URL if set, else a throwaway embedded cluster.
// Every test file makes its own database on it. Ends with the line "N passed, N failed".
import { spawn } from 'node:child_process';
import { globSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { testPostgres } from './test-postgres.ts';

const args = process.argv.slice(2);
const browser = !args.includes('--no-browser');
const only = args.filter((a) => !a.startsWith('--'));

const pgForTests = await testPostgres();
const adminUrl = pgForTests.adminUrl;
console.log(`test database: ${pgForTests.label}`);

const files = only.length ? only : globSync(['src/**/*.test.ts', 'tests/**/*.test.ts']).filter((f) => browser || !f.includes('browser')).sort();
const summaryFile = path.join(os.tmpdir(), `attest-test-summary-${process.pid}.json`);
// Async spawn: the embedded server's log pipe must keep draining while the tests run.
const child = spawn(process.execPath, [
  '--disable-warning=ExperimentalWarning', '--test', '--test-concurrency=2', '--test-timeout=120000',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/summary-reporter.ts', `--test-reporter-destination=${summaryFile}`,
  ...files,
], { stdio: 'inherit', env: { ...process.env, ATTEST_TEST_ADMIN_URL: adminUrl } });
const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

await dropTestDatabases(adminUrl).catch((e) => console.error(`could not drop test databases: ${e}`));
await pgForTests.stop();
let counts = { passed: 0, failed: 1, skipped: 0 };
try { counts = JSON.parse(readFileSync(summaryFile, 'utf8')); } catch { /* runner crashed: counted as a failure */ }
rmSync(summaryFile, { force: true });
if (status !== 0 && counts.failed === 0) counts.failed = 1;
console.log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(counts.failed > 0 ? 1 : 0);

async function dropTestDatabases(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'attest_t_%'");
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
