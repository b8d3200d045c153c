import type { Db, DbOrTx } from './database.ts';
import { createAccountsRepo } from '../accounts/accounts.repo.ts';
import { createOrgsRepo } from '../orgs/orgs.repo.ts';
import { createInvitationsRepo } from '../invitations/invitations.repo.ts';
import { createTokensRepo } from '../tokens/tokens.repo.ts';
import { createSecurityLogRepo } from '../security-log/security-log.repo.ts';
import { createMailRepo } from '../mail/mail.repo.ts';
import { createLedgerRepo } from '../ledger/ledger.repo.ts';
import { createEvidenceRepo } from '../evidence/evidence.repo.ts';
import { createControlsRepo } from '../controls/controls.repo.ts';
import { createCatalogRepo } from '../catalog/catalog.repo.ts';
import { createProductsRepo } from '../products/products.repo.ts';
import { createCertificationsRepo } from '../certifications/certifications.repo.ts';
import { createNotificationsRepo } from '../notifications/notifications.repo.ts';
import { createTrustDocsRepo } from '../trust-docs/trust-docs.repo.ts';
import { createTrustHubRepo } from '../trust-hub/trust-hub.repo.ts';
import { createChecksRepo } from '../checks/checks.repo.ts';
import { createHealthRepo } from '../health/health.repo.ts';
import { createVendorsRepo } from '../vendors/vendors.repo.ts';
import { createResponsibilitiesRepo } from '../responsibilities/responsibilities.repo.ts';

/** Every repository bound to one connection or transaction. */
export function createRepos(db: DbOrTx) {
  return {
    accounts: createAccountsRepo(db),
    orgs: createOrgsRepo(db),
    invitations: createInvitationsRepo(db),
    tokens: createTokensRepo(db),
    securityLog: createSecurityLogRepo(db),
    mail: createMailRepo(db),
    ledger: createLedgerRepo(db),
    evidence: createEvidenceRepo(db),
    controls: createControlsRepo(db),
    catalog: createCatalogRepo(db),
    products: createProductsRepo(db),
    certifications: createCertificationsRepo(db),
    notifications: createNotificationsRepo(db),
    trustDocs: createTrustDocsRepo(db),
    trustHub: createTrustHubRepo(db),
    checks: createChecksRepo(db),
    health: createHealthRepo(db),
    vendors: createVendorsRepo(db),
    responsibilities: createResponsibilitiesRepo(db),
  };
}
export type Repos = ReturnType<typeof createRepos>;

/** Runs fn with repositories bound to one transaction: all of its writes land, or none. */
export type Transact = <T>(fn: (repos: Repos) => Promise<T>) => Promise<T>;

export function createTransact(db: Db): Transact {
  return (fn) => db.transaction((tx) => fn(createRepos(tx)));
}
