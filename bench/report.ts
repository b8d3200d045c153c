/** One result line that bench/run.ts collects into the table. */
export function report(benchmark: string, result: string, target: string, pass: boolean) {
  console.log(JSON.stringify({ benchmark, result, target, pass }));
}

export function timeIt<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}
