// The full Drizzle schema, assembled from each domain's tables (drizzle-kit reads this file).
export * from '../orgs/orgs.tables.ts';
export * from '../accounts/accounts.tables.ts';
export * from '../invitations/invitations.tables.ts';
export * from '../tokens/tokens.tables.ts';
export * from '../security-log/security-log.tables.ts';
export * from '../mail/mail.tables.ts';
export * from '../ledger/ledger.tables.ts';
export * from '../controls/controls.tables.ts';
export * from '../catalog/catalog.tables.ts';
export * from '../products/products.tables.ts';
export * from '../certifications/certifications.tables.ts';
export * from '../notifications/notifications.tables.ts';
export * from '../vendors/vendors.tables.ts';
export * from '../responsibilities/responsibilities.tables.ts';
