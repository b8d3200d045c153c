import type { Repos, Transact } from '../db/repos.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import { AppError, ConflictError, InvalidInputError, NotFoundError, type FieldError } from '../lib/errors.ts';
import { securityTxt } from '../trust/security-txt.ts';
import type { HubSettingsRow } from './trust-hub.repo.ts';
import type { CreateCommitmentInput, HubSettingsInput, UpdateCommitmentInput } from './trust-hub.schema.ts';
import type { HostRouter } from './host-routing.ts';
import type { PublishedHub } from './hub-sections.ts';

export const HUB_PUBLISHED = 'trust_hub.published';
export const HUB_UNPUBLISHED = 'trust_hub.unpublished';
export const COMMITMENT_PUBLISHED = 'trust_hub.commitment_published';
export const COMMITMENT_WITHDRAWN = 'trust_hub.commitment_withdrawn';

type ActorLike = { userId: string | null; email: string | null };
export type HubOrg = { orgId: string; slug: string; settings: HubSettingsRow; hosts: string[] };

export const DEFAULT_ACCENT = '#1c7ed6';

export function createTrustHubService(deps: {
  repos: Repos; transact: Transact; ledger: Pick<LedgerService, 'appendTx'>; hostRouter: HostRouter;
  /** Called after every change, so cached public pages are rebuilt. */
  onChange: (orgId: string) => void;
}) {
  const { repos, transact } = deps;

  async function publishedOrg(slug: string) {
    const org = await repos.orgs.findOrgBySlug(slug);
    const settings = org && await repos.trustHub.findSettings(org.id);
    return org && settings?.published ? { org, settings } : null;
  }

  function view(slug: string, row: HubSettingsRow | undefined, fallbackName: string, hosts: string[]) {
    return {
      published: row?.published ?? false, displayName: row?.displayName ?? fallbackName, accentColor: row?.accentColor ?? DEFAULT_ACCENT,
      intro: row?.intro ?? '', hosts, securityContacts: row?.securityContacts ?? [],
      securityTxt: {
        expires: row?.securityTxtExpires ?? null, encryption: row?.securityTxtEncryption ?? null, acknowledgments: row?.securityTxtAcknowledgments ?? null,
        policy: row?.securityTxtPolicy ?? null, hiring: row?.securityTxtHiring ?? null, preferredLanguages: row?.securityTxtLanguages ?? [],
      },
      publishedAt: row?.publishedAt ?? null, version: row?.version ?? 0, publicPath: `/trust/${slug}`,
    };
  }

  async function mustOrg(orgId: string) {
    const org = await repos.orgs.findOrg(orgId);
    if (!org) throw new NotFoundError('Organization');
    return org;
  }

  /**
   * The security.txt generator is the validator: what it refuses, the form shows beside the field.
   * Without an expiry the file is simply not served, so the contacts are checked on their own.
   */
  function checkSecurityTxt(input: HubSettingsInput, now: Date) {
    const t = input.securityTxt;
    if (!input.securityContacts.length && !t.expires) return;
    // Contacts alone are fine; the generator's "at least one contact" only matters once there is an expiry.
    try {
      securityTxt({
        contacts: input.securityContacts, expires: t.expires ?? new Date(now.getTime() + 24 * 3600 * 1000), canonical: ['https://placeholder.invalid/.well-known/security.txt'],
        encryption: t.encryption ?? undefined, acknowledgments: t.acknowledgments ?? undefined, policy: t.policy ?? undefined,
        hiring: t.hiring ?? undefined, preferredLanguages: t.preferredLanguages,
      }, now);
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      const fields = (e.fields ?? []).filter((f) => t.expires || f.path !== 'contacts').map((f) => ({ path: f.path.startsWith('contacts') ? f.path.replace('contacts', 'securityContacts') : `securityTxt.${f.path}`, message: f.message }));
      throw new InvalidInputError(fields.map((f) => f.message).join(' '), fields);
    }
  }

  async function commitmentControl(tx: Repos, orgId: string, controlId: string | null | undefined) {
    if (controlId && !(await tx.controls.find(orgId, controlId))) {
      throw new InvalidInputError('No such control in this organization.', [{ path: 'controlId', message: 'No such control in this organization' }]);
    }
  }

  const isUniqueViolation = (e: unknown) => (e as { code?: string; cause?: { code?: string } }).code === '23505' || (e as { cause?: { code?: string } }).cause?.code === '23505';

  return {
    async getSettings(orgId: string) {
      const org = await mustOrg(orgId);
      const [row, hosts] = await Promise.all([repos.trustHub.findSettings(orgId), repos.trustHub.hosts(orgId)]);
      return view(org.slug, row, org.name, hosts);
    },

    async saveSettings(orgId: string, input: HubSettingsInput, actor: ActorLike, now = new Date()) {
      const org = await mustOrg(orgId);
      checkSecurityTxt(input, now);
      if (input.published && !input.securityContacts.length) {
        throw new InvalidInputError('A published hub needs a security contact.', [{ path: 'securityContacts', message: 'Add at least one security contact (mailto:, https: or tel:) before publishing.' }]);
      }
      try {
        await transact(async (tx) => {
          const current = await tx.trustHub.findSettings(orgId);
          if ((current?.version ?? 0) !== input.version) throw new ConflictError(`The settings changed since you loaded them (version ${current?.version ?? 0}, you sent ${input.version}). Reload and try again.`);
          const fields: FieldError[] = [];
          for (const [i, host] of input.hosts.entries()) {
            const owner = await tx.trustHub.orgOfHost(host);
            if (owner && owner.orgId !== orgId) fields.push({ path: `hosts.${i}`, message: 'This host name is already used by another organization.' });
          }
          if (fields.length) throw new InvalidInputError('A host name is already taken.', fields);
          const flips = (current?.published ?? false) !== input.published;
          const t = input.securityTxt;
          const row = await tx.trustHub.saveSettings(orgId, {
            published: input.published, displayName: input.displayName, accentColor: input.accentColor.toLowerCase(), intro: input.intro,
            securityContacts: input.securityContacts, securityTxtExpires: t.expires, securityTxtEncryption: t.encryption ?? null,
            securityTxtAcknowledgments: t.acknowledgments ?? null, securityTxtPolicy: t.policy ?? null, securityTxtHiring: t.hiring ?? null,
            securityTxtLanguages: t.preferredLanguages, publishedAt: flips && input.published ? now : (current?.publishedAt ?? null),
          }, current ? current.version : null);
          if (!row) throw new ConflictError('The settings changed since you loaded them. Reload and try again.');
          await tx.trustHub.setHosts(orgId, input.hosts);
          if (flips) {
            await deps.ledger.appendTx(tx, orgId, {
              kind: input.published ? HUB_PUBLISHED : HUB_UNPUBLISHED,
              record: { slug: org.slug, displayName: input.displayName, hosts: input.hosts, actor: actor.email ?? 'unknown', version: row.version },
            });
          }
        });
      } catch (e) {
        if (!(e instanceof AppError) && isUniqueViolation(e)) throw new InvalidInputError('A host name is already taken.', [{ path: 'hosts', message: 'One of these host names was just taken by another organization.' }]);
        throw e;
      }
      deps.hostRouter.invalidate();
      deps.onChange(orgId);
      return this.getSettings(orgId);
    },

    /** The published hub behind a slug with its branding, for other domains' visitor pages (PublishedHubs). */
    async published(slug: string): Promise<PublishedHub | null> {
      const found = await publishedOrg(slug);
      return found && { orgId: found.org.id, slug: found.org.slug, name: found.org.name, brand: { name: found.settings.displayName, slug: found.org.slug, accentColor: found.settings.accentColor } };
    },

    /** The org behind a public slug, or null when unknown or not published. */
    async publishedBySlug(slug: string): Promise<HubOrg | null> {
      const found = await publishedOrg(slug);
      return found && { orgId: found.org.id, slug: found.org.slug, settings: found.settings, hosts: await repos.trustHub.hosts(found.org.id) };
    },

    /** For the admin preview: the org's hub whether published or not. */
    async draft(orgId: string): Promise<HubOrg> {
      const org = await mustOrg(orgId);
      const settings = await repos.trustHub.findSettings(orgId);
      const fallback = { orgId, published: false, displayName: org.name, accentColor: DEFAULT_ACCENT, intro: '', securityContacts: [], securityTxtExpires: null, securityTxtEncryption: null, securityTxtAcknowledgments: null, securityTxtPolicy: null, securityTxtHiring: null, securityTxtLanguages: [], publishedAt: null, version: 0, updatedAt: new Date() };
      return { orgId, slug: org.slug, settings: settings ?? fallback, hosts: await repos.trustHub.hosts(orgId) };
    },

    isPublished: async (orgId: string) => (await repos.trustHub.findSettings(orgId))?.published ?? false,

    listCommitments: (orgId: string) => repos.trustHub.commitments(orgId, false),

    async createCommitment(orgId: string, input: CreateCommitmentInput, actor: ActorLike) {
      const row = await transact(async (tx) => {
        await commitmentControl(tx, orgId, input.controlId);
        const created = await tx.trustHub.insertCommitment(orgId, { ...input, publishedAt: input.published ? new Date() : null });
        if (created.published) await recordPublication(tx, orgId, created.id, created.statement, created.category, true, actor);
        return created;
      });
      deps.onChange(orgId);
      return row;
    },

    async updateCommitment(orgId: string, id: string, input: UpdateCommitmentInput, actor: ActorLike) {
      const row = await transact(async (tx) => {
        const current = await tx.trustHub.findCommitment(orgId, id);
        if (!current) throw new NotFoundError('Commitment');
        await commitmentControl(tx, orgId, input.controlId);
        const flips = input.published !== undefined && input.published !== current.published;
        const values = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
        const updated = (await tx.trustHub.updateCommitment(orgId, id, { ...values, ...(flips && input.published ? { publishedAt: new Date() } : {}) }))!;
        if (flips) await recordPublication(tx, orgId, id, updated.statement, updated.category, updated.published, actor);
        return updated;
      });
      deps.onChange(orgId);
      return row;
    },

    async deleteCommitment(orgId: string, id: string, actor: ActorLike) {
      await transact(async (tx) => {
        const current = await tx.trustHub.findCommitment(orgId, id);
        if (!current) throw new NotFoundError('Commitment');
        if (current.published) await recordPublication(tx, orgId, id, current.statement, current.category, false, actor);
        await tx.trustHub.deleteCommitment(orgId, id);
      });
      deps.onChange(orgId);
    },
  };

  async function recordPublication(tx: Repos, orgId: string, id: string, statement: string, category: string, published: boolean, actor: ActorLike) {
    await deps.ledger.appendTx(tx, orgId, {
      kind: published ? COMMITMENT_PUBLISHED : COMMITMENT_WITHDRAWN,
      record: { commitmentId: id, statement, category, actor: actor.email ?? 'unknown' },
    });
  }
}
export type TrustHubService = ReturnType<typeof createTrustHubService>;
