import crypto from 'node:crypto';
import type { Repos, Transact } from '../db/repos.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../lib/errors.ts';
import { randomToken, safeEqual, sha256Hex } from '../lib/secrets.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import type { MailService } from '../mail/mail.service.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { ProductsService } from '../products/products.service.ts';
import { diffVendor, objectionsOpen, todayUtc, type VendorState } from './vendors.diff.ts';
import type { ChangeRow, ObjectionRow, VendorRow } from './vendors.repo.ts';
import type { CreateVendorInput, ObjectionInput, UpdateVendorInput } from './vendors.schema.ts';

export const SUBPROCESSOR_CHANGE_ANNOUNCED = 'subprocessor.change_announced';

type Deps = {
  repos: Repos; transact: Transact; products: Pick<ProductsService, 'requireAll'>; ledger: Pick<LedgerService, 'appendTx'>;
  notifications: Pick<NotificationsService, 'publishTx'>; mail: Pick<MailService, 'send'>; publicUrl: () => string;
  /** Signs unsubscribe links, so every later mail can carry one without storing a secret. */
  linkKey: Buffer; now?: () => Date;
};

/** The baseline after customers were told of one change. */
function applyChange(baseline: VendorRow['publicBaseline'], change: ChangeRow): VendorRow['publicBaseline'] {
  const d = change.detail as { purpose?: string; countries?: string[]; to?: string };
  switch (change.kind) {
    case 'added': return { name: change.vendorName, purpose: d.purpose ?? '', countries: d.countries ?? [] };
    case 'removed': return null;
    case 'country-added': return baseline && { ...baseline, countries: [...new Set([...baseline.countries, ...(d.countries ?? [])])] };
    case 'purpose-changed': return baseline && { ...baseline, purpose: d.to ?? baseline.purpose };
  }
}

const stateOf = (v: VendorRow): VendorState => ({ name: v.name, purpose: v.purpose, countries: v.countries, subprocessor: v.subprocessor, removed: v.removedAt !== null });

export function createVendorsService(deps: Deps) {
  const { repos, transact } = deps;
  const now = () => deps.now?.() ?? new Date();
  const changeView = (c: ChangeRow) => ({ ...c, objectionsOpen: c.status === 'announced' && objectionsOpen(c.effectiveAt, now()) });
  const unsubscribeMac = (orgId: string, subscriberId: string) =>
    crypto.createHmac('sha256', deps.linkKey).update(`unsubscribe\u0000${orgId}\u0000${subscriberId}`).digest('base64url');
  const hubUrl = async (orgId: string) => `${deps.publicUrl()}/trust/${(await repos.orgs.findOrg(orgId))!.slug}/subprocessors`;

  async function mustFind(r: Repos, orgId: string, id: string) {
    const row = await r.vendors.find(orgId, id);
    if (!row) throw new NotFoundError('Vendor');
    return row;
  }
  async function mustFindChange(r: Repos, orgId: string, id: string) {
    const row = await r.vendors.findChange(orgId, id);
    if (!row) throw new NotFoundError('Sub-processor change');
    return row;
  }
  async function checkName(tx: Repos, orgId: string, name: string | undefined, self?: string) {
    if (name === undefined) return;
    const other = await tx.vendors.findLiveByName(orgId, name);
    if (other && other.id !== self) throw new InvalidInputError(`A vendor named "${name}" already exists.`, [{ path: 'name', message: 'Already used by another vendor' }]);
  }

  /** Saves and records what the public list would gain or lose as drafts, replacing older drafts of this vendor. */
  async function saveWithDiff(tx: Repos, orgId: string, after: VendorRow) {
    // Customers compare with what was last announced, so unannounced drafts are recomputed on every save.
    await tx.vendors.deleteDrafts(orgId, after.id);
    const b = after.publicBaseline;
    const baseline: VendorState | null = b ? { ...b, subprocessor: true, removed: false } : null;
    const computed = diffVendor(baseline, stateOf(after));
    const changes = await tx.vendors.insertChanges(computed.map((c) => ({ orgId, vendorId: after.id, vendorName: after.name, ...c })));
    return { vendor: after, changes: changes.map(changeView) };
  }

  return {
    list: (orgId: string, includeRemoved = false) => repos.vendors.list(orgId, includeRemoved),
    get: (orgId: string, id: string) => mustFind(repos, orgId, id),

    async create(orgId: string, input: CreateVendorInput) {
      return transact(async (tx) => {
        await checkName(tx, orgId, input.name);
        await deps.products.requireAll(tx, orgId, input.productIds, 'productIds');
        return saveWithDiff(tx, orgId, await tx.vendors.insert(orgId, input));
      });
    },
    async update(orgId: string, id: string, input: UpdateVendorInput) {
      return transact(async (tx) => {
        const before = await mustFind(tx, orgId, id);
        if (before.removedAt) throw new ConflictError('This vendor was removed; add it again instead.');
        await checkName(tx, orgId, input.name, id);
        if (input.productIds) await deps.products.requireAll(tx, orgId, input.productIds, 'productIds');
        const purpose = input.purpose ?? before.purpose;
        if ((input.subprocessor ?? before.subprocessor) && !purpose) throw new InvalidInputError('A sub-processor needs a purpose.', [{ path: 'purpose', message: 'A sub-processor needs a purpose.' }]);
        const values = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
        return saveWithDiff(tx, orgId, (await tx.vendors.update(orgId, id, values))!);
      });
    },
    /** Vendors are kept once removed, so an announced removal still names them. */
    async remove(orgId: string, id: string) {
      return transact(async (tx) => {
        const before = await mustFind(tx, orgId, id);
        if (before.removedAt) return { vendor: before, changes: [] };
        return saveWithDiff(tx, orgId, (await tx.vendors.update(orgId, id, { removedAt: now() }))!);
      });
    },

    async changes(orgId: string, status?: ChangeRow['status']) {
      const rows = await repos.vendors.listChanges(orgId, status);
      const objections = await repos.vendors.objectionsFor(orgId, rows.map((r) => r.id));
      return rows.map((r) => ({ ...changeView(r), objections: objections.filter((o) => o.changeId === r.id) }));
    },

    /**
     * Publishes a draft with its advance-notice date: the evidence log, a webhook event and a mail
     * to every confirmed subscriber, all in one transaction.
     */
    async announce(orgId: string, id: string, effectiveAt: string) {
      const today = todayUtc(now());
      if (effectiveAt < today) throw new InvalidInputError(`The change cannot take effect before today (${today}).`, [{ path: 'effectiveAt', message: `Choose ${today} or later` }]);
      return transact(async (tx) => {
        const change = await mustFindChange(tx, orgId, id);
        if (change.status !== 'draft') throw new ConflictError(`This change is already ${change.status}.`);
        const announcedAt = now();
        const entry = await deps.ledger.appendTx(tx, orgId, {
          kind: SUBPROCESSOR_CHANGE_ANNOUNCED,
          record: { changeId: change.id, vendorId: change.vendorId, vendorName: change.vendorName, change: change.kind, summary: change.summary, announcedAt: announcedAt.toISOString(), effectiveAt },
        });
        const row = (await tx.vendors.updateChange(orgId, id, { status: 'announced', announcedAt, effectiveAt, ledgerIndex: entry.index }))!;
        const vendor = (await tx.vendors.find(orgId, change.vendorId))!;
        await tx.vendors.update(orgId, vendor.id, { publicBaseline: applyChange(vendor.publicBaseline, change) });
        await deps.notifications.publishTx(tx, orgId, {
          id: change.id, type: SUBPROCESSOR_CHANGE_ANNOUNCED, subject: { type: 'subprocessor_change', id: change.id, label: change.vendorName },
          data: { change: change.kind, vendorName: change.vendorName, summary: change.summary, effectiveAt, announcedAt: announcedAt.toISOString() }, occurredAt: announcedAt,
        });
        const base = await hubUrl(orgId);
        for (const sub of await tx.vendors.activeSubscribers(orgId)) {
          await deps.mail.send(orgId, {
            to: sub.email, subject: `Sub-processor change: ${change.vendorName}`,
            text: `${change.summary}\n\nTakes effect: ${effectiveAt}\nYou may object until then: ${base}/changes/${change.id}/object\n\n`
              + `Current list: ${base}\nUnsubscribe: ${base}/unsubscribe?token=${sub.id}.${unsubscribeMac(orgId, sub.id)}\n`,
          }, tx.mail);
        }
        return changeView(row);
      });
    },
    async withdraw(orgId: string, id: string) {
      return transact(async (tx) => {
        const change = await mustFindChange(tx, orgId, id);
        if (change.status !== 'draft') throw new ConflictError('Only a draft can be withdrawn; an announced change stays on record.');
        return changeView((await tx.vendors.updateChange(orgId, id, { status: 'withdrawn' }))!);
      });
    },

    subscribers: (orgId: string) => repos.vendors.listSubscribers(orgId),
    /** Double opt-in: nothing is sent to the address until its owner follows the mailed link. */
    async subscribe(orgId: string, email: string) {
      const token = randomToken();
      await transact(async (tx) => {
        await tx.vendors.upsertSubscriber(orgId, email, sha256Hex(token));
        const base = await hubUrl(orgId);
        await deps.mail.send(orgId, {
          to: email, subject: 'Confirm: sub-processor change notices',
          text: `Someone (hopefully you) asked to be told of changes to our sub-processors.\n\nConfirm: ${base}/confirm?token=${token}\n\nIf it was not you, ignore this message: nothing will be sent.\n`,
        }, tx.mail);
      });
    },
    async confirm(orgId: string, token: string): Promise<boolean> {
      const sub = await repos.vendors.findSubscriberByToken(orgId, sha256Hex(token));
      if (!sub || sub.unsubscribedAt) return false;
      if (!sub.confirmedAt) await repos.vendors.setSubscriber(orgId, sub.id, { confirmedAt: now() });
      return true;
    },
    async unsubscribe(orgId: string, token: string): Promise<boolean> {
      const [id, mac] = token.split('.');
      if (!id || !mac || !/^[0-9a-f-]{36}$/.test(id) || !safeEqual(mac, unsubscribeMac(orgId, id))) return false;
      await repos.vendors.setSubscriber(orgId, id, { unsubscribedAt: now() });
      return true;
    },
    unsubscribeToken: (orgId: string, subscriberId: string) => `${subscriberId}.${unsubscribeMac(orgId, subscriberId)}`,

    /** The public change, if customers may still object to it. */
    async openChange(orgId: string, id: string) {
      const change = await repos.vendors.findChange(orgId, id);
      if (change?.status !== 'announced') throw new NotFoundError('Sub-processor change');
      return changeView(change!);
    },
    async object(orgId: string, changeId: string, input: ObjectionInput): Promise<ObjectionRow> {
      const change = await this.openChange(orgId, changeId);
      if (!change.objectionsOpen) throw new ConflictError(`Objections to this change closed when it took effect on ${change.effectiveAt}.`);
      return repos.vendors.insertObjection({ orgId, changeId, ...input });
    },

    /** The Trust Hub's section (HubSections.subprocessors). */
    async publicSubprocessors(orgId: string) {
      const [all, changes] = await Promise.all([repos.vendors.list(orgId, true), repos.vendors.listChanges(orgId)]);
      const today = todayUtc(now());
      const pending = (kind: string) => new Set(changes.filter((c) => c.kind === kind && (c.status === 'draft' || (c.status === 'announced' && c.effectiveAt! > today))).map((c) => c.vendorId));
      const [pendingAdd, pendingRemoval] = [pending('added'), pending('removed')];
      // Not yet announced or effective additions are not listed; announced removals stay until they take effect.
      const current = all.filter((v) => (v.subprocessor && !v.removedAt) ? !pendingAdd.has(v.id) : pendingRemoval.has(v.id))
        .map((v) => ({ id: v.id, name: v.name, services: v.services, purpose: v.purpose, countries: v.countries, dataCategories: v.dataCategories, dpaDate: v.dpaDate, website: v.website }));
      const announced = changes.filter((c) => c.status === 'announced').sort((a, b) => b.announcedAt!.getTime() - a.announcedAt!.getTime());
      return {
        current,
        changes: announced.map((c) => ({
          id: c.id, kind: c.kind, vendorName: c.vendorName, summary: c.summary, announcedAt: c.announcedAt!,
          effectiveAt: new Date(`${c.effectiveAt}T00:00:00Z`), objectionsOpen: objectionsOpen(c.effectiveAt, now()),
        })),
      };
    },
  };
}
export type VendorsService = ReturnType<typeof createVendorsService>;
