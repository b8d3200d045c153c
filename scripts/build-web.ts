// Builds the web UI into dist/web. `--if-missing` (used by `npm ci` through `prepare`) skips a build that exists.
import { existsSync } from 'node:fs';
import { build } from 'vite';

const target = new URL('../dist/web/index.html', import.meta.url);
if (process.argv.includes('--if-missing') && existsSync(target)) {
  console.log('web UI already built (dist/web); `npm run build:web` rebuilds it');
} else {
  await build({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
  console.log('built the web UI into dist/web');
}
