import { Skeleton, Stack } from '@mantine/core';

/** Placeholder rows while the first page loads, so the layout does not jump when data arrives. */
export function TableSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <Stack gap="xs" aria-busy="true" aria-label="Loading">
      <Skeleton height={36} radius="sm" />
      {Array.from({ length: rows }, (_, i) => <Skeleton key={i} height={44} radius="sm" opacity={1 - i * 0.12} />)}
    </Stack>
  );
}
