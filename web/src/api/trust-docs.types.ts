// Hub documents, NDAs, access grants, rules and customer accounts (the API's trust-docs schemas).
export const DOCUMENT_KINDS = {
  'soc3-report': 'SOC 3 report', 'iso-certificate': 'ISO certificate', 'soc2-type1-report': 'SOC 2 Type I report', 'soc2-type2-report': 'SOC 2 Type II report',
  'bridge-letter': 'Bridge letter', 'pci-aoc': 'PCI DSS attestation of compliance', 'c5-report': 'C5 report', 'pentest-summary': 'Penetration test summary',
  policy: 'Policy', other: 'Other document',
} as const;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;
export type DocumentVisibility = 'public' | 'gated' | 'private';
export type DocumentVersion = { id: string; label: string; sha256: string; size: number; pageCount: number; filename: string; ledgerIndex: number | null; createdAt: string };
export type TrustDocument = { id: string; title: string; kind: DocumentKind; visibility: DocumentVisibility; description: string; current: DocumentVersion | null; versions: DocumentVersion[]; createdAt: string; updatedAt: string };
export type Nda = { id: string; label: string; text: string; sha256: string; current: boolean; createdAt: string };
export type GrantStatus = 'pending' | 'approved' | 'rejected' | 'revoked' | 'expired';
export type Grant = {
  id: string; name: string; email: string; company: string; reason: string; requestedDocumentId: string | null; ndaId: string; ndaSha256: string; acceptedAt: string;
  status: GrantStatus; decidedBy: string | null; decidedAt: string | null; decisionNote: string | null; expiresAt: string | null; revokedAt: string | null; createdAt: string;
};
export const CUSTOMER_PLANS = ['free', 'pro', 'business', 'enterprise'] as const;
export type CustomerPlan = (typeof CUSTOMER_PLANS)[number];
export type AccessRules = { allowedDomains: string[]; autoApprovePlans: CustomerPlan[]; grantDays: number };
export type CustomerAccount = { id: string; companyName: string; emailDomains: string[]; plan: CustomerPlan; createdAt: string };
export type TrustDownload = { id: string; documentId: string; versionId: string; visibility: 'public' | 'gated'; grantId: string | null; name: string | null; email: string | null; company: string | null; ip: string | null; ledgerIndex: number | null; at: string };
