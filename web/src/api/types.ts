/** Shapes of /api/v1 responses as the SPA uses them. Timestamps are ISO 8601 strings. */

export const ROLES = ['owner', 'admin', 'editor', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type Page<T> = { items: T[]; nextCursor: string | null };

export type User = { id: string; email: string; name: string; totpEnabled: boolean };
export type Membership = { orgId: string; orgName: string; orgSlug: string; role: Role; requireTwoFactor?: boolean };
/** `stage` is how far sign-in got: 'totp' awaits a code, 'enrol' must set up 2FA first; only 'full' has memberships. */
export type SessionStage = 'full' | 'totp' | 'enrol';
export type Me = { user: User; stage?: SessionStage; memberships: Membership[]; csrfToken: string };

export type LoginStatus = 'ok' | 'totp_required' | 'totp_enrolment_required';
export type LoginResult = { status: LoginStatus };

export type SetupStatus = { needsSetup: boolean };

export type TotpEnrolment = { secret: string; otpauthUrl: string; qrDataUrl: string };
export type TotpConfirmation = { recoveryCodes: string[] };

export type InvitationLookup = { orgName: string; email: string; role: Role; userExists: boolean };
export type InvitationAccepted = { orgId: string; status: LoginStatus };

export type Org = { id: string; name: string; slug?: string; requireTwoFactor: boolean; createdAt?: string };

export type Member = {
  userId: string; email: string; name: string; role: Role; disabled: boolean; totpEnabled: boolean; joinedAt: string;
};

export type Invitation = {
  id: string; email: string; role: Role; createdAt: string; expiresAt: string; acceptedAt: string | null; revokedAt: string | null;
};

export type TokenScope = 'read' | 'write';
export type ApiToken = {
  id: string; name: string; scope: TokenScope; prefix: string; userId?: string; createdAt: string;
  expiresAt: string | null; lastUsedAt: string | null; revokedAt: string | null;
};
export type CreatedToken = { token: ApiToken; secret: string };

export type AuditEvent = {
  id: number | string; at: string; action: string; actorEmail: string | null; ip: string | null;
  targetType: string | null; targetId: string | null; detail: Record<string, unknown> | null;
};

export type OutboxMessage = { id: string; to: string; subject: string; text: string; createdAt: string; sentAt?: string | null };
export type Outbox = { smtpConfigured?: boolean; items: OutboxMessage[] };

// The evidence log (tamper-evident Merkle tree with signed checkpoints). Hashes are base64.
export type LedgerCheckpoint = { treeSize: number; rootHash: string; note: string; keyId: string; createdAt: string };
export type LedgerStatus = { origin: string; slug: string; treeSize: number; latestCheckpoint: LedgerCheckpoint | null; activeKeyId: string | null };
export type LedgerEntry = {
  index: number; kind: string; entry: string; leafHash: string; createdAt: string;
  parsed: { kind: string; time: string; record: Record<string, unknown> } | null;
};
export type LedgerAuditTrigger = 'schedule' | 'manual' | 'cli';
export type LedgerAuditProblem = { code: string; message: string; index?: number; level?: number; treeSize?: number };
export type LedgerAudit = {
  id: string; orgId: string; trigger: LedgerAuditTrigger; startedAt: string; finishedAt: string; treeSize: number; rootHash: string;
  checkpoints: number; ok: boolean; problemCount: number; problems: LedgerAuditProblem[];
};

export const CONTROL_FREQUENCIES = ['continuous', 'daily', 'weekly', 'monthly', 'quarterly', 'semi-annual', 'annual', 'event-driven'] as const;
export const CONTROL_NATURES = ['preventive', 'detective', 'corrective'] as const;
export const CONTROL_AUTOMATION = ['manual', 'automated'] as const;
export const CONTROL_LIFECYCLES = ['draft', 'designed', 'implemented', 'operating', 'retired'] as const;
export type ControlFrequency = (typeof CONTROL_FREQUENCIES)[number];
export type ControlNature = (typeof CONTROL_NATURES)[number];
export type ControlAutomation = (typeof CONTROL_AUTOMATION)[number];
export type ControlLifecycle = (typeof CONTROL_LIFECYCLES)[number];
export type RequirementRef = { framework: string; id: string };
export type Control = {
  id: string; code: string; title: string; description: string; ownerUserId: string | null; ownerEmail: string | null;
  frequency: ControlFrequency; nature: ControlNature; automation: ControlAutomation; lifecycle: ControlLifecycle; scope: string[];
  starterCode: string | null; starterVersion: number | null; version: number; createdAt: string; updatedAt: string;
  frameworks: string[]; requirementCount: number;
};
export type ControlDetail = Control & { requirements: RequirementRef[] };
export type ControlInput = {
  code: string; title: string; description: string; ownerUserId: string | null; frequency: ControlFrequency; nature: ControlNature;
  automation: ControlAutomation; lifecycle: Exclude<ControlLifecycle, 'retired'>; scope: string[];
};
export type StarterControl = {
  code: string; title: string; description: string; domain: string; frequency: ControlFrequency; nature: ControlNature;
  automation: ControlAutomation; requirements: RequirementRef[]; adopted: boolean;
};
export type RequirementOption = RequirementRef & { title: string };
export type ControlImportResult = { created: number; updated: number; unmapped: RequirementRef[] };
export type FrameworkOrigin = 'builtin' | 'oscal-catalog' | 'oscal-profile';
export type Framework = {
  id: string; name: string; version: number; frameworkVersion: string; publisher: string; origin: FrameworkOrigin;
  requirementCount: number; sourceNote: string; owner: 'builtin' | 'org'; createdAt: string; inScope: boolean;
};
export type RequirementNode = { id: string; kind: 'group' | 'requirement'; title: string; summary: string; attrs: Record<string, unknown>; children: RequirementNode[] };
export type FrameworkDetail = Framework & { requirements: RequirementNode[] };
export type RequirementHit = { frameworkId: string; frameworkName: string; requirementId: string; parentId: string | null; kind: 'group' | 'requirement'; title: string; summary: string };
export type RelatedRequirement = { framework: string; id: string; title: string | null; relationship: string; rationale: string; source: string; builtin: boolean };
export type RequirementDetail = {
  framework: string; frameworkVersion: number; id: string; parentId: string | null; kind: 'group' | 'requirement'; title: string; summary: string;
  statement: string | null; tags: string[]; attrs: Record<string, unknown>;
  mappings: { outgoing: RelatedRequirement[]; incoming: RelatedRequirement[] };
  controls: { id: string; title: string }[];
};
export type FrameworkImportResult = { id: string; version: number; name: string; origin: FrameworkOrigin; requirementCount: number; groupCount: number };
// Products and services of the org (certification scopes and, later, the Trust Hub's product matrix).
export type ProductKind = 'product' | 'service' | 'system';
export type Product = {
  id: string; name: string; slug: string; kind: ProductKind; description: string; public: boolean; archivedAt: string | null; createdAt: string; updatedAt: string;
};

// The certifications register: certificates, attestation reports and authorizations.
export const CERTIFICATION_KINDS = ['certificate', 'soc2-type1', 'soc2-type2', 'soc3', 'attestation-of-compliance', 'code-of-conduct', 'government-authorization', 'other'] as const;
export type CertificationKind = (typeof CERTIFICATION_KINDS)[number];
export const CERTIFICATION_STATUSES = ['planned', 'in-process', 'audit-complete', 'certified', 'attested', 'expired', 'withdrawn'] as const;
export type CertificationStatus = (typeof CERTIFICATION_STATUSES)[number];
export const ISSUER_ROLES = ['auditor', 'assessor', 'certification-body', 'monitoring-body', 'government'] as const;
export type IssuerRole = (typeof ISSUER_ROLES)[number];
export const COVERED_ROLES = ['controller', 'processor', 'merchant', 'service-provider'] as const;
export type CoveredRole = (typeof COVERED_ROLES)[number];
export type CertificationDetails = {
  kind: CertificationKind; asOf?: string; periodStart?: string; periodEnd?: string; issuedOn?: string | null; expiresOn?: string | null;
  certificateNumber?: string | null; verificationId?: string | null; program?: string; level?: string;
};
export type ScopedProduct = { id: string; name: string; slug: string; archived: boolean };
export type Certification = {
  id: string; frameworkId: string; name: string; kind: CertificationKind; status: CertificationStatus; details: CertificationDetails;
  issuer: { name: string; role: IssuerRole } | null; rolesCovered: CoveredRole[]; inScope: ScopedProduct[]; outOfScope: ScopedProduct[];
  scopeNotes: string; locations: string[]; public: boolean; validUntil: string | null; nextStatuses: CertificationStatus[];
  version: number; createdAt: string; updatedAt: string;
};
export type CertificationHistoryEntry = {
  id: string; from: CertificationStatus | null; to: CertificationStatus; reason: string; actor: string; actorUserId: string | null; ledgerIndex: number | null; at: string;
};
export type CertificationWithHistory = Certification & { history: CertificationHistoryEntry[] };
export type CertificationInput = {
  frameworkId: string; name: string; details: CertificationDetails; issuer: { name: string; role: IssuerRole } | null;
  rolesCovered: CoveredRole[]; inScope: string[]; outOfScope: string[]; scopeNotes: string; locations: string[]; public: boolean;
};
export type FrameworkChoice = { id: string; name: string };
// Notifications: signed webhooks (Standard Webhooks) and email rules.
export type EventTypeInfo = { type: string; description: string };
export type WebhookEndpoint = {
  id: string; url: string; description: string; events: string[]; enabled: boolean; createdBy: string | null; createdAt: string; updatedAt: string;
  secretRotatedAt: string | null; deletedAt: string | null; lastDeliveryStatus: 'delivered' | 'failed' | null; lastDeliveryAt: string | null;
};
export type WebhookList = { items: WebhookEndpoint[]; eventTypes: EventTypeInfo[] };
export type WebhookWithSecret = { endpoint: WebhookEndpoint; secret: string };
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';
export type WebhookDelivery = {
  id: string; endpointId: string; eventId: string; eventType: string; payload: Record<string, unknown>; attempts: number; status: DeliveryStatus;
  responseStatus: number | null; responseBody: string | null; error: string | null; durationMs: number | null; nextAttemptAt: string | null;
  createdAt: string; lastAttemptAt: string | null; deliveredAt: string | null;
};
export type NotificationRule = {
  id: string; name: string; events: string[]; toAdmins: boolean; toOwners: boolean; addresses: string[]; enabled: boolean; createdAt: string; updatedAt: string;
};
export type NotificationRuleInput = Pick<NotificationRule, 'name' | 'events' | 'toAdmins' | 'toOwners' | 'addresses' | 'enabled'>;

export type HubSettings = {
  published: boolean; displayName: string; accentColor: string; intro: string; hosts: string[]; securityContacts: string[];
  securityTxt: { expires: string | null; encryption: string | null; acknowledgments: string | null; policy: string | null; hiring: string | null; preferredLanguages: string[] };
  publishedAt: string | null; version: number; publicPath: string;
};
export type HubSettingsInput = Omit<HubSettings, 'publishedAt' | 'publicPath'>;
export type HubCommitment = {
  id: string; statement: string; category: 'security' | 'privacy'; controlId: string | null; published: boolean; publishedAt: string | null; position: number; createdAt: string; updatedAt: string;
};
export type HubCommitmentInput = { statement: string; category: 'security' | 'privacy'; controlId: string | null; published: boolean; position?: number };
export type CheckStatus = 'pass' | 'fail' | 'error';
export type CheckAssertion = { name: string; expected: string; actual: string; passed: boolean };
export type Check = {
  id: string; name: string; type: string; config: Record<string, unknown>; secretsStored: string[]; intervalMinutes: number; timeoutSeconds: number;
  enabled: boolean; controlIds: string[]; createdBy: string | null; createdAt: string; updatedAt: string; version: number; nextRunAt: string;
  lastStatus: CheckStatus | null; lastRunAt: string | null;
};
export type CheckInput = { name: string; type: string; config: Record<string, unknown>; intervalMinutes: number; controlIds: string[]; enabled?: boolean };
export type CheckRun = {
  id: string; checkId: string; trigger: 'schedule' | 'manual' | 'push' | 'cli'; startedAt: string; finishedAt: string; status: CheckStatus;
  summary: string; assertions: CheckAssertion[]; output: string; evidenceId: string | null;
};
export type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; enum?: unknown[]; default?: unknown; description?: string; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; minimum?: number; maximum?: number };
export type CheckTypeInfo = { type: string; title: string; description: string; secretFields: string[]; configSchema: JsonSchema };
export const EVIDENCE_KINDS = ['file', 'link', 'text', 'check'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export const EVIDENCE_STATUSES = ['submitted', 'accepted', 'rejected'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];
export type Evidence = {
  id: string; seriesId: string; version: number; kind: EvidenceKind; title: string; description: string;
  sha256: string | null; size: number | null; mediaType: string | null; fileName: string | null;
  url: string | null; body: string | null; checkId: string | null; checkStatus: 'pass' | 'fail' | 'error' | null;
  controlIds: string[]; periodStart: string | null; periodEnd: string | null; collectedAt: string;
  collector: { kind: string; userId: string | null; label: string };
  status: EvidenceStatus; reviewReason: string | null; reviewedBy: string | null; reviewedAt: string | null;
  retentionUntil: string; legalHold: boolean; legalHoldReason: string | null; purgedAt: string | null;
  ledgerIndex: number | null; createdAt: string;
};
export type CreatedEvidence = { evidence: Evidence; duplicate: boolean };
export type EvidenceVerification = {
  ledgerIndex: number | null; recordMatches: boolean; checkpointTreeSize: number | null; fileIntact: boolean | null;
  state: 'verified' | 'pending-checkpoint' | 'mismatch' | 'not-logged'; detail: string;
};
export type EvidenceMetaInput = { title: string; description?: string; controlIds: string[]; periodStart?: string; periodEnd?: string; seriesId?: string };
// Monitoring: control health, its roll-up per framework, and a control's timeline.
export type HealthState = 'passing' | 'failing' | 'stale' | 'no-evidence';
export type HealthCounts = { passing: number; failing: number; stale: number; noEvidence: number; total: number };
export type FrameworkHealth = {
  framework: { id: string; name: string }; requirements: number; passing: number; failing: number; stale: number; noEvidence: number;
  gaps: number; satisfiedAndPassing: number; fullyCoveredPercent: number | null;
};
export type HealthSummary = { counts: HealthCounts; frameworks: FrameworkHealth[]; computedAt: string };
export type ControlHealthItem = {
  control: { id: string; code: string; title: string; frequency: string; lifecycle: string; ownerUserId: string | null; ownerEmail: string | null };
  health: HealthState; reason: string; lastEvidenceAt: string | null; staleSince: string | null; since: string | null;
};
export type TimelineItem = {
  at: string; type: 'evidence.added' | 'evidence.reviewed' | 'check.result' | 'control.changed' | 'health.changed';
  summary: string; actor: string | null; evidenceId: string | null; ledgerIndex: number | null; state: string | null; detail: Record<string, unknown>;
};
export type ControlTimeline = { control: { id: string; code: string; title: string }; items: TimelineItem[] };
// Coverage of frameworks by controls, through expert mappings.
export type CoverageStatus = 'satisfied' | 'partial' | 'gap';
export type CoverageCounts = { requirements: number; satisfied: number; partial: number; gaps: number; fullyCoveredPercent: number | null; atLeastPartlyPercent: number | null };
export type CoverageSummaryItem = CoverageCounts & { framework: { id: string; name: string }; whatIf: boolean };
export type CoverageRequirementRef = { framework: string; id: string; title: string };
export type CoveragePath = {
  carries: 'full' | 'partial';
  control: { id: string; code: string; title: string; health?: string; status?: string };
  requirement: CoverageRequirementRef;
  hops: { relationship: string; direction: 'as-mapped' | 'inverse'; carries: 'full' | 'partial'; rationale: string; source: string; to: CoverageRequirementRef }[];
};
export type CoverageRequirementItem = { id: string; parentId: string | null; title: string; status: CoverageStatus; reason?: string; best: CoveragePath | null; pathCount: number };
export type FrameworkCoverage = {
  framework: { id: string; name: string }; whatIf: boolean; summary: CoverageCounts;
  satisfied: CoverageRequirementItem[]; partial: CoverageRequirementItem[]; gaps: CoverageRequirementItem[];
  groups: (CoverageCounts & { id: string; parentId: string | null; title: string })[];
};
export type CoverageExplanation = {
  framework: { id: string; name: string }; whatIf: boolean; requirement: { id: string; parentId: string | null; title: string };
  status: CoverageStatus; reason?: string; paths: CoveragePath[];
};
export const CHANGE_KINDS = ['added', 'removed', 'country-added', 'purpose-changed'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
export type ChangeStatus = 'draft' | 'announced' | 'withdrawn';
export type Vendor = {
  id: string; name: string; services: string; purpose: string; countries: string[]; dataCategories: string[]; subprocessor: boolean;
  dpaDate: string | null; website: string | null; productIds: string[]; removedAt: string | null; createdAt: string; updatedAt: string;
};
export type VendorInput = Omit<Vendor, 'id' | 'removedAt' | 'createdAt' | 'updatedAt'>;
export type SubprocessorChange = {
  id: string; vendorId: string; vendorName: string; kind: ChangeKind; summary: string; status: ChangeStatus; announcedAt: string | null;
  effectiveAt: string | null; objectionsOpen: boolean; ledgerIndex: number | null; createdAt: string;
};
export type Objection = { id: string; changeId: string; name: string; email: string; company: string; reason: string; createdAt: string };
export type VendorSaved = { vendor: Vendor; changes: SubprocessorChange[] };
export type Responsibility = {
  id: string; statement: string; criteria: RequirementRef[]; products: { id: string; name: string; slug: string }[]; published: boolean; version: number; createdAt: string; updatedAt: string;
};
export type ResponsibilityInput = { statement: string; criteria: RequirementRef[]; productIds: string[]; published: boolean };
