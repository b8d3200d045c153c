// Writes the OpenAPI document generated from the route schemas to openapi.json (checked in).
// `--check` exits non-zero when the checked-in file is stale; CI runs the equivalent test.
import { readFileSync, writeFileSync } from 'node:fs';
import { generateOpenApi } from './openapi-doc.ts';

const doc = await generateOpenApi();
const file = new URL('../openapi.json', import.meta.url);
if (process.argv.includes('--check')) {
  const current = readFileSync(file, 'utf8');
  if (current !== doc) {
    console.error('openapi.json is stale: run `npm run openapi` and commit the result.');
    process.exit(1);
  }
  console.log('openapi.json is up to date.');
} else {
  writeFileSync(file, doc);
  console.log('wrote openapi.json');
}
