// A throwaway Attest for a benchmark: an embedded PostgreSQL in a temp dir, a fresh database on it,
// and the real composition root. close() stops everything and removes the directory.
import crypto from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createApp, type App } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config/config.ts';
import { startOrJoinEmbedded, type EmbeddedServer } from '../src/db/embedded.ts';

export type ThrowawayApp = { app: App; config: Config; dir: string; close(): Promise<void> };

/** `env`: further settings, as environment variables, on top of the throwaway ones. */
export async function startThrowawayApp(opts: { work: boolean; prefix?: string; log?: (m: string) => void; env?: Record<string, string> }): Promise<ThrowawayApp> {
  const dir = mkdtempSync(path.join(os.tmpdir(), opts.prefix ?? 'attest-bench-pg-'));
  let server: EmbeddedServer | null = null;
  let app: App | null = null;
  const close = async () => {
    await app?.close().catch((e: unknown) => opts.log?.(`close: ${String(e)}`));
    await server?.stop().catch((e: unknown) => opts.log?.(`stop: ${String(e)}`));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    server = await startOrJoinEmbedded(dir);
    const admin = server.url.replace(/\/attest$/, '/postgres');
    const name = `attest_bench_${crypto.randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const config = loadConfig({
      DATABASE_URL: url.toString(), ATTEST_SECRET_KEY: crypto.randomBytes(32).toString('base64'),
      ATTEST_DATA_DIR: path.join(dir, 'app'), LOG_LEVEL: 'silent', PORT: '0', ...opts.env,
    });
    app = await createApp(config, { work: opts.work });
    return { app, config, dir, close };
  } catch (e) {
    await close();
    throw e;
  }
}
