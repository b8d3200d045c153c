import { useMemo, useState } from 'react';
import type { DataTableSortStatus } from 'mantine-datatable';

/**
 * Client-side sort and text filter for lists the API returns whole (or page by page):
 * the filter matches any of `searchable` fields, case-insensitively.
 */
export function useTableView<T extends object>(
  records: T[] | undefined,
  options: { searchable: (keyof T)[]; initialSort: DataTableSortStatus<T> },
) {
  const [query, setQuery] = useState('');
  const [sortStatus, setSortStatus] = useState<DataTableSortStatus<T>>(options.initialSort);

  const view = useMemo(() => {
    const q = query.trim().toLowerCase();
    const filtered = (records ?? []).filter((r) =>
      !q || options.searchable.some((key) => String(r[key] ?? '').toLowerCase().includes(q)));
    const key = sortStatus.columnAccessor as keyof T;
    const sorted = [...filtered].sort((a, b) => compare(a[key], b[key]));
    return sortStatus.direction === 'desc' ? sorted.reverse() : sorted;
  }, [records, query, sortStatus]); // eslint-disable-line react-hooks/exhaustive-deps

  return { records: view, query, setQuery, sortStatus, setSortStatus };
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  // Empty values (never used, not revoked) sort last in ascending order.
  if (a === null || a === undefined || a === '') return 1;
  if (b === null || b === undefined || b === '') return -1;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}
