// Lints the TypeScript sources with Biome's recommended rules. Biome runs from its WebAssembly
// build: the native CLI packages are per-platform binaries that `npm ci` cannot always install.
import { globSync, readFileSync } from 'node:fs';
import { Biome } from '@biomejs/js-api/nodejs';

const files = globSync(['src/**/*.{ts,tsx}', 'web/src/**/*.{ts,tsx}', 'tests/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts']).sort();
const biome = new Biome();
const { projectKey } = biome.openProject(process.cwd());
biome.applyConfiguration(projectKey, JSON.parse(readFileSync('biome.json', 'utf8')));
let errors = 0;
let warnings = 0;
for (const filePath of files) {
  const content = readFileSync(filePath, 'utf8');
  const { diagnostics } = biome.lintContent(projectKey, content, { filePath });
  if (!diagnostics.length) continue;
  for (const d of diagnostics) {
    // Information-level notes are style suggestions (import order, templates): not worth failing on.
    if (d.severity === 'information' || d.severity === 'hint') continue;
    const isError = d.severity === 'error' || d.severity === 'fatal';
    if (isError) errors++; else warnings++;
    const at = d.location?.span ? content.slice(0, d.location.span[0]).split('\n').length : 0;
    console.log(`${filePath}:${at} ${d.severity} ${d.category ?? ''} ${d.description}`);
  }
}
console.log(`lint: ${files.length} files, ${errors} errors, ${warnings} warnings`);
process.exit(errors ? 1 : 0);
