import type { CatalogService } from '../catalog/catalog.service.ts';
import type { FrameworkDirectory } from './certifications.service.ts';

/** Certifications name frameworks the org sees: built-in ones and its own OSCAL imports (e.g. FedRAMP, IRAP/ISM). */
export function catalogFrameworks(catalog: Pick<CatalogService, 'frameworkExists' | 'list'>): FrameworkDirectory {
  return {
    exists: (orgId, frameworkId) => catalog.frameworkExists(orgId, frameworkId),
    list: async (orgId) => (await catalog.list(orgId)).map((f) => ({ id: f.id, name: f.name })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}
