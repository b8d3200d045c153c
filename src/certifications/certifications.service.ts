import type { Repos, Transact } from '../db/repos.ts';
import type { Actor } from '../lib/actor.ts';
import { ConflictError, InvalidInputError, NotFoundError, type FieldError } from '../lib/errors.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import type { ProductsService } from '../products/products.service.ts';
import type { CertificationRow, HistoryRow, ScopedProduct } from './certifications.repo.ts';
import { ACHIEVED, achievedRequirements, achievedStatusesFor, allowedNextStatuses, isPastValidity, statusViolations, todayUtc, validUntil, type Details } from './certifications.rules.ts';
import type { ChangeStatusInput, CertificationDetails, CreateCertificationInput, ListCertificationsFilter, UpdateCertificationInput } from './certifications.schema.ts';
import type { CertificationStatus } from './certifications.tables.ts';

/** Which framework ids an org may refer to (built-in catalogs now; the catalog service with org imports later). */
export type FrameworkDirectory = { exists(orgId: string, frameworkId: string): Promise<boolean>; list(orgId: string): Promise<{ id: string; name: string }[]> };

export const CERTIFICATION_STATUS_CHANGED = 'certification.status_changed';
export const SYSTEM_ACTOR = 'system';

const DETAIL_COLUMNS = ['asOf', 'periodStart', 'periodEnd', 'issuedOn', 'expiresOn', 'certificateNumber', 'verificationId', 'program', 'level'] as const;

function columnsOf(d: CertificationDetails) {
  const v = d as Record<string, unknown>;
  return { kind: d.kind, ...Object.fromEntries(DETAIL_COLUMNS.map((c) => [c, (v[c] as string | null | undefined) ?? null])) } as Pick<CertificationRow, 'kind' | (typeof DETAIL_COLUMNS)[number]>;
}

/** The row's kind-specific columns as the details of its kind (fields of other kinds left out). */
export function detailsOf(row: CertificationRow): CertificationDetails {
  const pick = (...keys: (typeof DETAIL_COLUMNS)[number][]) => Object.fromEntries(keys.map((k) => [k, row[k]]));
  switch (row.kind) {
    case 'certificate': return { kind: row.kind, ...pick('certificateNumber', 'issuedOn', 'expiresOn') } as CertificationDetails;
    case 'soc2-type1': return { kind: row.kind, asOf: row.asOf! };
    case 'soc2-type2': case 'soc3': return { kind: row.kind, periodStart: row.periodStart!, periodEnd: row.periodEnd! };
    case 'code-of-conduct': return { kind: row.kind, ...pick('verificationId', 'issuedOn', 'expiresOn') } as CertificationDetails;
    case 'government-authorization': return { kind: row.kind, program: row.program!, level: row.level!, ...pick('issuedOn', 'expiresOn') } as CertificationDetails;
    default: return { kind: row.kind, ...pick('issuedOn', 'expiresOn') } as CertificationDetails;
  }
}

type ActorLike = Actor & { userId: string | null };

export function createCertificationsService(deps: {
  repos: Repos; transact: Transact; frameworks: FrameworkDirectory; products: Pick<ProductsService, 'requireAll'>;
  ledger: Pick<LedgerService, 'appendTx'>; reportValidityMonths: number; now?: () => Date;
}) {
  const { repos, transact } = deps;
  const months = deps.reportValidityMonths;
  const today = () => todayUtc(deps.now?.() ?? new Date());

  function view(row: CertificationRow, scopes: ScopedProduct[]) {
    const mine = scopes.filter((p) => p.certificationId === row.id).map(({ id, name, slug, archived, inScope }) => ({ id, name, slug, archived, inScope }));
    const details = detailsOf(row);
    return {
      id: row.id, frameworkId: row.frameworkId, name: row.name, kind: row.kind, status: row.status, details,
      issuer: row.issuerName && row.issuerRole ? { name: row.issuerName, role: row.issuerRole } : null,
      rolesCovered: row.rolesCovered as ('controller' | 'processor' | 'merchant' | 'service-provider')[],
      inScope: mine.filter((p) => p.inScope).map(({ inScope: _, ...p }) => p),
      outOfScope: mine.filter((p) => !p.inScope).map(({ inScope: _, ...p }) => p),
      scopeNotes: row.scopeNotes, locations: row.locations, public: row.public,
      validUntil: validUntil(details as Details, months), nextStatuses: allowedNextStatuses(row.kind, row.status),
      version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt,
    };
  }
  const historyView = (h: HistoryRow) => ({ id: h.id, from: h.fromStatus, to: h.toStatus, reason: h.reason, actor: h.actor, actorUserId: h.actorUserId, ledgerIndex: h.ledgerIndex, at: h.at });

  async function mustFind(r: Repos, orgId: string, id: string) {
    const row = await r.certifications.find(orgId, id);
    if (!row) throw new NotFoundError('Certification');
    return row;
  }

  function reject(violations: FieldError[]): void {
    if (violations.length) throw new InvalidInputError(violations.map((v) => v.message).join(' '), violations);
  }

  async function checkReferences(tx: Repos, orgId: string, frameworkId: string | undefined, inScope: string[], outOfScope: string[]) {
    if (frameworkId !== undefined && !(await deps.frameworks.exists(orgId, frameworkId))) {
      throw new InvalidInputError(`Unknown framework "${frameworkId}".`, [{ path: 'frameworkId', message: 'No such framework' }]);
    }
    const both = inScope.filter((id) => outOfScope.includes(id));
    if (both.length) throw new InvalidInputError('A product cannot be both in and out of scope.', both.map((id) => ({ path: `outOfScope.${outOfScope.indexOf(id)}`, message: 'Also listed in scope' })));
    await deps.products.requireAll(tx, orgId, [...new Set(inScope)], 'inScope');
    await deps.products.requireAll(tx, orgId, [...new Set(outOfScope)], 'outOfScope');
  }

  /** Records a status change in the history and, in the same transaction, in the org's evidence log. */
  async function recordChange(tx: Repos, orgId: string, row: CertificationRow, from: CertificationStatus | null, reason: string, actor: { userId: string | null; label: string }) {
    const entry = await deps.ledger.appendTx(tx, orgId, {
      kind: CERTIFICATION_STATUS_CHANGED,
      record: {
        certificationId: row.id, name: row.name, frameworkId: row.frameworkId, kind: row.kind, from, to: row.status, reason,
        actor: actor.label, validUntil: validUntil(detailsOf(row) as Details, months), version: row.version,
      },
    });
    return tx.certifications.insertHistory({ orgId, certificationId: row.id, fromStatus: from, toStatus: row.status, reason, actorUserId: actor.userId, actor: actor.label, ledgerIndex: entry.index });
  }

  const actorOf = (a: ActorLike) => ({ userId: a.userId, label: a.email ?? 'unknown' });

  /** Marks lapsed certified/attested records of one org expired (history actor "system"); returns how many. */
  async function expireDue(orgId: string): Promise<number> {
    const now = today();
    const due = (await repos.certifications.byStatuses(orgId, ACHIEVED)).filter((r) => isPastValidity(detailsOf(r) as Details, months, now));
    let n = 0;
    for (const r of due) {
      await transact(async (tx) => {
        // The version check makes concurrent expiries (job and a reader) write once.
        const row = await tx.certifications.update(orgId, r.id, r.version, { status: 'expired' });
        if (!row) return;
        await recordChange(tx, orgId, row, r.status, `Validity ended on ${validUntil(detailsOf(r) as Details, months)}.`, { userId: null, label: SYSTEM_ACTOR });
        n++;
      });
    }
    return n;
  }

  async function get(orgId: string, id: string) {
    await expireDue(orgId);
    const row = await mustFind(repos, orgId, id);
    const [scopes, history] = await Promise.all([repos.certifications.scopes(orgId, [id]), repos.certifications.history(orgId, id)]);
    return { ...view(row, scopes), history: history.map(historyView) };
  }

  return {
    expireDue,
    get,
    /** Frameworks a record can name, for pickers. */
    frameworks: (orgId: string) => deps.frameworks.list(orgId),
    /** Lists the register; lapsed records are expired first, so the list is never stale between job runs. */
    async list(orgId: string, filter: ListCertificationsFilter = {}) {
      await expireDue(orgId);
      const rows = await repos.certifications.list(orgId, filter);
      const scopes = await repos.certifications.scopes(orgId, rows.map((r) => r.id));
      return rows.map((r) => view(r, scopes));
    },

    async create(orgId: string, input: CreateCertificationInput, actor: ActorLike) {
      if (input.status === 'withdrawn') reject([{ path: 'status', message: 'A new record cannot start withdrawn.' }]);
      reject(statusViolations(input.details as Details, input.status, months, today()));
      const id = await transact(async (tx) => {
        await checkReferences(tx, orgId, input.frameworkId, input.inScope, input.outOfScope);
        const row = await tx.certifications.insert(orgId, {
          frameworkId: input.frameworkId, name: input.name, status: input.status, ...columnsOf(input.details),
          issuerName: input.issuer?.name ?? null, issuerRole: input.issuer?.role ?? null, rolesCovered: [...new Set(input.rolesCovered)],
          scopeNotes: input.scopeNotes, locations: input.locations, public: input.public,
        });
        await tx.certifications.setScope(orgId, row.id, [...new Set(input.inScope)], [...new Set(input.outOfScope)]);
        await recordChange(tx, orgId, row, null, input.reason || 'Created.', actorOf(actor));
        return row.id;
      });
      return get(orgId, id);
    },

    async update(orgId: string, id: string, input: UpdateCertificationInput) {
      await transact(async (tx) => {
        const current = await mustFind(tx, orgId, id);
        if (current.version !== input.version) throw new ConflictError(`This record changed since you loaded it (version ${current.version}, you sent ${input.version}). Reload and try again.`);
        if (current.status === 'withdrawn') throw new ConflictError('A withdrawn record is final and cannot be edited.');
        const details = input.details ?? detailsOf(current);
        // Whatever it says now must still support the status it has (lapsed dates expire it on the next read).
        if (ACHIEVED.includes(current.status)) {
          reject(achievedStatusesFor(details.kind).includes(current.status) ? achievedRequirements(details as Details, today())
            : [{ path: 'details.kind', message: `A ${details.kind} record cannot be ${current.status}; change the status first.` }]);
        }
        const scope = await tx.certifications.scopes(orgId, [id]);
        const inScope = input.inScope ?? scope.filter((p) => p.inScope).map((p) => p.id);
        const outOfScope = input.outOfScope ?? scope.filter((p) => !p.inScope).map((p) => p.id);
        await checkReferences(tx, orgId, input.frameworkId, inScope, outOfScope);
        const values = {
          ...(input.frameworkId !== undefined ? { frameworkId: input.frameworkId } : {}),
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.details ? columnsOf(input.details) : {}),
          ...(input.issuer !== undefined ? { issuerName: input.issuer?.name ?? null, issuerRole: input.issuer?.role ?? null } : {}),
          ...(input.rolesCovered ? { rolesCovered: [...new Set(input.rolesCovered)] } : {}),
          ...(input.scopeNotes !== undefined ? { scopeNotes: input.scopeNotes } : {}),
          ...(input.locations ? { locations: input.locations } : {}),
          ...(input.public !== undefined ? { public: input.public } : {}),
        };
        const row = await tx.certifications.update(orgId, id, input.version, values);
        if (!row) throw new ConflictError('This record changed since you loaded it. Reload and try again.');
        if (input.inScope || input.outOfScope) await tx.certifications.setScope(orgId, id, [...new Set(inScope)], [...new Set(outOfScope)]);
      });
      // New dates may already lie in the past: the read expires the record at once.
      return get(orgId, id);
    },

    async changeStatus(orgId: string, id: string, input: ChangeStatusInput, actor: ActorLike) {
      await transact(async (tx) => {
        const current = await mustFind(tx, orgId, id);
        if (input.version !== undefined && current.version !== input.version) throw new ConflictError(`This record changed since you loaded it (version ${current.version}). Reload and try again.`);
        if (current.status === input.status) throw new ConflictError(`It is already ${input.status}.`);
        const allowed = allowedNextStatuses(current.kind, current.status);
        if (!allowed.includes(input.status)) {
          const why = current.status === 'withdrawn' ? 'Withdrawn is final.' : `From ${current.status} it can move to ${allowed.join(', ') || 'nothing'}.`;
          throw new ConflictError(`Cannot change ${current.status} to ${input.status}. ${why}`);
        }
        reject(statusViolations(detailsOf(current) as Details, input.status, months, today()));
        const row = await tx.certifications.update(orgId, id, current.version, { status: input.status });
        if (!row) throw new ConflictError('This record changed since you loaded it. Reload and try again.');
        await recordChange(tx, orgId, row, current.status, input.reason, actorOf(actor));
      });
      return get(orgId, id);
    },

    /** The daily job: expiry for every org that has certified or attested records. */
    async expireAll(): Promise<number> {
      let n = 0;
      for (const orgId of await repos.certifications.orgsWithStatuses(ACHIEVED)) n += await expireDue(orgId);
      return n;
    },

    productReferenced: (tx: Repos, orgId: string, productId: string) => tx.certifications.productReferenced(orgId, productId),
  };
}
export type CertificationsService = ReturnType<typeof createCertificationsService>;
