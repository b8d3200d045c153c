import path from 'node:path';
import { loadConfig, type Config } from '../config/config.ts';
import { createApp, type App } from '../app.ts';
import { progressBar } from './progress.ts';

export type GlobalOptions = { data?: string; json?: boolean };

export function configFrom(opts: GlobalOptions, overrides: Partial<Config> = {}): Config {
  return loadConfig(undefined, { ...(opts.data ? { dataDir: path.resolve(opts.data) } : {}), ...overrides });
}

/** Opens the app for one command (joining a running embedded server if there is one) and always closes it. */
export async function withApp<T>(opts: GlobalOptions, fn: (app: App) => Promise<T>): Promise<T> {
  const bar = progressBar(!opts.json);
  const app = await createApp(configFrom(opts), { progress: bar.update }).finally(() => bar.stop());
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
