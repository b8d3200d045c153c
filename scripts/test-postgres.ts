import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testEnv } from '../src/config/config.ts';
import { startOrJoinEmbedded } from '../src/db/embedded.ts';

/**
 * The PostgreSQL the suite runs on: TEST_DATABASE_URL if set, else a throwaway embedded cluster.
 * Returns the maintenance-database URL (tests create their own databases there) and a stopper.
 */
export async function testPostgres(): Promise<{ adminUrl: string; label: string; stop(): Promise<void> }> {
  const env = testEnv();
  if (env.testAdminUrl) return { adminUrl: env.testAdminUrl, label: 'the suite\'s PostgreSQL', stop: async () => undefined };
  if (env.testDatabaseUrl) return { adminUrl: env.testDatabaseUrl, label: 'external PostgreSQL from TEST_DATABASE_URL', stop: async () => undefined };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-test-pg-'));
  const server = await startOrJoinEmbedded(dir);
  return {
    adminUrl: server.url.replace(/\/attest$/, '/postgres'),
    label: `embedded PostgreSQL in ${dir}`,
    stop: async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}
