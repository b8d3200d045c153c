import { Badge } from '@mantine/core';
import type { CertificationStatus } from '../../api/types.ts';
import { statusColors, statusLabels } from './labels.ts';

export function StatusBadge({ status }: { status: CertificationStatus }) {
  return <Badge variant={status === 'withdrawn' ? 'filled' : 'light'} color={statusColors[status]} data-status={status}>{statusLabels[status]}</Badge>;
}
