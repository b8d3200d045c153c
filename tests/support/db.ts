import pg from 'pg';
import crypto from 'node:crypto';
import { testEnv } from '../../src/config/config.ts';

/** A brand-new, empty database for one test file, on the suite's PostgreSQL. */
export async function freshDatabaseUrl(adminUrl?: string): Promise<string> {
  const admin = adminUrl ?? testEnv().testAdminUrl ?? testEnv().testDatabaseUrl;
  if (!admin) throw new Error('Run the tests with `npm test` (it provides the PostgreSQL), or set TEST_DATABASE_URL.');
  const name = `attest_t_${crypto.randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}
