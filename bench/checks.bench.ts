// 500 checks across 100 controls all due at once on a throwaway embedded PostgreSQL: the time from
// the schedule tick (the claim and the queued `checks.run` jobs) until every run and its evidence
// are recorded, through the real job queue. The checks are HTTP checks against a local server, so
// the time is the scheduler's, the queue's and the evidence log's, not a remote system's.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { report } from './report.ts';
import { startThrowawayApp, type ThrowawayApp } from './throwaway-app.ts';

const CHECKS = 500;
const CONTROLS = 100;
const TARGET_MS = 60_000;
const log = (m: string) => process.stderr.write(`  [checks] ${m}\n`);

let bench: ThrowawayApp | null = null;
const target = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'); });
try {
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
  bench = await startThrowawayApp({ work: true });
  const s = bench.app.services;
  const { org, user } = await s.accounts.bootstrap({ orgName: 'Bench Org', email: 'bench@example.com', name: 'bench', password: crypto.randomBytes(18).toString('base64url') });
  const actor = { userId: user.id, email: user.email, ip: null, role: 'owner' as const };
  const controls: string[] = [];
  for (let i = 0; i < CONTROLS; i++) {
    controls.push((await s.controls.create(org.id, {
      code: `BENCH-${String(i).padStart(3, '0')}`, title: `Control ${i}`, description: '', ownerUserId: null, frequency: 'daily', nature: 'detective',
      automation: 'automated', lifecycle: 'operating', scope: [], requirements: [],
    }, actor)).id);
  }
  for (let i = 0; i < CHECKS; i++) {
    await s.checks.create(org.id, { name: `probe ${i}`, type: 'http', config: { url, json: [{ pointer: '/status', op: 'equals', value: 'ok' }] }, intervalMinutes: 60, enabled: true, controlIds: [controls[i % CONTROLS]!] }, actor);
  }
  // Nothing is due until the measured tick (the minute cron must not take them first).
  const pool = s.database.pool;
  await pool.query(`UPDATE checks SET next_run_at = now() + interval '1 day' WHERE org_id = $1`, [org.id]);
  await pool.query(`UPDATE checks SET next_run_at = now() - interval '1 second' WHERE org_id = $1`, [org.id]);
  const load = os.loadavg()[0]!.toFixed(1);

  const start = performance.now();
  const claimed = (await s.checks.scheduleDue()).length;
  const tickMs = performance.now() - start;
  let runs = 0, evidence = 0;
  while (performance.now() - start < 5 * TARGET_MS) {
    runs = Number((await pool.query(`SELECT count(*) FROM check_runs WHERE org_id = $1 AND trigger = 'schedule' AND evidence_id IS NOT NULL`, [org.id])).rows[0].count);
    if (runs >= CHECKS) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const totalMs = performance.now() - start;
  evidence = Number((await pool.query(`SELECT count(*) FROM evidence_items WHERE org_id = $1 AND kind = 'check'`, [org.id])).rows[0].count);
  const passed = Number((await pool.query(`SELECT count(*) FROM check_runs WHERE org_id = $1 AND status = 'pass'`, [org.id])).rows[0].count);
  log(`claimed ${claimed} in ${tickMs.toFixed(0)} ms; ${runs} runs (${passed} pass), ${evidence} evidence items in ${totalMs.toFixed(0)} ms; load average ${load} at the start`);
  report(
    `checks: ${CHECKS} due HTTP checks across ${CONTROLS} controls, schedule tick → every run and its evidence recorded (job queue, 16 per worker)`,
    `${(totalMs / 1000).toFixed(1)} s (claim and enqueue ${tickMs.toFixed(0)} ms; ${runs} runs, ${evidence} evidence items; load ${load})`,
    `≤ ${TARGET_MS / 1000} s`,
    totalMs <= TARGET_MS && runs === CHECKS && evidence === CHECKS,
  );
} finally {
  await bench?.close();
  await new Promise<void>((r) => { target.closeAllConnections(); target.close(() => r()); });
}
