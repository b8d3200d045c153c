import crypto from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import type { Repos, Transact } from '../db/repos.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import { AppError, ConflictError, InvalidInputError, NotFoundError } from '../lib/errors.ts';
import type { MailService } from '../mail/mail.service.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { accessLinkKey, accessTokenHash, issueAccessToken, newAccessNonce, verifyAccessToken } from '../trust/access-link.ts';
import { acceptanceRecord, NDA_ACCEPTANCE_KIND, ndaVersion } from '../trust/nda.ts';
import { documentKinds, type AccessRequest } from '../trust/trust.schema.ts';
import { assertUploadablePdf, watermarkPdf } from '../trust/watermark.ts';
import type { DocumentRow, GrantRow, VersionRow } from './trust-docs.repo.ts';
import type { AccountInput, CreateDocumentInput, RulesInput, UpdateDocumentInput } from './trust-docs.schema.ts';
import type { GrantStatus } from './trust-docs.tables.ts';
import type { PublishedHubs } from '../trust-hub/hub-sections.ts';
import type { HubBrand } from '../trust-hub/html.ts';

export const LEDGER_KINDS = {
  versionPublished: 'trust.document.version_published',
  ndaPublished: 'trust.nda.published',
  ndaAccepted: NDA_ACCEPTANCE_KIND,
  grantDecided: 'trust.grant.decided',
  grantRevoked: 'trust.grant.revoked',
  downloaded: 'trust.document.downloaded',
} as const;

const HOUR = 3_600_000;
const LINK_TTL_MS = 72 * HOUR;
const SESSION_TTL_MS = 8 * HOUR;
const DEFAULT_GRANT_DAYS = 30;
const UPLOAD_MAX_BYTES = 50 * 1024 * 1024;

/** A visitor may not have this (bad, used, expired or foreign link; no or stale session). Says nothing about why. */
export class AccessDeniedError extends AppError {
  readonly reason: string;
  constructor(reason: string) {
    super('access_denied', 403, 'This link or session does not give access. Request access again to receive a new link.');
    this.reason = reason;
  }
}

export type AdminActor = { userId: string | null; email: string | null };
/** The org behind a visitor page; `brand` is the published hub's (its display name and accent), `name` the org's own. */
export type HubOrg = { id: string; slug: string; name: string; brand?: HubBrand };
export type DownloadResult = { kind: 'pdf'; bytes: Uint8Array; filename: string; downloadId: string } | { kind: 'needs-access' };

const sha256 = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
const minDate = (a: Date, b: Date) => (a.getTime() < b.getTime() ? a : b);

/** "expired" is not stored: an approved grant past its expiry is expired at that instant, whatever any job did. */
export function grantState(g: GrantRow, now: Date): GrantStatus | 'expired' {
  if (g.status === 'approved' && (!g.expiresAt || g.expiresAt.getTime() <= now.getTime())) return 'expired';
  return g.status;
}

export function createTrustDocsService(deps: {
  repos: Repos; transact: Transact; ledger: Pick<LedgerService, 'appendTx'>; mail: Pick<MailService, 'send'>; blobs: BlobStore;
  instanceKey: string; publicUrl: () => string; hubs: PublishedHubs; now?: () => Date;
}) {
  const { repos, transact } = deps;
  const key = accessLinkKey(deps.instanceKey);
  const now = () => deps.now?.() ?? new Date();

  const versionView = (v: VersionRow) => ({ id: v.id, label: v.label, sha256: v.sha256, size: v.size, pageCount: v.pageCount, filename: v.filename, ledgerIndex: v.ledgerIndex, createdAt: v.createdAt });
  function documentView(d: DocumentRow, versions: VersionRow[]) {
    const mine = versions.filter((v) => v.documentId === d.id).map(versionView);
    return { id: d.id, title: d.title, kind: d.kind, visibility: d.visibility, description: d.description, current: mine[0] ?? null, versions: mine, createdAt: d.createdAt, updatedAt: d.updatedAt };
  }
  const grantView = (g: GrantRow) => {
    const { orgId: _o, acceptanceLedgerIndex: _a, ...rest } = g;
    return { ...rest, status: grantState(g, now()) };
  };
  async function mustDocument(r: Repos, orgId: string, id: string) {
    const d = await r.trustDocs.findDocument(orgId, id);
    if (!d) throw new NotFoundError('Document');
    return d;
  }
  async function rulesOf(r: Repos, orgId: string) {
    const row = await r.trustDocs.rules(orgId);
    return { allowedDomains: row?.allowedDomains ?? [], autoApprovePlans: (row?.autoApprovePlans ?? []) as RulesInput['autoApprovePlans'], grantDays: row?.grantDays ?? DEFAULT_GRANT_DAYS };
  }

  /** Mints a single-use link for an approved grant and mails it, inside the caller's transaction. */
  async function sendLink(tx: Repos, org: HubOrg, grant: GrantRow, at: Date) {
    const nonce = newAccessNonce();
    const expiresAt = minDate(grant.expiresAt!, new Date(at.getTime() + LINK_TTL_MS));
    const token = issueAccessToken({ orgId: org.id, grantId: grant.id, recipientEmail: grant.email, expiresAt, nonce }, key);
    await tx.trustDocs.insertLink(org.id, { id: crypto.randomUUID(), grantId: grant.id, tokenHash: accessTokenHash(token), nonceHash: sha256(nonce), expiresAt });
    const url = `${deps.publicUrl()}/trust/${org.slug}/access/link?token=${encodeURIComponent(token)}`;
    await deps.mail.send(org.id, {
      to: grant.email,
      subject: `Your access to ${org.name}'s Trust Hub documents`,
      text: `Hello ${grant.name},\n\nyour request for ${org.name}'s confidential Trust Hub documents was approved. Open this link to continue (it works once, for you only, until ${expiresAt.toISOString()}):\n\n${url}\n\nAccess ends ${grant.expiresAt!.toISOString()}. Every download is stamped with your name, email and company.\n`,
    }, tx.mail);
  }

  async function decide(tx: Repos, org: HubOrg, grant: GrantRow, decision: 'approved' | 'rejected', by: string, note: string | null, days: number) {
    const at = now();
    const expiresAt = decision === 'approved' ? new Date(at.getTime() + days * 24 * HOUR) : null;
    const updated = await tx.trustDocs.updateGrant(org.id, grant.id, { status: decision, decidedBy: by, decidedAt: at, decisionNote: note, expiresAt });
    await deps.ledger.appendTx(tx, org.id, {
      kind: LEDGER_KINDS.grantDecided,
      record: { grantId: grant.id, decision, by, email: grant.email, company: grant.company, ndaSha256: grant.ndaSha256, scope: 'all-gated-documents', expiresAt: expiresAt?.toISOString() ?? null, note },
    });
    if (decision === 'approved') await sendLink(tx, org, updated, at);
    else await deps.mail.send(org.id, { to: grant.email, subject: `Your request to ${org.name}'s Trust Hub`, text: `Hello ${grant.name},\n\nyour request for ${org.name}'s confidential documents was not approved.${note ? `\n\n${note}` : ''}\n` }, tx.mail);
    return updated;
  }

  async function orgOf(r: Repos, orgId: string): Promise<HubOrg> {
    const o = await r.orgs.findOrg(orgId);
    if (!o) throw new NotFoundError('Organization');
    return { id: o.id, slug: o.slug, name: o.name };
  }

  /** The grant behind a visitor session, if it still gives access right now; read again on every download. */
  async function sessionGrant(r: Repos, orgId: string, secret: string | undefined, at: Date, lock = false) {
    if (!secret || secret.length > 200) return null;
    const session = await r.trustDocs.findSession(orgId, sha256(secret));
    if (!session || session.expiresAt.getTime() <= at.getTime()) return null;
    const grant = lock ? await r.trustDocs.lockGrant(orgId, session.grantId) : await r.trustDocs.findGrant(orgId, session.grantId);
    return grant && grantState(grant, at) === 'approved' ? grant : null;
  }

  return {
    grantState,

    // ---- Public side (the hub's pages) ----
    /** The org behind /trust/:slug, only while its hub is published; anything else is not found. */
    async hubOrg(slug: string): Promise<HubOrg> {
      const hub = slug.length <= 100 ? await deps.hubs.bySlug(slug) : null;
      if (!hub) throw new NotFoundError('Trust Hub');
      return { id: hub.orgId, slug: hub.slug, name: hub.name, brand: hub.brand };
    },

    async publicDocuments(orgId: string) {
      const docs = (await repos.trustDocs.listDocuments(orgId)).filter((d) => d.visibility !== 'private');
      const versions = await repos.trustDocs.versions(orgId, docs.map((d) => d.id));
      return docs.flatMap((d) => {
        const v = versions.find((x) => x.documentId === d.id);
        return v ? [{ id: d.id, title: d.title, kind: d.kind, visibility: d.visibility as 'public' | 'gated', versionLabel: v.label, publishedAt: v.createdAt, description: d.description }] : [];
      });
    },

    /** A gated document a visitor may request (so a guessed private id looks like an unknown one). */
    async requestableDocument(orgId: string, id: string) {
      const d = await repos.trustDocs.findDocument(orgId, id);
      if (d?.visibility !== 'gated' || !(await repos.trustDocs.currentVersion(orgId, id))) throw new NotFoundError('Document');
      return d;
    },

    currentNda: (orgId: string) => repos.trustDocs.currentNda(orgId),

    /** Records the request and the NDA acceptance; approves at once when a rule matches. The visitor learns nothing either way. */
    async requestAccess(org: HubOrg, input: AccessRequest, meta: { ip?: string; userAgent?: string }) {
      return transact(async (tx) => {
        const nda = await tx.trustDocs.currentNda(org.id);
        if (!nda || nda.sha256 !== input.ndaSha256) { // no NDA published: nothing can be accepted
          throw new InvalidInputError('The NDA has changed since this page was loaded; read the current version and accept it.', [{ path: 'ndaSha256', message: 'The NDA has changed since this page was loaded: read the current version below and accept it.' }]);
        }
        if (input.documentId) {
          const d = await tx.trustDocs.findDocument(org.id, input.documentId);
          if (d?.visibility !== 'gated') throw new InvalidInputError('That document cannot be requested.', [{ path: 'documentId', message: 'Not a requestable document.' }]);
        }
        const acceptedAt = now();
        const grant = await tx.trustDocs.insertGrant(org.id, {
          name: input.name, email: input.email, company: input.company, reason: input.reason, requestedDocumentId: input.documentId ?? null,
          ndaId: nda.id, ndaSha256: nda.sha256, acceptedAt,
        });
        const record = acceptanceRecord({
          name: input.name, email: input.email, company: input.company, acceptedAt, ndaVersion: nda.label, ndaSha256: nda.sha256,
          ...(input.documentId ? { documentId: input.documentId } : {}), ...(meta.ip ? { ip: meta.ip } : {}), ...(meta.userAgent ? { userAgent: meta.userAgent } : {}),
        });
        const entry = await deps.ledger.appendTx(tx, org.id, { kind: LEDGER_KINDS.ndaAccepted, record: { ...record, grantId: grant.id } });
        await tx.trustDocs.updateGrant(org.id, grant.id, { acceptanceLedgerIndex: entry.index });

        const rules = await rulesOf(tx, org.id);
        const domain = input.email.split('@').pop()!;
        let rule: string | null = rules.allowedDomains.includes(domain) ? `rule:domain:${domain}` : null;
        if (!rule && rules.autoApprovePlans.length) {
          const account = (await tx.trustDocs.accountsWithDomain(org.id, domain)).find((a) => rules.autoApprovePlans.includes(a.plan));
          if (account) rule = `rule:plan:${account.plan}:${account.companyName}`;
        }
        if (rule) return decide(tx, org, grant, 'approved', rule, null, rules.grantDays);
        await deps.mail.send(org.id, { to: grant.email, subject: `We received your request to ${org.name}'s Trust Hub`, text: `Hello ${grant.name},\n\nthank you: your request is waiting for ${org.name}'s review. You will receive a link by email once it is approved.\n` }, tx.mail);
        return grant;
      });
    },

    /** Spends a magic link and opens a visitor session bound to its grant. Any failure is the same AccessDeniedError. */
    async redeemLink(org: HubOrg, token: string) {
      const at = now();
      const checked = verifyAccessToken(token, key, at, org.id);
      if (!checked.ok) throw new AccessDeniedError(checked.reason);
      const claims = checked.claims;
      return transact(async (tx) => {
        const link = await tx.trustDocs.spendLink(org.id, accessTokenHash(token), sha256(claims.nonce), at);
        if (!link || link.grantId !== claims.grantId) throw new AccessDeniedError('used_or_unknown');
        const grant = await tx.trustDocs.lockGrant(org.id, claims.grantId);
        if (!grant || grantState(grant, at) !== 'approved' || grant.email !== claims.recipientEmail) throw new AccessDeniedError('grant_not_active');
        const secret = crypto.randomBytes(32).toString('base64url');
        const expiresAt = minDate(grant.expiresAt!, new Date(at.getTime() + SESSION_TTL_MS));
        await tx.trustDocs.insertSession(org.id, { secretHash: sha256(secret), grantId: grant.id, expiresAt });
        return { secret, expiresAt, grant };
      });
    },

    visitorGrant: (orgId: string, secret: string | undefined) => sessionGrant(repos, orgId, secret, now()),

    /**
     * A document as a visitor gets it. Unknown, private, version-less or other orgs' ids are not
     * found; a gated one without a live session is 'needs-access'. The grant is checked again,
     * locked, in the transaction that logs the download, so a revocation that commits first wins.
     */
    async download(orgId: string, documentId: string, visitor: { secret?: string | undefined; ip?: string | undefined }): Promise<DownloadResult> {
      const doc = await repos.trustDocs.findDocument(orgId, documentId);
      const version = doc && doc.visibility !== 'private' ? await repos.trustDocs.currentVersion(orgId, documentId) : undefined;
      if (!doc || !version) throw new NotFoundError('Document');
      const at = now();
      const downloadId = `dl_${crypto.randomBytes(12).toString('base64url')}`;
      const filename = `${doc.title.replace(/[^\w.-]+/g, '-').slice(0, 80) || 'document'}.pdf`;
      const original = new Uint8Array(await buffer(await deps.blobs.open(version.sha256)));
      if (doc.visibility === 'public') {
        await transact(async (tx) => {
          const entry = await deps.ledger.appendTx(tx, orgId, { kind: LEDGER_KINDS.downloaded, record: { downloadId, documentId, versionId: version.id, sha256: version.sha256, visibility: 'public', at: at.toISOString() } });
          await tx.trustDocs.insertDownload(orgId, { id: downloadId, documentId, versionId: version.id, visibility: 'public', ip: visitor.ip ?? null, ledgerIndex: entry.index, at });
        });
        return { kind: 'pdf', bytes: original, filename, downloadId };
      }
      const grant = await sessionGrant(repos, orgId, visitor.secret, at);
      if (!grant) return { kind: 'needs-access' };
      const bytes = await watermarkPdf(original, { name: grant.name, email: grant.email, company: grant.company, downloadedAt: at, downloadId });
      const allowed = await transact(async (tx) => {
        const live = await sessionGrant(tx, orgId, visitor.secret, now(), true);
        if (!live) return false;
        const entry = await deps.ledger.appendTx(tx, orgId, {
          kind: LEDGER_KINDS.downloaded,
          record: { downloadId, documentId, versionId: version.id, sha256: version.sha256, visibility: 'gated', grantId: live.id, name: live.name, email: live.email, company: live.company, at: at.toISOString() },
        });
        await tx.trustDocs.insertDownload(orgId, { id: downloadId, documentId, versionId: version.id, visibility: 'gated', grantId: live.id, name: live.name, email: live.email, company: live.company, ip: visitor.ip ?? null, ledgerIndex: entry.index, at });
        return true;
      });
      return allowed ? { kind: 'pdf', bytes, filename, downloadId } : { kind: 'needs-access' };
    },

    // ---- Admin side ----
    async listDocuments(orgId: string) {
      const docs = await repos.trustDocs.listDocuments(orgId);
      const versions = await repos.trustDocs.versions(orgId, docs.map((d) => d.id));
      return docs.map((d) => documentView(d, versions));
    },
    async getDocument(orgId: string, id: string) {
      const d = await mustDocument(repos, orgId, id);
      return documentView(d, await repos.trustDocs.versions(orgId, [id]));
    },
    async createDocument(orgId: string, input: CreateDocumentInput) {
      const visibility = input.visibility ?? documentKinds[input.kind].visibility;
      const d = await repos.trustDocs.insertDocument(orgId, { title: input.title, kind: input.kind, visibility, description: input.description });
      return documentView(d, []);
    },
    async updateDocument(orgId: string, id: string, input: UpdateDocumentInput) {
      const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      const d = Object.keys(patch).length ? await repos.trustDocs.updateDocument(orgId, id, patch) : await repos.trustDocs.findDocument(orgId, id);
      if (!d) throw new NotFoundError('Document');
      return documentView(d, await repos.trustDocs.versions(orgId, [id]));
    },
    uploadLimitBytes: UPLOAD_MAX_BYTES,
    /** A stored blob becomes the document's new current version once it proves to be a stampable PDF. */
    async addVersion(orgId: string, id: string, input: { label: string; sha256: string; size: number; filename: string }, actor: AdminActor) {
      await mustDocument(repos, orgId, id);
      const bytes = new Uint8Array(await buffer(await deps.blobs.open(input.sha256)));
      const info = await assertUploadablePdf(bytes);
      return transact(async (tx) => {
        const d = await mustDocument(tx, orgId, id);
        const v = await tx.trustDocs.insertVersion(orgId, { documentId: id, label: input.label, sha256: input.sha256, size: input.size, pageCount: info.pageCount, filename: input.filename });
        const entry = await deps.ledger.appendTx(tx, orgId, {
          kind: LEDGER_KINDS.versionPublished,
          record: { documentId: id, versionId: v.id, title: d.title, kind: d.kind, visibility: d.visibility, label: v.label, sha256: v.sha256, size: v.size, pageCount: v.pageCount, by: actor.email ?? 'unknown' },
        });
        await tx.trustDocs.setVersionLedgerIndex(orgId, v.id, entry.index);
        return documentView(d, await tx.trustDocs.versions(orgId, [id]));
      });
    },

    listNdas: async (orgId: string) => (await repos.trustDocs.listNdas(orgId)).map(({ orgId: _o, ...n }) => n),
    async publishNda(orgId: string, input: { label: string; text: string }, actor: AdminActor) {
      const v = ndaVersion(input.text, input.label);
      return transact(async (tx) => {
        const { orgId: _o, ...row } = await tx.trustDocs.insertCurrentNda(orgId, { label: v.label, text: input.text, sha256: v.sha256 });
        await deps.ledger.appendTx(tx, orgId, { kind: LEDGER_KINDS.ndaPublished, record: { ndaId: row.id, label: row.label, sha256: row.sha256, by: actor.email ?? 'unknown' } });
        return row;
      });
    },

    rules: (orgId: string) => rulesOf(repos, orgId),
    async setRules(orgId: string, input: RulesInput) {
      const row = await repos.trustDocs.upsertRules(orgId, input);
      return { allowedDomains: row.allowedDomains, autoApprovePlans: row.autoApprovePlans as RulesInput['autoApprovePlans'], grantDays: row.grantDays };
    },
    listAccounts: async (orgId: string) => (await repos.trustDocs.listAccounts(orgId)).map(({ orgId: _o, ...a }) => a),
    createAccount: async (orgId: string, input: AccountInput) => { const { orgId: _o, ...a } = await repos.trustDocs.insertAccount(orgId, input); return a; },
    async updateAccount(orgId: string, id: string, input: Partial<AccountInput>) {
      const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      const row = Object.keys(patch).length ? await repos.trustDocs.updateAccount(orgId, id, patch) : (await repos.trustDocs.listAccounts(orgId)).find((a) => a.id === id);
      if (!row) throw new NotFoundError('Customer account');
      const { orgId: _o, ...a } = row;
      return a;
    },
    async deleteAccount(orgId: string, id: string) {
      if (!(await repos.trustDocs.deleteAccount(orgId, id))) throw new NotFoundError('Customer account');
    },

    listGrants: async (orgId: string, status?: GrantStatus) => (await repos.trustDocs.listGrants(orgId, status)).map(grantView),
    async approve(orgId: string, id: string, days: number | undefined, actor: AdminActor) {
      return grantView(await transact(async (tx) => {
        const g = await tx.trustDocs.lockGrant(orgId, id);
        if (!g) throw new NotFoundError('Access request');
        if (g.status !== 'pending') throw new ConflictError(`This request is ${grantState(g, now())}; only pending requests can be approved.`);
        return decide(tx, await orgOf(tx, orgId), g, 'approved', `admin:${actor.email ?? actor.userId}`, null, days ?? (await rulesOf(tx, orgId)).grantDays);
      }));
    },
    async reject(orgId: string, id: string, note: string | undefined, actor: AdminActor) {
      return grantView(await transact(async (tx) => {
        const g = await tx.trustDocs.lockGrant(orgId, id);
        if (!g) throw new NotFoundError('Access request');
        if (g.status !== 'pending') throw new ConflictError(`This request is ${grantState(g, now())}; only pending requests can be rejected.`);
        return decide(tx, await orgOf(tx, orgId), g, 'rejected', `admin:${actor.email ?? actor.userId}`, note ?? null, 0);
      }));
    },
    /** Ends a grant now: its sessions are deleted and every later check sees the revoked status. */
    async revoke(orgId: string, id: string, note: string | undefined, actor: AdminActor) {
      return grantView(await transact(async (tx) => {
        const g = await tx.trustDocs.lockGrant(orgId, id);
        if (!g) throw new NotFoundError('Access grant');
        if (g.status !== 'pending' && g.status !== 'approved') throw new ConflictError(`This grant is already ${g.status}.`);
        const at = now();
        const updated = await tx.trustDocs.updateGrant(orgId, id, { status: 'revoked', revokedAt: at, decisionNote: note ?? g.decisionNote });
        await tx.trustDocs.deleteSessionsOfGrant(orgId, id);
        await deps.ledger.appendTx(tx, orgId, { kind: LEDGER_KINDS.grantRevoked, record: { grantId: id, email: g.email, by: `admin:${actor.email ?? actor.userId}`, at: at.toISOString(), note: note ?? null } });
        return updated;
      }));
    },
    /** Links are single use; an approved grant can get a fresh one (earlier unused links stay valid until they expire). */
    async resendLink(orgId: string, id: string) {
      return grantView(await transact(async (tx) => {
        const g = await tx.trustDocs.lockGrant(orgId, id);
        if (!g) throw new NotFoundError('Access grant');
        if (grantState(g, now()) !== 'approved') throw new ConflictError(`This grant is ${grantState(g, now())}; only approved grants get links.`);
        await sendLink(tx, await orgOf(tx, orgId), g, now());
        return g;
      }));
    },
    listDownloads: async (orgId: string) => (await repos.trustDocs.listDownloads(orgId)).map(({ orgId: _o, ...d }) => d),
  };
}
export type TrustDocsService = ReturnType<typeof createTrustDocsService>;
