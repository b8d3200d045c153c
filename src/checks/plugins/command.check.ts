import { spawn } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { type CheckAssertion, type CheckPlugin, concludeOutcome, describeError, errorOutcome } from './check-plugin.ts';
import { regexFlags, regexSource } from './compare.ts';
import { refuseProgram } from './policy.ts';

const outputPattern = z.object({
  name: z.string().max(200).optional(),
  pattern: regexSource,
  /** Add "m" for ^ and $ to match at line breaks. */
  flags: regexFlags,
  present: z.boolean().default(true),
});
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Enter a valid environment variable name.');

export const commandCheckConfig = z.object({
  /** An absolute path, or a program name looked up on `path`. */
  command: z.string().min(1).max(4096),
  args: z.array(z.string().max(10_000)).max(200).default([]),
  /** Run `command` as a /bin/sh script (args become $1…); off by default so arguments are never re-parsed. */
  shell: z.boolean().default(false),
  cwd: z.string().max(4096).refine((p) => path.isAbsolute(p), 'Enter an absolute path.').optional(),
  /** The child's whole environment besides PATH: nothing of the server's own environment is passed on. */
  env: z.record(envName, z.string().max(10_000)).default({}),
  /** Like env, for tokens and passwords: stored encrypted and scrubbed from the output. */
  secretEnv: z.record(envName, z.string().max(10_000)).default({}),
  path: z.string().max(4096).default('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'),
  expectExitCode: z.union([z.number().int().min(0).max(255), z.array(z.number().int().min(0).max(255)).min(1)]).default(0),
  stdout: z.array(outputPattern).max(50).default([]),
  stderr: z.array(outputPattern).max(50).default([]),
  /** Per stream; patterns see only what was kept. */
  maxOutputBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
});
export type CommandCheckConfig = z.output<typeof commandCheckConfig>;

type Ran = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; truncated: boolean };

export const commandCheck: CheckPlugin<typeof commandCheckConfig> = {
  type: 'command',
  title: 'Command',
  description: 'Runs a program and checks its exit code and output.',
  config: commandCheckConfig,
  secretFields: ['secretEnv.*'],
  refuse: (config, policy) => refuseProgram(config.command, config.path, config.shell, policy),
  async run(config, ctx) {
    const startedAt = Date.now();
    const shown = `$ ${[config.shell ? `/bin/sh -c ${JSON.stringify(config.command)}` : config.command, ...config.args.map((a) => JSON.stringify(a))].join(' ')}`;
    let ran: Ran;
    try {
      ran = await execute(config, ctx.signal);
    } catch (e) {
      return errorOutcome(ctx, startedAt, `Could not run ${config.command}: ${describeError(e)}`);
    }
    const output = [shown, ran.signal ? `killed by ${ran.signal}` : `exit code ${ran.code}`, '--- stdout ---', ran.stdout, '--- stderr ---', ran.stderr].join('\n');
    if (ran.signal) return errorOutcome(ctx, startedAt, `${config.command} was killed by ${ran.signal}.`, output);

    const expected = Array.isArray(config.expectExitCode) ? config.expectExitCode : [config.expectExitCode];
    const assertions: CheckAssertion[] = [{ name: 'exit code', expected: expected.join(' or '), actual: String(ran.code), passed: expected.includes(ran.code!) }];
    for (const [stream, rules] of [['stdout', config.stdout], ['stderr', config.stderr]] as const) {
      for (const rule of rules) {
        const found = new RegExp(rule.pattern, rule.flags).test(ran[stream]);
        assertions.push({ name: rule.name ?? `${stream} /${rule.pattern}/${rule.flags}`, expected: rule.present ? 'matches' : 'does not match', actual: found ? 'matches' : 'does not match', passed: found === rule.present });
      }
    }
    return concludeOutcome(ctx, startedAt, { assertions, output, subject: `${config.command} exited ${ran.code}` });
  },
};

function execute(config: CommandCheckConfig, signal: AbortSignal): Promise<Ran> {
  const [file, args] = config.shell ? ['/bin/sh', ['-c', config.command, 'sh', ...config.args]] : [config.command, config.args];
  return new Promise<Ran>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    // Its own process group, so a timeout kills the whole tree, not only the direct child.
    const child = spawn(file, args, {
      cwd: config.cwd, env: { PATH: config.path, ...config.env, ...config.secretEnv }, detached: true, shell: false, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killTree = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch { /* already gone */ }
    };
    signal.addEventListener('abort', killTree, { once: true });
    const streams = { stdout: new Capture(config.maxOutputBytes), stderr: new Capture(config.maxOutputBytes) };
    child.stdout.on('data', (b: Buffer) => streams.stdout.add(b));
    child.stderr.on('data', (b: Buffer) => streams.stderr.add(b));
    // Anything the command left running in the background would hold the pipes open: end it too.
    child.on('exit', killTree);
    child.on('error', (e) => { signal.removeEventListener('abort', killTree); reject(e); });
    child.on('close', (code, sig) => {
      signal.removeEventListener('abort', killTree);
      resolve({ code, signal: sig, stdout: streams.stdout.text(), stderr: streams.stderr.text(), truncated: streams.stdout.truncated || streams.stderr.truncated });
    });
  });
}

class Capture {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  private readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }
  add(chunk: Buffer) {
    const room = this.limit - this.size;
    if (room <= 0) { this.truncated = true; return; }
    if (chunk.length > room) this.truncated = true;
    const kept = chunk.subarray(0, room);
    this.chunks.push(kept);
    this.size += kept.length;
  }
  text() {
    return Buffer.concat(this.chunks).toString('utf8') + (this.truncated ? `\n[truncated after ${this.limit} bytes]` : '');
  }
}
