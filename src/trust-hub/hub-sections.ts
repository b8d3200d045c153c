/**
 * The contract between the Trust Hub pages (this folder) and the domains that feed three of its
 * sections: documents (trust-docs), sub-processors (vendors) and customer responsibilities
 * (responsibilities). Each implements its part structurally; app.ts passes them in.
 */
export type PublicDocument = { id: string; title: string; kind: string; visibility: 'public' | 'gated'; versionLabel: string; publishedAt: Date; description: string };
export type PublicSubprocessor = { id: string; name: string; services: string; purpose: string; countries: string[]; dataCategories: string[]; dpaDate: string | null; website: string | null };
export type PublicSubprocessorChange = { id: string; kind: 'added' | 'removed' | 'country-added' | 'purpose-changed'; vendorName: string; summary: string; announcedAt: Date; effectiveAt: Date; objectionsOpen: boolean };
export type PublicResponsibility = { id: string; statement: string; criteria: { framework: string; id: string }[]; products: { id: string; name: string; slug: string }[] };
export type HubSections = {
  documents: { publicDocuments(orgId: string): Promise<PublicDocument[]> };
  subprocessors: { publicSubprocessors(orgId: string): Promise<{ current: PublicSubprocessor[]; changes: PublicSubprocessorChange[] }> };
  responsibilities: { publicResponsibilities(orgId: string): Promise<PublicResponsibility[]> };
};
