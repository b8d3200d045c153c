// Structurally the HubSections contract of src/trust-hub/hub-sections.ts (created on the hub branch).
export type PublicSubprocessor = { id: string; name: string; services: string; purpose: string; countries: string[]; dataCategories: string[]; dpaDate: string | null; website: string | null };
export type PublicSubprocessorChange = { id: string; kind: 'added' | 'removed' | 'country-added' | 'purpose-changed'; vendorName: string; summary: string; announcedAt: Date; effectiveAt: Date; objectionsOpen: boolean };
export type PublicResponsibility = { id: string; statement: string; criteria: { framework: string; id: string }[]; products: { id: string; name: string; slug: string }[] };
