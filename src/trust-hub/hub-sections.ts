/**
 * The contract between the Trust Hub pages (this folder) and the domains that feed three of its
 * sections: documents (trust-docs), sub-processors (vendors) and customer responsibilities
 * (responsibilities). Each implements its part structurally; app.ts passes them in. In the other
 * direction, those domains' own visitor pages (access requests, subscriptions, objections) get the
 * published hub behind a slug, with its branding, through PublishedHubs.
 */
import type { HubBrand } from './html.ts';

export type PublicDocument = { id: string; title: string; kind: string; visibility: 'public' | 'gated'; versionLabel: string; publishedAt: Date; description: string };
export type PublicSubprocessor = { id: string; name: string; services: string; purpose: string; countries: string[]; dataCategories: string[]; dpaDate: string | null; website: string | null };
export type PublicSubprocessorChange = { id: string; kind: 'added' | 'removed' | 'country-added' | 'purpose-changed'; vendorName: string; summary: string; announcedAt: Date; effectiveAt: Date; objectionsOpen: boolean };
export type PublicResponsibility = { id: string; statement: string; criteria: { framework: string; id: string }[]; products: { id: string; name: string; slug: string }[] };
export type HubSections = {
  documents: { publicDocuments(orgId: string): Promise<PublicDocument[]> };
  subprocessors: { publicSubprocessors(orgId: string): Promise<{ current: PublicSubprocessor[]; changes: PublicSubprocessorChange[] }> };
  responsibilities: { publicResponsibilities(orgId: string): Promise<PublicResponsibility[]> };
};

/** A published hub as other domains' visitor pages need it: which org (and its own name, for mail), and the hub's branding. */
export type PublishedHub = { orgId: string; slug: string; name: string; brand: HubBrand };
/** null for an unknown slug and for a hub that is not published (both are "not found" to visitors). Not cached: gating depends on it. */
export type PublishedHubs = { bySlug(slug: string): Promise<PublishedHub | null> };
