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
