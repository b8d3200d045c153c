import { API_BASE, download, forgetCsrfToken, isApiError, request, upload, uploadForm, type DownloadedFile } from './client.ts';
import type {
  ApiToken, AuditEvent, Control, ControlDetail, ControlImportResult, ControlInput, ControlLifecycle, RequirementOption, RequirementRef, StarterControl, CreatedToken, Invitation, InvitationAccepted, InvitationLookup, LedgerAudit, LedgerCheckpoint, LedgerEntry, Framework, FrameworkDetail, FrameworkImportResult, RequirementDetail, RequirementHit, Certification, CertificationInput, CertificationStatus, CertificationWithHistory, FrameworkChoice, Product, ProductKind, LedgerStatus, LoginResult, Me, Member, Org, Outbox, Page, Role, SetupStatus, TokenScope, TotpConfirmation, TotpEnrolment, NotificationRule, NotificationRuleInput, HubSettings, HubSettingsInput, HubCommitment, HubCommitmentInput, WebhookDelivery, WebhookEndpoint, WebhookList, WebhookWithSecret, Check, CheckInput, CheckRun, CheckTypeInfo, CreatedEvidence, Evidence, EvidenceKind, EvidenceMetaInput, EvidenceStatus, EvidenceVerification, HealthSummary, ControlHealthItem, ControlTimeline, CoverageSummaryItem, FrameworkCoverage, CoverageExplanation, Vendor, VendorInput, VendorSaved, SubprocessorChange, Objection, ChangeStatus, Responsibility, ResponsibilityInput,
} from './types.ts';
import type { AccessRules, CustomerAccount, CustomerPlan, DocumentKind, DocumentVisibility, Grant, Nda, TrustDocument, TrustDownload } from './trust-docs.types.ts';

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

const controlsPath = (orgId: string) => `${orgPath(orgId)}/controls`;
export type ControlFilters = { lifecycle?: ControlLifecycle | null; owner?: string | null; frequency?: string | null; framework?: string | null };

export const controlsApi = {
  list: (orgId: string, filters: ControlFilters = {}) =>
    request<{ items: Control[] }>('GET', controlsPath(orgId), { query: { ...filters, includeRetired: filters.lifecycle ? undefined : 'true' } }),
  get: (orgId: string, id: string) => request<ControlDetail>('GET', `${controlsPath(orgId)}/${enc(id)}`),
  create: (orgId: string, body: ControlInput & { requirements: RequirementRef[] }) => request<ControlDetail>('POST', controlsPath(orgId), { body }),
  update: (orgId: string, id: string, body: Partial<ControlInput> & { version: number }) =>
    request<ControlDetail>('PATCH', `${controlsPath(orgId)}/${enc(id)}`, { body }),
  retire: (orgId: string, id: string, version: number) => request<ControlDetail>('POST', `${controlsPath(orgId)}/${enc(id)}/retire`, { body: { version } }),
  setRequirements: (orgId: string, id: string, version: number, requirements: RequirementRef[]) =>
    request<ControlDetail>('PUT', `${controlsPath(orgId)}/${enc(id)}/requirements`, { body: { version, requirements } }),
  frameworks: (orgId: string) => request<{ items: { id: string; name: string }[] }>('GET', `${controlsPath(orgId)}/frameworks`),
  requirementOptions: (orgId: string, framework: string, q: string) =>
    request<{ items: RequirementOption[] }>('GET', `${controlsPath(orgId)}/requirement-options`, { query: { framework, q } }),
  starter: (orgId: string, frameworks: string[]) =>
    request<{ version: number; items: StarterControl[] }>('GET', `${controlsPath(orgId)}/starter`, { query: { frameworks: frameworks.join(',') } }),
  adopt: (orgId: string, frameworks: string[], codes?: string[]) =>
    request<{ adopted: string[]; alreadyAdopted: string[] }>('POST', `${controlsPath(orgId)}/starter/adopt`, { body: { frameworks, ...(codes ? { codes } : {}) } }),
  import: (orgId: string, body: { format: 'csv' | 'oscal'; content: string; allowUnknown?: boolean }) =>
    request<ControlImportResult>('POST', `${controlsPath(orgId)}/import`, { body }),
  export: (orgId: string, format: 'csv' | 'oscal'): Promise<DownloadedFile> =>
    download(`${controlsPath(orgId)}/export?format=${format}`, format === 'csv' ? 'controls.csv' : 'controls.oscal.json'),
};

/** Content type of an OSCAL file by its name; the server reads JSON, YAML and XML. */
function oscalContentType(name: string): string {
  if (/\.xml$/i.test(name)) return 'application/xml';
  if (/\.ya?ml$/i.test(name)) return 'application/yaml';
  return 'application/json';
}

export const frameworksApi = {
  list: (orgId: string) => request<Framework[]>('GET', `${orgPath(orgId)}/frameworks`),
  show: (orgId: string, frameworkId: string) => request<FrameworkDetail>('GET', `${orgPath(orgId)}/frameworks/${enc(frameworkId)}`),
  search: (orgId: string, q: string, framework?: string) =>
    request<RequirementHit[]>('GET', `${orgPath(orgId)}/requirements`, { query: { q, framework, limit: 100 } }),
  requirement: (orgId: string, frameworkId: string, requirementId: string) =>
    request<RequirementDetail>('GET', `${orgPath(orgId)}/frameworks/${enc(frameworkId)}/requirements/${enc(requirementId)}`),
  setScope: (orgId: string, frameworkIds: string[]) => request<{ frameworkIds: string[] }>('PUT', `${orgPath(orgId)}/scope`, { body: { frameworkIds } }),
  importOscal: (orgId: string, file: File, id: string | undefined, onProgress: (fraction: number) => void) =>
    upload<FrameworkImportResult>(`${orgPath(orgId)}/frameworks/import`, file, { query: { id, fileName: file.name }, contentType: oscalContentType(file.name), onProgress }),
  exportOscal: (orgId: string, frameworkId: string): Promise<DownloadedFile> =>
    download(`${orgPath(orgId)}/frameworks/${enc(frameworkId)}/export`, `${frameworkId}.oscal-catalog.json`),
};

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

const webhooksPath = (orgId: string) => `${orgPath(orgId)}/webhooks`;

export const webhooksApi = {
  list: (orgId: string) => request<WebhookList>('GET', webhooksPath(orgId)),
  create: (orgId: string, body: { url: string; description?: string; events: string[] }) => request<WebhookWithSecret>('POST', webhooksPath(orgId), { body }),
  update: (orgId: string, id: string, body: { url?: string; description?: string; events?: string[]; enabled?: boolean }) =>
    request<WebhookEndpoint>('PATCH', `${webhooksPath(orgId)}/${enc(id)}`, { body }),
  remove: (orgId: string, id: string) => request<WebhookEndpoint>('DELETE', `${webhooksPath(orgId)}/${enc(id)}`),
  rotateSecret: (orgId: string, id: string) => request<WebhookWithSecret>('POST', `${webhooksPath(orgId)}/${enc(id)}/rotate-secret`),
  sendTest: (orgId: string, id: string) => request<WebhookDelivery>('POST', `${webhooksPath(orgId)}/${enc(id)}/test`),
  deliveries: (orgId: string, id: string) => request<{ items: WebhookDelivery[] }>('GET', `${webhooksPath(orgId)}/${enc(id)}/deliveries`, { query: { limit: 100 } }),
  redeliver: (orgId: string, id: string, deliveryId: string) =>
    request<WebhookDelivery>('POST', `${webhooksPath(orgId)}/${enc(id)}/deliveries/${enc(deliveryId)}/redeliver`),
};

const rulesPath = (orgId: string) => `${orgPath(orgId)}/notification-rules`;

export const notificationRulesApi = {
  list: (orgId: string) => request<{ items: NotificationRule[] }>('GET', rulesPath(orgId)),
  create: (orgId: string, body: NotificationRuleInput) => request<NotificationRule>('POST', rulesPath(orgId), { body }),
  update: (orgId: string, id: string, body: Partial<NotificationRuleInput>) => request<NotificationRule>('PATCH', `${rulesPath(orgId)}/${enc(id)}`, { body }),
  remove: (orgId: string, id: string) => request<void>('DELETE', `${rulesPath(orgId)}/${enc(id)}`),
};

const trustDocsPath = (orgId: string) => `${orgPath(orgId)}/trust-docs`;
export const trustDocsApi = {
  documents: (orgId: string) => request<{ items: TrustDocument[] }>('GET', `${trustDocsPath(orgId)}/documents`),
  createDocument: (orgId: string, body: { title: string; kind: DocumentKind; visibility?: DocumentVisibility; description?: string }) =>
    request<TrustDocument>('POST', `${trustDocsPath(orgId)}/documents`, { body }),
  updateDocument: (orgId: string, id: string, body: { title?: string; visibility?: DocumentVisibility; description?: string }) =>
    request<TrustDocument>('PATCH', `${trustDocsPath(orgId)}/documents/${enc(id)}`, { body }),
  /** Multipart: the label field first, then the PDF. */
  uploadVersion: (orgId: string, id: string, label: string, file: File, onProgress?: (fraction: number) => void) => {
    const form = new FormData();
    form.append('label', label);
    form.append('file', file, file.name);
    return upload<TrustDocument>(`${trustDocsPath(orgId)}/documents/${enc(id)}/versions`, form, { onProgress });
  },
  ndas: (orgId: string) => request<{ items: Nda[] }>('GET', `${trustDocsPath(orgId)}/ndas`),
  publishNda: (orgId: string, body: { label: string; text: string }) => request<Nda>('POST', `${trustDocsPath(orgId)}/ndas`, { body }),
  grants: (orgId: string) => request<{ items: Grant[] }>('GET', `${trustDocsPath(orgId)}/grants`),
  approve: (orgId: string, id: string, days?: number) => request<Grant>('POST', `${trustDocsPath(orgId)}/grants/${enc(id)}/approve`, { body: days ? { days } : {} }),
  reject: (orgId: string, id: string, note?: string) => request<Grant>('POST', `${trustDocsPath(orgId)}/grants/${enc(id)}/reject`, { body: note ? { note } : {} }),
  revoke: (orgId: string, id: string, note?: string) => request<Grant>('POST', `${trustDocsPath(orgId)}/grants/${enc(id)}/revoke`, { body: note ? { note } : {} }),
  resendLink: (orgId: string, id: string) => request<Grant>('POST', `${trustDocsPath(orgId)}/grants/${enc(id)}/resend-link`),
  rules: (orgId: string) => request<AccessRules>('GET', `${trustDocsPath(orgId)}/rules`),
  setRules: (orgId: string, body: AccessRules) => request<AccessRules>('PUT', `${trustDocsPath(orgId)}/rules`, { body }),
  accounts: (orgId: string) => request<{ items: CustomerAccount[] }>('GET', `${trustDocsPath(orgId)}/customer-accounts`),
  createAccount: (orgId: string, body: { companyName: string; emailDomains: string[]; plan: CustomerPlan }) =>
    request<CustomerAccount>('POST', `${trustDocsPath(orgId)}/customer-accounts`, { body }),
  deleteAccount: (orgId: string, id: string) => request<void>('DELETE', `${trustDocsPath(orgId)}/customer-accounts/${enc(id)}`),
  downloads: (orgId: string) => request<{ items: TrustDownload[] }>('GET', `${trustDocsPath(orgId)}/downloads`),
};

export const trustHubApi = {
  settings: (orgId: string) => request<HubSettings>('GET', `${orgPath(orgId)}/trust-hub/settings`),
  saveSettings: (orgId: string, body: HubSettingsInput) => request<HubSettings>('PUT', `${orgPath(orgId)}/trust-hub/settings`, { body }),
  commitments: (orgId: string) => request<{ items: HubCommitment[] }>('GET', `${orgPath(orgId)}/trust-hub/commitments`),
  createCommitment: (orgId: string, body: HubCommitmentInput) => request<HubCommitment>('POST', `${orgPath(orgId)}/trust-hub/commitments`, { body }),
  updateCommitment: (orgId: string, id: string, body: Partial<HubCommitmentInput>) => request<HubCommitment>('PATCH', `${orgPath(orgId)}/trust-hub/commitments/${enc(id)}`, { body }),
  deleteCommitment: (orgId: string, id: string) => request<void>('DELETE', `${orgPath(orgId)}/trust-hub/commitments/${enc(id)}`),
  /** The live preview's address (an iframe): the saved hub with unsaved name, colour and intro on top. */
  previewUrl: (orgId: string, draft: { displayName: string; accentColor: string; intro: string }) =>
    `${API_BASE}${orgPath(orgId)}/trust-hub/preview?${new URLSearchParams(draft).toString()}`,
};

const checksPath = (orgId: string) => `${orgPath(orgId)}/checks`;

export const checksApi = {
  list: (orgId: string) => request<{ items: Check[] }>('GET', checksPath(orgId)),
  types: (orgId: string) => request<{ items: CheckTypeInfo[] }>('GET', `${checksPath(orgId)}/types`),
  get: (orgId: string, id: string) => request<Check>('GET', `${checksPath(orgId)}/${enc(id)}`),
  create: (orgId: string, body: CheckInput) => request<Check>('POST', checksPath(orgId), { body }),
  update: (orgId: string, id: string, body: Partial<Omit<CheckInput, 'type'>> & { version: number }) => request<Check>('PATCH', `${checksPath(orgId)}/${enc(id)}`, { body }),
  disable: (orgId: string, id: string) => request<void>('DELETE', `${checksPath(orgId)}/${enc(id)}`),
  run: (orgId: string, id: string) => request<CheckRun>('POST', `${checksPath(orgId)}/${enc(id)}/run`),
  runs: (orgId: string, id: string, cursor?: string) => request<Page<CheckRun>>('GET', `${checksPath(orgId)}/${enc(id)}/runs`, { query: { cursor } }),
};

const evidencePath = (orgId: string) => `${orgPath(orgId)}/evidence`;
export type EvidenceFilters = { controlId?: string | null; status?: EvidenceStatus | null; kind?: EvidenceKind | null; q?: string | null; seriesId?: string | null };

export const evidenceApi = {
  list: (orgId: string, filters: EvidenceFilters = {}, cursor: string | null = null, limit = 50) =>
    request<Page<Evidence>>('GET', evidencePath(orgId), { query: { ...filters, cursor, limit } }),
  get: (orgId: string, id: string) => request<Evidence>('GET', `${evidencePath(orgId)}/${enc(id)}`),
  verification: (orgId: string, id: string) => request<EvidenceVerification>('GET', `${evidencePath(orgId)}/${enc(id)}/verification`),
  addLink: (orgId: string, url: string, meta: EvidenceMetaInput) => request<CreatedEvidence>('POST', evidencePath(orgId), { body: { kind: 'link', url, meta } }),
  addText: (orgId: string, body: string, meta: EvidenceMetaInput) => request<CreatedEvidence>('POST', evidencePath(orgId), { body: { kind: 'text', body, meta } }),
  /** Multipart with the fields before the file; `onProgress` gets the fraction of the body sent. */
  uploadFile: (orgId: string, file: File, meta: EvidenceMetaInput, onProgress?: (fraction: number) => void, signal?: AbortSignal) =>
    uploadForm<CreatedEvidence>(`${evidencePath(orgId)}/files`, {
      title: meta.title, description: meta.description, controlIds: meta.controlIds.join(','),
      periodStart: meta.periodStart, periodEnd: meta.periodEnd, seriesId: meta.seriesId,
    }, file, { ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) }),
  download: (orgId: string, e: Evidence): Promise<DownloadedFile> => download(`${evidencePath(orgId)}/${enc(e.id)}/file`, e.fileName ?? 'evidence'),
  review: (orgId: string, id: string, decision: 'accepted' | 'rejected', reason?: string) =>
    request<Evidence>('POST', `${evidencePath(orgId)}/${enc(id)}/review`, { body: { decision, ...(reason ? { reason } : {}) } }),
  setLegalHold: (orgId: string, id: string, hold: boolean, reason?: string) =>
    request<Evidence>('PUT', `${evidencePath(orgId)}/${enc(id)}/legal-hold`, { body: { hold, ...(reason ? { reason } : {}) } }),
};

export const healthApi = {
  summary: (orgId: string) => request<HealthSummary>('GET', `${orgPath(orgId)}/health`),
  controls: (orgId: string) => request<{ items: ControlHealthItem[] }>('GET', `${orgPath(orgId)}/health/controls`),
  timeline: (orgId: string, controlId: string) => request<ControlTimeline>('GET', `${orgPath(orgId)}/controls/${enc(controlId)}/timeline`),
};

export const coverageApi = {
  summary: (orgId: string, whatIf = false) => request<{ frameworks: CoverageSummaryItem[] }>('GET', `${orgPath(orgId)}/coverage`, { query: { whatIf: String(whatIf) } }),
  framework: (orgId: string, frameworkId: string, whatIf = false) =>
    request<FrameworkCoverage>('GET', `${orgPath(orgId)}/coverage/${enc(frameworkId)}`, { query: { whatIf: String(whatIf) } }),
  explain: (orgId: string, frameworkId: string, requirementId: string) =>
    request<CoverageExplanation>('GET', `${orgPath(orgId)}/coverage/${enc(frameworkId)}/requirements/${enc(requirementId)}`),
};

export const vendorsApi = {
  list: (orgId: string, includeRemoved = false) =>
    request<{ items: Vendor[] }>('GET', `${orgPath(orgId)}/vendors`, { query: { includeRemoved: includeRemoved ? 'true' : undefined } }),
  /** Saving answers with the sub-processor changes the save implies (drafts until announced). */
  create: (orgId: string, body: VendorInput) => request<VendorSaved>('POST', `${orgPath(orgId)}/vendors`, { body }),
  update: (orgId: string, id: string, body: Partial<VendorInput>) => request<VendorSaved>('PATCH', `${orgPath(orgId)}/vendors/${enc(id)}`, { body }),
  remove: (orgId: string, id: string) => request<VendorSaved>('DELETE', `${orgPath(orgId)}/vendors/${enc(id)}`),
  changes: (orgId: string, status?: ChangeStatus) =>
    request<{ items: (SubprocessorChange & { objections: Objection[] })[] }>('GET', `${orgPath(orgId)}/subprocessor-changes`, { query: { status } }),
  announce: (orgId: string, id: string, effectiveAt: string) =>
    request<SubprocessorChange>('POST', `${orgPath(orgId)}/subprocessor-changes/${enc(id)}/announce`, { body: { effectiveAt } }),
  withdraw: (orgId: string, id: string) => request<SubprocessorChange>('POST', `${orgPath(orgId)}/subprocessor-changes/${enc(id)}/withdraw`, { body: {} }),
};

export const responsibilitiesApi = {
  list: (orgId: string) => request<{ items: Responsibility[] }>('GET', `${orgPath(orgId)}/responsibilities`),
  create: (orgId: string, body: ResponsibilityInput) => request<Responsibility>('POST', `${orgPath(orgId)}/responsibilities`, { body }),
  update: (orgId: string, id: string, body: Partial<ResponsibilityInput> & { version: number }) =>
    request<Responsibility>('PATCH', `${orgPath(orgId)}/responsibilities/${enc(id)}`, { body }),
  remove: (orgId: string, id: string) => request<void>('DELETE', `${orgPath(orgId)}/responsibilities/${enc(id)}`),
  export: (orgId: string, format: 'csv' | 'pdf') => download(`${orgPath(orgId)}/responsibilities/export?format=${format}`, `customer-responsibilities.${format}`),
};
