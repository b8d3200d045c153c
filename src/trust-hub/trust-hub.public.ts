/**
 * What the public hub shows, computed from the org's data on each (cached) render: public
 * certification records and products, published commitments with the health of the control
 * behind each, and the sections other domains provide through HubSections.
 */
import type { CertificationsService } from '../certifications/certifications.service.ts';
import type { Repos } from '../db/repos.ts';
import { ConflictError } from '../lib/errors.ts';
import type { ProductsService } from '../products/products.service.ts';
import { atomFeed, type AtomEntryInput } from '../trust/atom-feed.ts';
import { securityTxt } from '../trust/security-txt.ts';
import type { HubSections } from './hub-sections.ts';
import { badgeOf, renderOverview, type CommitmentHealth, type HubCertification, type HubModel } from './trust-hub.pages.ts';
import type { HubOrg } from './trust-hub.service.ts';

export type CommitmentHealthLookup = (orgId: string, controlIds: string[]) => Promise<Map<string, { health: CommitmentHealth; checkedAt: Date | null }>>;
export type Draft = { displayName?: string; accentColor?: string; intro?: string };

export function createTrustHubPublic(deps: {
  repos: Repos; certifications: Pick<CertificationsService, 'list'>; products: Pick<ProductsService, 'list'>;
  sections: HubSections; commitmentHealth: CommitmentHealthLookup; publicUrl: () => string; cacheMs?: number;
  publishedBySlug: (slug: string) => Promise<HubOrg | null>;
}) {
  const cacheMs = deps.cacheMs ?? 5000;
  const cache = new Map<string, { at: number; value: Promise<Buffer> }>();
  const hubs = new Map<string, { at: number; value: Promise<HubOrg | null> }>();

  /** Rendered bytes, rebuilt at most every `cacheMs` and at once after a change made here. */
  function cached(key: string, build: () => Promise<string>): Promise<Buffer> {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < cacheMs) return hit.value;
    const value = build().then((text) => Buffer.from(text));
    cache.set(key, { at: Date.now(), value });
    // A failed render is not remembered.
    value.catch(() => { if (cache.get(key)?.value === value) cache.delete(key); });
    return value;
  }

  async function publicCertifications(orgId: string): Promise<{ certifications: HubCertification[]; products: HubModel['products'] }> {
    const [records, products] = await Promise.all([deps.certifications.list(orgId), deps.products.list(orgId)]);
    const visible = new Set(products.filter((p) => p.public).map((p) => p.id));
    const pick = (ps: { id: string; name: string; slug: string }[]) => ps.filter((p) => visible.has(p.id)).map(({ id, name, slug }) => ({ id, name, slug }));
    // Achieved first, then work in progress, then plans, then lapsed records.
    const rank: Record<string, number> = { certified: 0, attested: 0, 'audit-complete': 1, 'in-process': 1, planned: 2, expired: 3 };
    const certifications = records.filter((r) => r.public && r.status !== 'withdrawn').map((r) => ({
      id: r.id, name: r.name, kind: r.kind, status: r.status, frameworkId: r.frameworkId, issuer: r.issuer, details: r.details as HubCertification['details'],
      validUntil: r.validUntil, rolesCovered: r.rolesCovered, inScope: pick(r.inScope), outOfScope: pick(r.outOfScope), locations: r.locations, scopeNotes: r.scopeNotes,
    })).sort((a, b) => (rank[a.status] ?? 9) - (rank[b.status] ?? 9) || a.name.localeCompare(b.name));
    return { certifications, products: products.filter((p) => p.public).map(({ id, name, slug }) => ({ id, name, slug })) };
  }

  async function model(hub: HubOrg, draft: Draft = {}, preview = false): Promise<HubModel> {
    const basePath = `/trust/${hub.slug}`;
    const [certs, commitmentRows, documents, subprocessors, responsibilities] = await Promise.all([
      publicCertifications(hub.orgId), deps.repos.trustHub.commitments(hub.orgId, true),
      deps.sections.documents.publicDocuments(hub.orgId), deps.sections.subprocessors.publicSubprocessors(hub.orgId),
      deps.sections.responsibilities.publicResponsibilities(hub.orgId),
    ]);
    const controlIds = [...new Set(commitmentRows.map((c) => c.controlId).filter((id): id is string => id !== null))];
    const health = controlIds.length ? await deps.commitmentHealth(hub.orgId, controlIds) : new Map();
    const s = hub.settings;
    return {
      brand: { name: draft.displayName ?? s.displayName, slug: hub.slug, accentColor: draft.accentColor ?? s.accentColor },
      intro: draft.intro ?? s.intro, basePath, feedPath: `${basePath}/feed.atom`,
      securityTxtPath: s.securityContacts.length && s.securityTxtExpires ? `${basePath}/.well-known/security.txt` : null,
      securityContacts: s.securityContacts, ...certs,
      commitments: commitmentRows.map((c) => ({ id: c.id, statement: c.statement, category: c.category, health: c.controlId ? (health.get(c.controlId) ?? { health: 'no-evidence', checkedAt: null }) : null })),
      documents, subprocessors, responsibilities, preview,
    };
  }

  /** Absolute https addresses of the hub: each custom host, then this instance's /trust/{slug} when it is https. */
  function origins(hub: HubOrg): string[] {
    const own = `${deps.publicUrl().replace(/\/+$/, '')}/trust/${hub.slug}`;
    return [...hub.hosts.map((h) => `https://${h}`), ...(own.startsWith('https://') ? [own] : [])];
  }

  return {
    /** The published hub behind a slug (null: unknown or unpublished), cached like the pages. */
    resolve(slug: string): Promise<HubOrg | null> {
      const hit = hubs.get(slug);
      if (hit && Date.now() - hit.at < cacheMs) return hit.value;
      const value = deps.publishedBySlug(slug);
      hubs.set(slug, { at: Date.now(), value });
      value.catch(() => { if (hubs.get(slug)?.value === value) hubs.delete(slug); });
      return value;
    },
    overview: (hub: HubOrg) => cached(`${hub.orgId}:overview`, async () => renderOverview(await model(hub))),
    preview: async (hub: HubOrg, draft: Draft) => renderOverview(await model(hub, draft, true)),
    invalidate(orgId: string) {
      for (const key of cache.keys()) if (key.startsWith(`${orgId}:`)) cache.delete(key);
      // Slugs do not name the org id, and a change is rare: forget them all.
      hubs.clear();
    },

    /** The org's security.txt, or null when no contact or expiry is set. */
    securityTxt(hub: HubOrg, now = new Date()): string | null {
      const s = hub.settings;
      if (!s.securityContacts.length || !s.securityTxtExpires || s.securityTxtExpires <= now) return null;
      const canonical = origins(hub).map((o) => `${o}/.well-known/security.txt`);
      if (!canonical.length) return null;
      return securityTxt({
        contacts: s.securityContacts, expires: s.securityTxtExpires, canonical, encryption: s.securityTxtEncryption ?? undefined,
        acknowledgments: s.securityTxtAcknowledgments ?? undefined, policy: s.securityTxtPolicy ?? undefined, hiring: s.securityTxtHiring ?? undefined,
        preferredLanguages: s.securityTxtLanguages,
      }, now);
    },

    feed: (hub: HubOrg) => cached(`${hub.orgId}:feed`, async () => {
      const base = origins(hub)[0];
      if (!base) throw new ConflictError('The updates feed needs an https address: set ATTEST_PUBLIC_URL to an https URL or add a custom host name.');
      const authority = new URL(deps.publicUrl()).hostname;
      const tag = (at: Date, what: string) => `tag:${authority},${at.toISOString().slice(0, 10)}:${what}`;
      const [{ certifications }, commitments, subprocessors] = await Promise.all([
        publicCertifications(hub.orgId), deps.repos.trustHub.commitments(hub.orgId, true), deps.sections.subprocessors.publicSubprocessors(hub.orgId),
      ]);
      const entries: AtomEntryInput[] = [];
      for (const c of certifications) {
        for (const h of await deps.repos.certifications.history(hub.orgId, c.id)) {
          entries.push({
            id: tag(h.at, `certification-status/${h.id}`), title: `${c.name}: ${badgeOf(h.toStatus).label}`, updated: h.at, category: 'certification', link: `${base}#certifications`,
            summary: h.fromStatus ? `${c.name} changed from ${badgeOf(h.fromStatus).label} to ${badgeOf(h.toStatus).label}.` : `${c.name} is listed as ${badgeOf(h.toStatus).label}.`,
          });
        }
      }
      for (const c of commitments) {
        const at = c.publishedAt ?? c.createdAt;
        entries.push({ id: tag(at, `commitment/${c.id}`), title: `New ${c.category} commitment`, summary: c.statement, updated: at, category: 'commitment', link: `${base}#commitments` });
      }
      for (const ch of subprocessors.changes) {
        entries.push({
          id: tag(ch.announcedAt, `subprocessor-change/${ch.id}`), title: `Sub-processor change: ${ch.vendorName}`, updated: ch.announcedAt, category: 'subprocessor',
          summary: `${ch.summary} Effective ${ch.effectiveAt.toISOString().slice(0, 10)}.`, link: `${base}#subprocessors`,
        });
      }
      return atomFeed({
        id: `tag:${authority},2026:trust-hub/${hub.orgId}`, title: `${hub.settings.displayName} Trust Hub updates`,
        selfUrl: `${base}/feed.atom`, alternateUrl: base, updated: hub.settings.updatedAt, entries: entries.slice(0, 1000),
      });
    }),
  };
}
export type TrustHubPublic = ReturnType<typeof createTrustHubPublic>;
