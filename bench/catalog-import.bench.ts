// OSCAL import of the full NIST SP 800-53 rev5 catalog through the catalog service (parse,
// validate, flatten, write requirements and the stored catalog in one transaction) on a throwaway
// embedded PostgreSQL, next to the time JSON.parse alone takes on the same file.
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cliActor } from '../src/lib/actor.ts';
import { SHARED_OSCAL } from '../tests/support/shared.ts';
import { report, timeIt } from './report.ts';
import { startThrowawayApp, type ThrowawayApp } from './throwaway-app.ts';

const FILE = `${SHARED_OSCAL}/nist-sp800-53-rev5/superseded/NIST_SP-800-53_rev5_catalog_v5.0.1_2021-06-08.json`;
const RUNS = 5;
const TARGET_MS = 3000;
const log = (m: string) => process.stderr.write(`  [catalog-import] ${m}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let bench: ThrowawayApp | null = null;
try {
  const text = readFileSync(FILE, 'utf8');
  bench = await startThrowawayApp({ work: false, log });
  const { accounts, catalog } = bench.app.services;
  const { org } = await accounts.bootstrap({ orgName: 'Bench Org', email: 'bench@example.com', name: 'bench', password: crypto.randomBytes(18).toString('base64url') });

  const parses: number[] = [];
  for (let i = 0; i < RUNS; i++) parses.push(timeIt(() => JSON.parse(text)).ms);
  const imports: number[] = [];
  let count = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const result = await catalog.importOscal(org.id, { text, fileName: path.basename(FILE), id: 'nist-sp800-53-rev5' }, cliActor);
    imports.push(Number(process.hrtime.bigint() - start) / 1e6);
    count = result.requirementCount;
    log(`run ${i + 1}: version ${result.version}, ${result.requirementCount} requirements, ${imports.at(-1)!.toFixed(0)} ms`);
  }
  const importMs = median(imports);
  const parseMs = median(parses);
  report(
    'catalog-import: NIST SP 800-53 rev5 catalog (3.2 MB JSON) via catalog.importOscal',
    `${importMs.toFixed(0)} ms median of ${RUNS} (${count} controls+enhancements); JSON.parse alone ${parseMs.toFixed(0)} ms (${(importMs / parseMs).toFixed(0)}×)`,
    `≤ ${TARGET_MS} ms`,
    importMs <= TARGET_MS && count === 1189,
  );
} finally {
  await bench?.close();
}
