import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** PIDs of live PostgreSQL postmasters on this data directory (cmdline `postgres -D DIR/pg ...`). */
export function postmastersFor(dir: string): number[] {
  const matches = new Map<number, number>(); // pid -> parent pid
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf('-D');
      if (i < 0 || argv[i + 1] !== path.join(dir, 'pg')) continue;
      const ppid = Number(/^\d+ \(.*\) \S+ (\d+)/.exec(readFileSync(`/proc/${entry}/stat`, 'utf8'))?.[1]);
      matches.set(Number(entry), ppid);
    } catch { /* gone */ }
  }
  // A backend the postmaster just forked still shows its parent's command line until it renames itself.
  return [...matches].filter(([, ppid]) => !matches.has(ppid)).map(([pid]) => pid).sort((a, b) => a - b);
}
