// A child process for the crash tests: appends to one org's log in a loop against DATABASE_URL and
// prints "ack <index>" for every append the service acknowledged (i.e. after COMMIT). With an ack
// file as 5th argument it also writes "<index> <leaf hash>" there and fsyncs before printing, so the
// record survives whatever is killed. Killed with -9 (or dies when its PostgreSQL is killed).
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { loadConfig } from '../../src/config/config.ts';
import { createApp } from '../../src/app.ts';

const [url, orgId, secretKey, dataDir, ackFile] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const app = await createApp(loadConfig({ DATABASE_URL: url, ATTEST_SECRET_KEY: secretKey, ATTEST_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), { work: !ackFile });
const fd = ackFile ? openSync(ackFile, 'a') : null;
process.stdout.write('ready\n');
try {
  for (let round = 0; ; round++) {
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      app.services.ledger.append(orgId, { kind: 'crash.test', record: { round, i } }).then((r) => {
        if (fd !== null) { writeSync(fd, `${r.index} ${r.leafHash}\n`); fsyncSync(fd); }
        process.stdout.write(`ack ${r.index}\n`);
      })));
  }
} finally {
  if (fd !== null) closeSync(fd);
}
