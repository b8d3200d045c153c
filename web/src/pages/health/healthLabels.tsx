import { Badge } from '@mantine/core';
import type { HealthState } from '../../api/types.ts';

export const HEALTH_LABELS: Record<HealthState, string> = { passing: 'Passing', failing: 'Failing', stale: 'Stale', 'no-evidence': 'No evidence' };
/** Mantine colour names, used for badges and chart segments alike. */
export const HEALTH_COLORS: Record<HealthState, string> = { passing: 'teal.6', failing: 'red.6', stale: 'orange.5', 'no-evidence': 'gray.5' };

export function HealthBadge({ health }: { health: string | undefined }) {
  if (!health || !(health in HEALTH_LABELS)) return null;
  const h = health as HealthState;
  return <Badge variant="light" color={HEALTH_COLORS[h].split('.')[0]}>{HEALTH_LABELS[h]}</Badge>;
}
