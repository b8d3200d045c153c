import { Badge } from '@mantine/core';
import type { CoverageStatus } from '../../api/types.ts';

export const STATUS_LABELS: Record<CoverageStatus, string> = { satisfied: 'Satisfied', partial: 'Partly covered', gap: 'Gap' };
const STATUS_COLORS: Record<CoverageStatus, string> = { satisfied: 'teal', partial: 'yellow', gap: 'red' };

export function StatusBadge({ status }: { status: CoverageStatus }) {
  return <Badge variant="light" color={STATUS_COLORS[status]}>{STATUS_LABELS[status]}</Badge>;
}
export const percent = (p: number | null) => (p === null ? '—' : `${p.toFixed(1)} %`);
