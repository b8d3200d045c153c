// A child process for the crash test: appends to one org's log in a loop against DATABASE_URL and
// prints "ack <index>" for every append the service acknowledged (i.e. after COMMIT). Killed with -9.
import { loadConfig } from '../../src/config/config.ts';
import { createApp } from '../../src/app.ts';

const [url, orgId, secretKey, dataDir] = process.argv.slice(2) as [string, string, string, string];
const app = await createApp(loadConfig({ DATABASE_URL: url, ATTEST_SECRET_KEY: secretKey, ATTEST_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
process.stdout.write('ready\n');
for (let round = 0; ; round++) {
  await Promise.all(Array.from({ length: 20 }, (_, i) =>
    app.services.ledger.append(orgId, { kind: 'crash.test', record: { round, i } }).then((r) => { process.stdout.write(`ack ${r.index}\n`); })));
}
