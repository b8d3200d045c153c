/**
 * The register's rules, free of the database: which statuses a kind can reach, which moves are
 * allowed, what an achieved status needs, and until when a record is valid.
 */
import type { CertificationKind, CertificationStatus } from './certifications.tables.ts';

export type Details = {
  kind: CertificationKind;
  asOf?: string | null | undefined; periodStart?: string | null | undefined; periodEnd?: string | null | undefined;
  issuedOn?: string | null | undefined; expiresOn?: string | null | undefined;
  certificateNumber?: string | null | undefined; verificationId?: string | null | undefined;
  program?: string | null | undefined; level?: string | null | undefined;
};
export type RuleViolation = { path: string; message: string };

export const ACHIEVED: readonly CertificationStatus[] = ['certified', 'attested'];
const REPORTS: readonly CertificationKind[] = ['soc2-type1', 'soc2-type2', 'soc3', 'attestation-of-compliance'];

/** Auditors attest to reports; certification bodies and governments certify or authorize. */
export function achievedStatusesFor(kind: CertificationKind): CertificationStatus[] {
  if (REPORTS.includes(kind)) return ['attested'];
  if (kind === 'certificate' || kind === 'government-authorization') return ['certified'];
  return ['certified', 'attested'];
}

const NEXT: Record<CertificationStatus, CertificationStatus[]> = {
  planned: ['in-process', 'withdrawn'],
  'in-process': ['planned', 'audit-complete', 'certified', 'attested', 'withdrawn'],
  'audit-complete': ['in-process', 'certified', 'attested', 'withdrawn'],
  certified: ['expired', 'withdrawn'],
  attested: ['expired', 'withdrawn'],
  // Corrected dates can bring a lapsed record back; a renewal may also restart the audit.
  expired: ['in-process', 'certified', 'attested', 'withdrawn'],
  withdrawn: [],
};

export function allowedNextStatuses(kind: CertificationKind, from: CertificationStatus): CertificationStatus[] {
  const achievable = achievedStatusesFor(kind);
  return NEXT[from].filter((s) => !ACHIEVED.includes(s) || achievable.includes(s));
}

export const todayUtc = (now: Date = new Date()) => now.toISOString().slice(0, 10);

/** Adds calendar months to YYYY-MM-DD, clamping to the month's last day (31 Aug + 6 months = 28/29 Feb). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * The last day the record counts as valid. An explicit expiry date wins. Reports carry no expiry
 * of their own: customers treat them as current for `reportValidityMonths` after the period end
 * (Type 2, SOC 3), the as-of date (Type 1) or the assessment date (PCI attestation of compliance).
 * Anything else without an expiry date never lapses by itself.
 */
export function validUntil(d: Details, reportValidityMonths: number): string | null {
  if (d.expiresOn) return d.expiresOn;
  const anchor = d.kind === 'soc2-type2' || d.kind === 'soc3' ? d.periodEnd
    : d.kind === 'soc2-type1' ? d.asOf
    : d.kind === 'attestation-of-compliance' ? d.issuedOn : null;
  return anchor ? addMonths(anchor, reportValidityMonths) : null;
}

export const isPastValidity = (d: Details, months: number, today: string) => {
  const until = validUntil(d, months);
  return until !== null && until < today;
};

/** What a record must say before it can be certified, attested (or recorded as expired). */
export function achievedRequirements(d: Details, today: string): RuleViolation[] {
  const out: RuleViolation[] = [];
  const need = (field: keyof Details, message: string) => { if (!d[field]) out.push({ path: `details.${field}`, message }); };
  switch (d.kind) {
    case 'certificate':
      need('issuedOn', 'A certificate needs its issue date.');
      need('expiresOn', 'A certificate needs its expiry date.');
      break;
    case 'soc2-type1':
      if (d.asOf && d.asOf > today) out.push({ path: 'details.asOf', message: 'A Type 1 report cannot be attested before its as-of date.' });
      break;
    case 'soc2-type2':
    case 'soc3':
      if (d.periodEnd && d.periodEnd > today) out.push({ path: 'details.periodEnd', message: 'A report cannot be attested before its period ends.' });
      break;
    case 'attestation-of-compliance':
      need('issuedOn', 'An attestation of compliance needs its assessment date.');
      break;
    case 'code-of-conduct':
      need('verificationId', 'Adherence to a code of conduct needs the verification id from its monitoring body.');
      break;
    case 'government-authorization':
      need('issuedOn', 'An authorization needs the date it was granted.');
      break;
    case 'other':
      need('issuedOn', 'Give the date it was issued.');
      break;
  }
  return out;
}

/** Problems with moving (or keeping) a record at `status`; empty when it is fine. */
export function statusViolations(d: Details, status: CertificationStatus, months: number, today: string): RuleViolation[] {
  if (ACHIEVED.includes(status)) {
    if (!achievedStatusesFor(d.kind).includes(status)) {
      return [{ path: 'status', message: `A ${d.kind} record is ${achievedStatusesFor(d.kind).join(' or ')}, not ${status}.` }];
    }
    const out = achievedRequirements(d, today);
    if (!out.length && isPastValidity(d, months, today)) {
      out.push({ path: 'status', message: `It was valid until ${validUntil(d, months)}; record it as expired or correct its dates.` });
    }
    return out;
  }
  if (status === 'expired') return achievedRequirements(d, today);
  return [];
}
