import type { Repos, Transact } from '../db/repos.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../lib/errors.ts';
import type { ProductRow } from './products.repo.ts';
import type { CreateProductInput, UpdateProductInput } from './products.schema.ts';

/** Answers whether something (a certification scope, later the Trust Hub) still points at a product. */
export type ProductReference = (tx: Repos, orgId: string, productId: string) => Promise<boolean>;

export function slugify(name: string): string {
  const s = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80).replace(/-+$/, '');
  return s || 'product';
}

export function createProductsService(deps: { repos: Repos; transact: Transact; referencedBy: ProductReference[] }) {
  const { repos, transact } = deps;

  async function checkUnique(tx: Repos, orgId: string, name: string | undefined, slug: string | undefined, self?: string) {
    if (name !== undefined) {
      const other = await tx.products.findByName(orgId, name);
      if (other && other.id !== self) throw new ConflictError(`A product or service named "${name}" already exists.`);
    }
    if (slug !== undefined) {
      const other = await tx.products.findBySlug(orgId, slug);
      if (other && other.id !== self) throw new ConflictError(`The slug "${slug}" is already used by "${other.name}".`);
    }
  }

  async function mustFind(r: Repos, orgId: string, id: string): Promise<ProductRow> {
    const row = await r.products.find(orgId, id);
    if (!row) throw new NotFoundError('Product');
    return row;
  }

  return {
    list: (orgId: string, opts: { includeArchived?: boolean } = {}) => repos.products.list(orgId, opts.includeArchived ?? false),
    get: (orgId: string, id: string) => mustFind(repos, orgId, id),

    async create(orgId: string, input: CreateProductInput): Promise<ProductRow> {
      const slug = input.slug ?? slugify(input.name);
      return transact(async (tx) => {
        await checkUnique(tx, orgId, input.name, slug);
        return tx.products.insert({ orgId, name: input.name, slug, kind: input.kind, description: input.description, public: input.public });
      });
    },

    async update(orgId: string, id: string, input: UpdateProductInput): Promise<ProductRow> {
      return transact(async (tx) => {
        const current = await mustFind(tx, orgId, id);
        await checkUnique(tx, orgId, input.name, input.slug, id);
        const { archived, ...rest } = input;
        const archivedAt = archived === undefined ? undefined : archived ? (current.archivedAt ?? new Date()) : null;
        const values = Object.fromEntries(Object.entries({ ...rest, archivedAt }).filter(([, v]) => v !== undefined));
        return (await tx.products.update(orgId, id, values))!;
      });
    },

    /** Deletes an unreferenced product; one that a scope still names is archived instead. */
    async remove(orgId: string, id: string): Promise<{ outcome: 'deleted' | 'archived'; product: ProductRow | null }> {
      return transact(async (tx) => {
        const current = await mustFind(tx, orgId, id);
        for (const isReferenced of deps.referencedBy) {
          if (await isReferenced(tx, orgId, id)) {
            const product = current.archivedAt ? current : (await tx.products.update(orgId, id, { archivedAt: new Date() }))!;
            return { outcome: 'archived' as const, product };
          }
        }
        await tx.products.delete(orgId, id);
        return { outcome: 'deleted' as const, product: null };
      });
    },

    /** Checks that every id names a product of this org; the error names the offending list entries. */
    async requireAll(r: Repos, orgId: string, ids: string[], field: string): Promise<ProductRow[]> {
      const found = await r.products.findMany(orgId, ids);
      const known = new Set(found.map((p) => p.id));
      const missing = ids.map((pid, i) => ({ pid, i })).filter(({ pid }) => !known.has(pid));
      if (missing.length) {
        throw new InvalidInputError(`Unknown product or service: ${missing.map((m) => m.pid).join(', ')}.`,
          missing.map((m) => ({ path: `${field}.${m.i}`, message: 'No such product or service in this organization' })));
      }
      return found;
    },
  };
}
export type ProductsService = ReturnType<typeof createProductsService>;
