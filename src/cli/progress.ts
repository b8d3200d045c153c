import cliProgress from 'cli-progress';

export type Progress = (step: string, done: number, total: number) => void;

/**
 * A progress bar on stderr for work with known steps (first start initialises a PostgreSQL
 * cluster, which takes seconds). Silent when stderr is not a terminal or output is JSON.
 */
export function progressBar(enabled: boolean): { update: Progress; stop(): void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: '{bar} {value}/{total} {step}', clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(step, done, total) {
      if (!started) { bar.start(total, done, { step }); started = true; } else bar.update(done, { step });
    },
    stop: () => { if (started) bar.stop(); },
  };
}
