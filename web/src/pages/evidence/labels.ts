import type { Evidence, EvidenceKind, EvidenceStatus, EvidenceVerification } from '../../api/types.ts';

export const kindLabels: Record<EvidenceKind, string> = { file: 'File', link: 'Link', text: 'Attestation', check: 'Check result' };
export const statusLabels: Record<EvidenceStatus, string> = { submitted: 'Awaiting review', accepted: 'Accepted', rejected: 'Rejected' };
export const statusColors: Record<EvidenceStatus, string> = { submitted: 'yellow', accepted: 'teal', rejected: 'red' };
export const verificationLabels: Record<EvidenceVerification['state'], string> = {
  verified: 'Verified', 'pending-checkpoint': 'Pending checkpoint', mismatch: 'Mismatch', 'not-logged': 'Not logged',
};
export const verificationColors: Record<EvidenceVerification['state'], string> = {
  verified: 'teal', 'pending-checkpoint': 'gray', mismatch: 'red', 'not-logged': 'orange',
};

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** "1 Jul – 30 Sep 2026" (the year once when both ends share it), an open end as "…", or '' without a period. */
export function formatPeriod(e: Pick<Evidence, 'periodStart' | 'periodEnd'>): string {
  if (!e.periodStart && !e.periodEnd) return '';
  const start = e.periodStart ? new Date(e.periodStart) : null;
  const end = e.periodEnd ? new Date(e.periodEnd) : null;
  const sameYear = start && end && start.getUTCFullYear() === end.getUTCFullYear();
  const d = (date: Date | null, withYear: boolean) => (date ? date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' }) : '…');
  return `${d(start, !sameYear)} – ${d(end, true)}`;
}
