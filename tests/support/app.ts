import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { createApp, type App } from '../../src/app.ts';
import { buildServer } from '../../src/http/server.ts';
import { freshDatabaseUrl } from './db.ts';

export type TestApp = {
  app: App;
  server: FastifyInstance;
  baseUrl: string;
  config: Config;
  close(): Promise<void>;
  bootstrap(o: { orgName: string; email: string; password: string }): Promise<{ orgId: string; userId: string }>;
  outbox(orgId: string): Promise<{ to: string; subject: string; text: string }[]>;
};

/** The real app (same composition root as `serve`) on a fresh database, listening on loopback. */
export async function startTestApp(overrides: Partial<Config> = {}, adminUrl?: string): Promise<TestApp> {
  const config = {
    ...loadConfig({
      DATABASE_URL: await freshDatabaseUrl(adminUrl),
      ATTEST_SECRET_KEY: crypto.randomBytes(32).toString('base64'),
      ATTEST_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'attest-test-')),
      LOG_LEVEL: 'silent',
      PORT: '0',
      // Tests sign in far more often than a person; the limit itself is tested with its default.
      ATTEST_AUTH_RATE_LIMIT: '10000',
    }),
    ...overrides,
  };
  const app = await createApp(config, { work: true });
  const server = await buildServer(app.services, { logger: false });
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = new URL(address);
  app.services.config.port = Number(port);
  return {
    app, server, baseUrl: address, config,
    async close() {
      await server.close();
      await app.close();
    },
    async bootstrap(o) {
      const { user, org } = await app.services.accounts.bootstrap({ orgName: o.orgName, email: o.email, name: o.email.split('@')[0]!, password: o.password });
      return { orgId: org.id, userId: user.id };
    },
    outbox: (orgId) => app.services.mail.list(orgId),
  };
}
