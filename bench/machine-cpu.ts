// CPU time used by the whole machine (every process and the kernel, from /proc/stat), so that a
// benchmark can say what one operation costs in CPU across the server, PostgreSQL and the client.
import { readFileSync } from 'node:fs';

export type CpuMark = { busyMs: number; cores: number } | null;

/** Busy milliseconds summed over all cores since boot; null where /proc/stat is not readable. */
export function machineCpu(): CpuMark {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    const [, ...fields] = lines[0]!.trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number) as number[];
    const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
    return { busyMs: (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / ticksPerMs, cores: lines.filter((l) => /^cpu\d/.test(l)).length };
  } catch {
    return null;
  }
}

/** Busy CPU milliseconds between two marks, divided over `count` operations. */
export function cpuPer(from: CpuMark, to: CpuMark, count: number): number | null {
  return from && to ? (to.busyMs - from.busyMs) / count : null;
}
