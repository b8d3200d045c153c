import { Badge } from '@mantine/core';
import type { CheckStatus } from '../../api/types.ts';

const colors: Record<CheckStatus, string> = { pass: 'teal', fail: 'red', error: 'orange' };
const labels: Record<CheckStatus, string> = { pass: 'Passing', fail: 'Failing', error: 'Error' };

export function CheckStatusBadge({ status }: { status: CheckStatus | null }) {
  return status ? <Badge color={colors[status]} variant="light" style={{ flexShrink: 0 }}>{labels[status]}</Badge> : <Badge color="gray" variant="light" style={{ flexShrink: 0 }}>Not run yet</Badge>;
}
