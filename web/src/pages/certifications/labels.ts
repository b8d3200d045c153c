import type { Certification, CertificationKind, CertificationStatus, CoveredRole, IssuerRole } from '../../api/types.ts';
import { formatDate } from '../../lib/format.ts';

export const statusLabels: Record<CertificationStatus, string> = {
  planned: 'Planned', 'in-process': 'In process', 'audit-complete': 'Audit complete', certified: 'Certified', attested: 'Attested', expired: 'Expired', withdrawn: 'Withdrawn',
};
export const statusColors: Record<CertificationStatus, string> = {
  planned: 'gray', 'in-process': 'blue', 'audit-complete': 'cyan', certified: 'green', attested: 'green', expired: 'red', withdrawn: 'dark',
};
export const kindLabels: Record<CertificationKind, string> = {
  certificate: 'Certificate', 'soc2-type1': 'SOC 2 Type I report', 'soc2-type2': 'SOC 2 Type II report', soc3: 'SOC 3 report',
  'attestation-of-compliance': 'Attestation of compliance', 'code-of-conduct': 'Code of conduct adherence', 'government-authorization': 'Government authorization', other: 'Other',
};
export const issuerRoleLabels: Record<IssuerRole, string> = {
  auditor: 'Auditor', assessor: 'Assessor', 'certification-body': 'Certification body', 'monitoring-body': 'Monitoring body', government: 'Government',
};
export const coveredRoleLabels: Record<CoveredRole, string> = {
  controller: 'Controller', processor: 'Processor', merchant: 'Merchant', 'service-provider': 'Service provider',
};
/** The issuer role that usually goes with a kind, preselected in the form. */
export const defaultIssuerRole: Record<CertificationKind, IssuerRole> = {
  certificate: 'certification-body', 'soc2-type1': 'auditor', 'soc2-type2': 'auditor', soc3: 'auditor', 'attestation-of-compliance': 'assessor',
  'code-of-conduct': 'monitoring-body', 'government-authorization': 'government', other: 'auditor',
};
export const PROGRAMS = ['FedRAMP', 'StateRAMP', 'IRAP', 'ENS', 'C5', 'ISMAP', 'K-ISMS', 'TISAX'];
export const LEVELS: Record<string, string[]> = {
  FedRAMP: ['Low', 'Moderate', 'High', 'LI-SaaS'], StateRAMP: ['Low', 'Moderate', 'High'], IRAP: ['PROTECTED', 'SECRET', 'OFFICIAL: Sensitive'],
  ENS: ['BASIC', 'MEDIUM', 'HIGH'], C5: ['Type 1', 'Type 2'],
};

/** The dates a reader of the register (and later the Trust Hub) needs, e.g. "1 Oct 2025 – 30 Sep 2026". */
export function datesOf(c: Pick<Certification, 'details'>): string {
  const d = c.details;
  if (d.periodStart && d.periodEnd) return `${formatDate(d.periodStart)} – ${formatDate(d.periodEnd)}`;
  if (d.asOf) return `As of ${formatDate(d.asOf)}`;
  if (d.issuedOn && d.expiresOn) return `${formatDate(d.issuedOn)} – ${formatDate(d.expiresOn)}`;
  if (d.issuedOn) return `Since ${formatDate(d.issuedOn)}`;
  if (d.expiresOn) return `Until ${formatDate(d.expiresOn)}`;
  return '—';
}
