import { PageHeader } from '../components/PageHeader.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import type { Area } from './areas.ts';

export function AreaPage({ area }: { area: Area }) {
  return (
    <>
      <PageHeader title={area.label} />
      <EmptyState icon={area.icon} title={area.emptyTitle}>{area.emptyText}</EmptyState>
    </>
  );
}
