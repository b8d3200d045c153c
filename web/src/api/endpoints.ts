import { download, forgetCsrfToken, isApiError, request, type DownloadedFile } from './client.ts';
import type {
  ApiToken, AuditEvent, Certification, CertificationInput, CertificationStatus, CertificationWithHistory, FrameworkChoice, Product, ProductKind, CreatedToken, Invitation, InvitationAccepted, InvitationLookup, LedgerAudit, LedgerCheckpoint, LedgerEntry,
  LedgerStatus, LoginResult, Me, Member, Org, Outbox, Page, Role, SetupStatus, TokenScope, TotpConfirmation, TotpEnrolment,
} from './types.ts';

// Calls that replace the session cookie also replace its CSRF token: unless the answer carried the
// new one (request() keeps it), the cached token is dropped and fetched again on the next write.
async function changingSession<T>(call: Promise<T>): Promise<T> {
  const result = await call;
  const carriesToken = typeof result === 'object' && result !== null && 'csrfToken' in result;
  if (!carriesToken) forgetCsrfToken();
  return result;
}

const enc = encodeURIComponent;
const orgPath = (orgId: string) => `/orgs/${enc(orgId)}`;

export const setupApi = {
  status: () => request<SetupStatus>('GET', '/setup/status'),
  complete: (body: { token: string; orgName: string; name: string; email: string; password: string }) =>
    changingSession(request<unknown>('POST', '/setup', { body })),
};

export const authApi = {
  me: () => request<Me>('GET', '/auth/me'),
  login: (body: { email: string; password: string }) => changingSession(request<LoginResult>('POST', '/auth/login', { body })),
  loginTotp: (code: string) => changingSession(request<LoginResult>('POST', '/auth/login/totp', { body: { code } })),
  logout: () => changingSession(request<void>('POST', '/auth/logout')),
  enrolTotp: () => request<TotpEnrolment>('POST', '/auth/totp/enrol'),
  confirmTotp: (code: string) => changingSession(request<TotpConfirmation>('POST', '/auth/totp/confirm', { body: { code } })),
  disableTotp: (code: string) => request<void>('POST', '/auth/totp/disable', { body: { code } }),
};

export const invitationsApi = {
  lookup: (token: string) => request<InvitationLookup>('GET', `/invitations/${enc(token)}`),
  accept: (token: string, body: { name?: string; password?: string }) =>
    changingSession(request<InvitationAccepted>('POST', `/invitations/${enc(token)}/accept`, { body })),
  list: (orgId: string) => request<{ items: Invitation[] }>('GET', `${orgPath(orgId)}/invitations`),
  create: (orgId: string, body: { email: string; role: Role }) => request<Invitation>('POST', `${orgPath(orgId)}/invitations`, { body }),
  revoke: (orgId: string, id: string) => request<unknown>('DELETE', `${orgPath(orgId)}/invitations/${enc(id)}`),
};

export const orgsApi = {
  get: (orgId: string) => request<Org>('GET', orgPath(orgId)),
  update: (orgId: string, body: { name?: string; requireTwoFactor?: boolean }) => request<Org>('PATCH', orgPath(orgId), { body }),
};

export const membersApi = {
  list: (orgId: string, cursor?: string | null, limit = 100) =>
    request<Page<Member>>('GET', `${orgPath(orgId)}/members`, { query: { cursor, limit } }),
  changeRole: (orgId: string, userId: string, role: Role) =>
    request<unknown>('PATCH', `${orgPath(orgId)}/members/${enc(userId)}`, { body: { role } }),
  remove: (orgId: string, userId: string) => request<unknown>('DELETE', `${orgPath(orgId)}/members/${enc(userId)}`),
};

export const tokensApi = {
  list: (orgId: string) => request<{ items: ApiToken[] }>('GET', `${orgPath(orgId)}/tokens`),
  create: (orgId: string, body: { name: string; scope: TokenScope; expiresInDays: number }) =>
    request<CreatedToken>('POST', `${orgPath(orgId)}/tokens`, { body }),
  revoke: (orgId: string, id: string) => request<unknown>('DELETE', `${orgPath(orgId)}/tokens/${enc(id)}`),
};

export const auditLogApi = {
  list: (orgId: string, params: { cursor?: string | null; limit?: number; action?: string }) =>
    request<Page<AuditEvent>>('GET', `${orgPath(orgId)}/audit-log`, { query: { limit: 50, ...params } }),
};

export const outboxApi = {
  list: (orgId: string) => request<Outbox>('GET', `${orgPath(orgId)}/outbox`),
};

const ledgerPath = (orgId: string) => `${orgPath(orgId)}/ledger`;

export const ledgerApi = {
  status: (orgId: string) => request<LedgerStatus>('GET', ledgerPath(orgId)),
  checkpoints: (orgId: string, cursor?: string | null, limit = 200) =>
    request<Page<LedgerCheckpoint>>('GET', `${ledgerPath(orgId)}/checkpoints`, { query: { cursor, limit } }),
  signCheckpoint: (orgId: string) => request<LedgerCheckpoint>('POST', `${ledgerPath(orgId)}/checkpoints`),
  entry: (orgId: string, index: number) => request<LedgerEntry>('GET', `${ledgerPath(orgId)}/entries/${index}`),
  /** The most recent recorded audit, or null when the log was never audited. */
  latestAudit: async (orgId: string): Promise<LedgerAudit | null> => {
    try {
      return await request<LedgerAudit>('GET', `${ledgerPath(orgId)}/audits/latest`);
    } catch (error) {
      if (isApiError(error, 404)) return null;
      throw error;
    }
  },
  runAudit: (orgId: string) => request<LedgerAudit>('POST', `${ledgerPath(orgId)}/audits`),
  /** The offline-verifiable proof bundle of one entry (signs a checkpoint first if none covers it). */
  bundle: (orgId: string, index: number): Promise<DownloadedFile> =>
    download(`${ledgerPath(orgId)}/bundles/${index}`, `evidence-${index}.bundle.json`),
};

/** Public (no sign-in): the verifier keys auditors check bundles against; `attest verify --key` reads this JSON as is. */
export const publicLogKeysUrl = (orgSlug: string) => `/.well-known/attest/${enc(orgSlug)}/log-keys`;

export type ProductInput = { name: string; slug?: string; kind: ProductKind; description: string; public: boolean };

export const productsApi = {
  list: (orgId: string, includeArchived = false) =>
    request<{ items: Product[] }>('GET', `${orgPath(orgId)}/products`, { query: { includeArchived: includeArchived ? 'true' : undefined } }),
  create: (orgId: string, body: ProductInput) => request<Product>('POST', `${orgPath(orgId)}/products`, { body }),
  update: (orgId: string, id: string, body: Partial<ProductInput> & { archived?: boolean }) =>
    request<Product>('PATCH', `${orgPath(orgId)}/products/${enc(id)}`, { body }),
  /** Deletes it, or archives it when a certification scope still names it. */
  remove: (orgId: string, id: string) =>
    request<{ outcome: 'deleted' | 'archived'; product: Product | null }>('DELETE', `${orgPath(orgId)}/products/${enc(id)}`),
};

const certsPath = (orgId: string) => `${orgPath(orgId)}/certifications`;

export const certificationsApi = {
  list: (orgId: string) => request<{ items: Certification[] }>('GET', certsPath(orgId)),
  get: (orgId: string, id: string) => request<CertificationWithHistory>('GET', `${certsPath(orgId)}/${enc(id)}`),
  frameworks: (orgId: string) => request<{ items: FrameworkChoice[] }>('GET', `${certsPath(orgId)}/frameworks`),
  create: (orgId: string, body: CertificationInput & { status: CertificationStatus; reason?: string }) =>
    request<CertificationWithHistory>('POST', certsPath(orgId), { body }),
  update: (orgId: string, id: string, body: Partial<CertificationInput> & { version: number }) =>
    request<CertificationWithHistory>('PATCH', `${certsPath(orgId)}/${enc(id)}`, { body }),
  changeStatus: (orgId: string, id: string, body: { status: CertificationStatus; reason: string; version: number }) =>
    request<CertificationWithHistory>('POST', `${certsPath(orgId)}/${enc(id)}/status`, { body }),
};
