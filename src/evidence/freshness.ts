import type { controlFrequencies } from '../controls/starter/starter-file.schema.ts';

export type Frequency = (typeof controlFrequencies)[number];
export type ControlHealth = 'passing' | 'failing' | 'stale' | 'no-evidence';

const DAY = 86_400_000;
/** How long one round of a control's rhythm lasts; event-driven controls have no clock. */
const windowDays: Record<Frequency, number | null> = {
  continuous: 1, daily: 1, weekly: 7, monthly: 31, quarterly: 92, 'semi-annual': 183, annual: 366, 'event-driven': null,
};

/**
 * The age after which a control's newest accepted evidence is stale: one window of its frequency
 * plus a grace of a tenth of it (at least a day), so a quarterly review done a few days late is
 * flagged as late rather than the day after the quarter ends.
 */
export function maxEvidenceAgeMs(frequency: Frequency): number | null {
  const days = windowDays[frequency];
  if (days === null) return null;
  return days * DAY + Math.max(DAY, Math.round(days * DAY * 0.1));
}

/** Evidence counts from the end of the period it covers, or from when it was collected. */
export const evidenceTime = (e: { periodEnd: Date | null; collectedAt: Date }) => e.periodEnd ?? e.collectedAt;

export type HealthInput = {
  frequency: Frequency;
  /** Newest accepted evidence of any kind (check results are accepted as they arrive). */
  newestAccepted: { periodEnd: Date | null; collectedAt: Date } | null;
  /** The most recent result of each automated check linked to the control. */
  latestChecks: { checkId: string; status: 'pass' | 'fail' | 'error'; collectedAt: Date }[];
};

export type HealthResult = { health: ControlHealth; reason: string; staleSince: Date | null; lastEvidenceAt: Date | null };

/** A control's health: a failing check wins, then staleness, then passing; no accepted evidence at all is its own state. */
export function controlHealth(input: HealthInput, now: Date): HealthResult {
  const failing = input.latestChecks.filter((c) => c.status !== 'pass');
  const last = input.newestAccepted ? evidenceTime(input.newestAccepted) : null;
  if (failing.length) {
    return { health: 'failing', reason: `${failing.length} linked check(s) not passing on their latest run`, staleSince: null, lastEvidenceAt: last };
  }
  if (!last) return { health: 'no-evidence', reason: 'No accepted evidence yet', staleSince: null, lastEvidenceAt: null };
  const maxAge = maxEvidenceAgeMs(input.frequency);
  if (maxAge !== null && now.getTime() - last.getTime() > maxAge) {
    const staleSince = new Date(last.getTime() + maxAge);
    return { health: 'stale', reason: `Newest accepted evidence is from ${last.toISOString().slice(0, 10)}; a ${input.frequency} control needs newer`, staleSince, lastEvidenceAt: last };
  }
  return { health: 'passing', reason: 'Fresh accepted evidence and no failing checks', staleSince: null, lastEvidenceAt: last };
}
