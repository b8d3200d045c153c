import type { Repos, Transact } from '../db/repos.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../lib/errors.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import type { ProductsService } from '../products/products.service.ts';
import type { ResponsibilityRow } from './responsibilities.repo.ts';
import type { CreateResponsibilityInput, UpdateResponsibilityInput } from './responsibilities.schema.ts';
import type { CriterionRef } from './responsibilities.tables.ts';
import { responsibilitiesCsv, responsibilitiesPdf } from './responsibilities.export.ts';

export const RESPONSIBILITY_PUBLISHED = 'responsibility.published';
export const RESPONSIBILITY_WITHDRAWN = 'responsibility.withdrawn';

type Deps = {
  repos: Repos; transact: Transact; catalog: Pick<CatalogService, 'findMissingRequirements'>;
  products: Pick<ProductsService, 'requireAll'>; ledger: Pick<LedgerService, 'appendTx'>; now?: () => Date;
};

export function createResponsibilitiesService(deps: Deps) {
  const { repos, transact } = deps;

  async function view(r: Repos, orgId: string, rows: ResponsibilityRow[]) {
    const products = await r.products.findMany(orgId, [...new Set(rows.flatMap((x) => x.productIds))]);
    return rows.map((x) => ({
      id: x.id, statement: x.statement, criteria: x.criteria, published: x.published, version: x.version, createdAt: x.createdAt, updatedAt: x.updatedAt,
      products: x.productIds.map((pid) => products.find((p) => p.id === pid)).filter((p) => p !== undefined)
        .map((p) => ({ id: p.id, name: p.name, slug: p.slug, public: p.public, archived: p.archivedAt !== null })),
    }));
  }
  const one = async (r: Repos, orgId: string, row: ResponsibilityRow) => (await view(r, orgId, [row]))[0]!;

  async function checkRefs(tx: Repos, orgId: string, criteria: CriterionRef[] | undefined, productIds: string[] | undefined) {
    if (criteria?.length) {
      const missing = await deps.catalog.findMissingRequirements(orgId, criteria);
      if (missing.length) {
        throw new InvalidInputError(`Unknown criteria: ${missing.map((m) => `${m.framework} ${m.id}`).join(', ')}.`,
          missing.map((m) => ({ path: `criteria.${criteria.findIndex((c) => c.framework === m.framework && c.id === m.id)}`, message: `No requirement ${m.id} in ${m.framework}` })));
      }
    }
    if (productIds) await deps.products.requireAll(tx, orgId, productIds, 'productIds');
  }
  /** A publication (or a change to a published statement) and a withdrawal are on the evidence log. */
  async function record(tx: Repos, orgId: string, before: ResponsibilityRow | null, after: ResponsibilityRow | null) {
    const row = after ?? before!;
    if (after?.published) {
      const changed = !before?.published || before.statement !== after.statement || JSON.stringify(before.criteria) !== JSON.stringify(after.criteria)
        || before.productIds.join() !== after.productIds.join();
      if (!changed) return;
      await deps.ledger.appendTx(tx, orgId, { kind: RESPONSIBILITY_PUBLISHED, record: { responsibilityId: row.id, version: row.version, statement: row.statement, criteria: row.criteria, productIds: row.productIds } });
    } else if (before?.published) {
      await deps.ledger.appendTx(tx, orgId, { kind: RESPONSIBILITY_WITHDRAWN, record: { responsibilityId: row.id, version: row.version } });
    }
  }
  async function mustFind(r: Repos, orgId: string, id: string) {
    const row = await r.responsibilities.find(orgId, id);
    if (!row) throw new NotFoundError('Customer responsibility');
    return row;
  }

  const service = {
    list: async (orgId: string) => view(repos, orgId, await repos.responsibilities.list(orgId)),
    get: async (orgId: string, id: string) => one(repos, orgId, await mustFind(repos, orgId, id)),
    async create(orgId: string, input: CreateResponsibilityInput) {
      return transact(async (tx) => {
        await checkRefs(tx, orgId, input.criteria, input.productIds);
        const row = await tx.responsibilities.insert(orgId, input);
        await record(tx, orgId, null, row);
        return one(tx, orgId, row);
      });
    },
    async update(orgId: string, id: string, input: UpdateResponsibilityInput) {
      return transact(async (tx) => {
        const before = await mustFind(tx, orgId, id);
        const { version, ...patch } = input;
        await checkRefs(tx, orgId, patch.criteria, patch.productIds);
        const values = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        const row = await tx.responsibilities.update(orgId, id, version, values);
        if (!row) throw new ConflictError('Someone else changed this statement; reload and try again.');
        await record(tx, orgId, before, row);
        return one(tx, orgId, row);
      });
    },
    async remove(orgId: string, id: string) {
      await transact(async (tx) => {
        const before = await mustFind(tx, orgId, id);
        await tx.responsibilities.delete(orgId, id);
        await record(tx, orgId, before, null);
      });
    },

    /** The Trust Hub's section (HubSections.responsibilities): published statements, public products only. */
    async publicResponsibilities(orgId: string) {
      const rows = await view(repos, orgId, await repos.responsibilities.list(orgId, true));
      return rows.map((r) => ({
        id: r.id, statement: r.statement, criteria: r.criteria.map((c) => ({ framework: c.framework, id: c.id })),
        products: r.products.filter((p) => p.public && !p.archived).map(({ id, name, slug }) => ({ id, name, slug })),
      }));
    },
    async exportFile(orgId: string, format: 'csv' | 'pdf', opts: { publicOnly: boolean; productId?: string | undefined }) {
      const rows = opts.publicOnly ? await service.publicResponsibilities(orgId) : await service.list(orgId);
      const selected = opts.productId ? rows.filter((r) => r.products.length === 0 || r.products.some((p) => p.id === opts.productId)) : rows;
      if (format === 'csv') return { contentType: 'text/csv; charset=utf-8', body: Buffer.from(responsibilitiesCsv(selected)) };
      const org = (await repos.orgs.findOrg(orgId))!;
      return { contentType: 'application/pdf', body: Buffer.from(await responsibilitiesPdf(org.name, selected, deps.now?.() ?? new Date())) };
    },
  };
  return service;
}
export type ResponsibilitiesService = ReturnType<typeof createResponsibilitiesService>;
