import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';

/** The real CLI entry, run as a user would (it starts Node 24 from node_modules). */
export const BIN = path.resolve(import.meta.dirname, '../../bin/attest');

export type Run = { code: number | null; stdout: string; stderr: string; ms: number };

/** The environment minus anything that would point the CLI elsewhere than its --data directory. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'ATTEST_DATA_DIR', 'ATTEST_SECRET_KEY', 'ATTEST_BOOTSTRAP_PASSWORD', 'ATTEST_PUBLIC_URL', 'PORT', 'HOST']) delete env[k];
  return { ...env, ...extra };
}

/** Runs `bin/attest ARGS` with stdin closed (so nothing may prompt); killed and failed after `timeoutMs`. */
export function attest(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { env: cleanEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`attest ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 120_000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, ms: Date.now() - started }); });
  });
}

/** The run, after asserting it exited 0 (the message shows both streams). */
export function expectOk(r: Run): Run {
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}
