// Tries to break in: every org route with another org's ids, and every role against every route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { startTestApp, type TestApp } from '../support/app.ts';
import { newMember, newOrg, signIn, uniqueEmail } from '../support/factories.ts';
import { Agent } from '../support/agent.ts';
import { roles, hasRole, type Role } from '../../src/lib/roles.ts';
import { PDFDocument } from 'pdf-lib';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

type Fixture = { orgId: string; ids: Record<string, string>; params: Record<string, string> };
/**
 * `body` may use the fixture; `multipart` sends the body as multipart/form-data with a small file;
 * `raw` gives the whole request body and headers.
 */
type RouteCase = { minimum: Role; body?: (f: Fixture) => unknown; multipart?: true; query?: string; raw?: () => Promise<{ payload: Buffer; headers: Record<string, string> }> };

/** Every org-scoped route with the least role it needs. The test fails when a route is missing here. */
const routes: Record<string, RouteCase> = {
  'GET /api/v1/orgs/{orgId}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}': { minimum: 'admin', body: () => ({ name: 'Renamed' }) },
  'GET /api/v1/orgs/{orgId}/members': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/members/{userId}': { minimum: 'admin', body: () => ({ role: 'editor' }) },
  'DELETE /api/v1/orgs/{orgId}/members/{userId}': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/invitations': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/invitations': { minimum: 'admin', body: () => ({ email: uniqueEmail('invitee'), role: 'viewer' }) },
  'DELETE /api/v1/orgs/{orgId}/invitations/{id}': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/tokens': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/tokens': { minimum: 'viewer', body: () => ({ name: 'ci', scope: 'read', expiresInDays: 30 }) },
  'DELETE /api/v1/orgs/{orgId}/tokens/{id}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/audit-log': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/outbox': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/ledger': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/ledger/entries/{index}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/ledger/checkpoints/latest': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/ledger/checkpoints': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/ledger/checkpoints': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/ledger/proofs/inclusion': { minimum: 'viewer', query: '?index=0' },
  'GET /api/v1/orgs/{orgId}/ledger/proofs/consistency': { minimum: 'viewer', query: '?from=0&to=1' },
  'GET /api/v1/orgs/{orgId}/ledger/bundles/{index}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/ledger/keys': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/ledger/keys/rotate': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/ledger/audits': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/ledger/audits/latest': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/controls': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/controls': { minimum: 'editor', body: () => ({ code: `AZ-${crypto.randomUUID().slice(0, 8)}`, title: 'Fixture', frequency: 'daily', nature: 'preventive', automation: 'manual' }) },
  'GET /api/v1/orgs/{orgId}/controls/starter': { minimum: 'viewer', query: '?frameworks=soc2-2017' },
  'POST /api/v1/orgs/{orgId}/controls/starter/adopt': { minimum: 'admin', body: () => ({ frameworks: ['soc2-2017'] }) },
  'GET /api/v1/orgs/{orgId}/controls/frameworks': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/controls/requirement-options': { minimum: 'viewer', query: '?framework=soc2-2017&q=CC6' },
  'POST /api/v1/orgs/{orgId}/controls/import': { minimum: 'admin', body: () => ({ format: 'csv', content: `code,title,frequency,nature,automation\nIM-${crypto.randomUUID().slice(0, 8)},Imported,daily,preventive,manual\n` }) },
  'GET /api/v1/orgs/{orgId}/controls/export': { minimum: 'viewer', query: '?format=oscal' },
  'GET /api/v1/orgs/{orgId}/controls/{id}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/controls/{id}': { minimum: 'editor', body: () => ({ version: 1, title: 'Renamed' }) },
  'POST /api/v1/orgs/{orgId}/controls/{id}/retire': { minimum: 'editor', body: () => ({}) },
  'PUT /api/v1/orgs/{orgId}/controls/{id}/requirements': { minimum: 'editor', body: () => ({ version: 1, requirements: [{ framework: 'soc2-2017', id: 'CC6.1' }] }) },
  'GET /api/v1/orgs/{orgId}/controls/{id}/timeline': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/health': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/health/controls': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/coverage': { minimum: 'viewer', query: '?whatIf=true' },
  'GET /api/v1/orgs/{orgId}/coverage/{frameworkId}': { minimum: 'viewer', query: '?whatIf=true' },
  'GET /api/v1/orgs/{orgId}/coverage/{frameworkId}/requirements/{requirementId}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/frameworks': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/frameworks/{frameworkId}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/frameworks/{frameworkId}/requirements/{requirementId}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/frameworks/{frameworkId}/export': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/frameworks/import': { minimum: 'admin', body: () => tinyCatalog(), query: '?id=tiny&fileName=tiny.json' },
  'GET /api/v1/orgs/{orgId}/requirements': { minimum: 'viewer', query: '?q=access' },
  'GET /api/v1/orgs/{orgId}/scope': { minimum: 'viewer' },
  'PUT /api/v1/orgs/{orgId}/scope': { minimum: 'admin', body: () => ({ frameworkIds: ['soc2-2017'] }) },
  'GET /api/v1/orgs/{orgId}/mappings/export': { minimum: 'viewer', query: '?from=iso27001-2022' },
  'POST /api/v1/orgs/{orgId}/mappings/import': { minimum: 'admin', body: () => tinyMappings() },
  'GET /api/v1/orgs/{orgId}/evidence': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/evidence': { minimum: 'editor', body: (f) => ({ kind: 'link', url: 'https://ci.example.test/run/1', meta: { title: 'CI run', controlIds: [f.ids.controls!] } }) },
  'POST /api/v1/orgs/{orgId}/evidence/files': { minimum: 'editor', multipart: true, body: (f) => ({ title: 'Upload', controlIds: f.ids.controls! }) },
  'GET /api/v1/orgs/{orgId}/evidence/{id}': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/evidence/{id}/verification': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/evidence/{id}/file': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/evidence/{id}/review': { minimum: 'editor', body: () => ({ decision: 'accepted' }) },
  'PUT /api/v1/orgs/{orgId}/evidence/{id}/legal-hold': { minimum: 'admin', body: () => ({ hold: true, reason: 'Litigation' }) },
  'GET /api/v1/orgs/{orgId}/products': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/products': { minimum: 'admin', body: () => ({ name: `Product ${crypto.randomUUID()}` }) },
  'GET /api/v1/orgs/{orgId}/products/{id}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/products/{id}': { minimum: 'admin', body: () => ({ description: 'Changed' }) },
  'DELETE /api/v1/orgs/{orgId}/products/{id}': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/certifications': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/certifications': { minimum: 'admin', body: () => ({ frameworkId: 'soc2-2017', name: 'SOC 2 Type II', details: { kind: 'soc2-type2', periodStart: '2025-10-01', periodEnd: '2026-09-30' } }) },
  'GET /api/v1/orgs/{orgId}/certifications/frameworks': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/certifications/{id}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/certifications/{id}': { minimum: 'admin', body: () => ({ version: 1, scopeNotes: 'Changed' }) },
  'POST /api/v1/orgs/{orgId}/certifications/{id}/status': { minimum: 'admin', body: () => ({ status: 'in-process', reason: 'Fieldwork started' }) },
  'GET /api/v1/orgs/{orgId}/webhooks': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/webhooks': { minimum: 'admin', body: () => ({ url: 'https://hooks.example.test/attest', events: ['*'] }) },
  'GET /api/v1/orgs/{orgId}/webhooks/{id}': { minimum: 'admin' },
  'PATCH /api/v1/orgs/{orgId}/webhooks/{id}': { minimum: 'admin', body: () => ({ enabled: false }) },
  'DELETE /api/v1/orgs/{orgId}/webhooks/{id}': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/webhooks/{id}/rotate-secret': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/webhooks/{id}/test': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/webhooks/{id}/deliveries': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/webhooks/{id}/deliveries/{deliveryId}/redeliver': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/notification-rules': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/notification-rules': { minimum: 'admin', body: () => ({ name: 'Failing', events: ['control.failing'], toAdmins: true }) },
  'PATCH /api/v1/orgs/{orgId}/notification-rules/{id}': { minimum: 'admin', body: () => ({ enabled: false }) },
  'DELETE /api/v1/orgs/{orgId}/notification-rules/{id}': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/trust-docs/documents': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/trust-docs/documents': { minimum: 'admin', body: () => ({ title: 'SOC 3', kind: 'soc3-report' }) },
  'GET /api/v1/orgs/{orgId}/trust-docs/documents/{id}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/trust-docs/documents/{id}': { minimum: 'admin', body: () => ({ description: 'Changed' }) },
  'POST /api/v1/orgs/{orgId}/trust-docs/documents/{id}/versions': { minimum: 'admin', raw: () => pdfUpload() },
  'GET /api/v1/orgs/{orgId}/trust-docs/ndas': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/trust-docs/ndas': { minimum: 'admin', body: () => ({ label: 'v2', text: 'New terms.' }) },
  'GET /api/v1/orgs/{orgId}/trust-docs/grants': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/trust-docs/grants/{id}/approve': { minimum: 'admin', body: () => ({ days: 7 }) },
  'POST /api/v1/orgs/{orgId}/trust-docs/grants/{id}/reject': { minimum: 'admin', body: () => ({}) },
  'POST /api/v1/orgs/{orgId}/trust-docs/grants/{id}/revoke': { minimum: 'admin', body: () => ({}) },
  'POST /api/v1/orgs/{orgId}/trust-docs/grants/{id}/resend-link': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/trust-docs/rules': { minimum: 'admin' },
  'PUT /api/v1/orgs/{orgId}/trust-docs/rules': { minimum: 'admin', body: () => ({ allowedDomains: ['customer.example'], autoApprovePlans: ['pro'], grantDays: 30 }) },
  'GET /api/v1/orgs/{orgId}/trust-docs/customer-accounts': { minimum: 'admin' },
  'POST /api/v1/orgs/{orgId}/trust-docs/customer-accounts': { minimum: 'admin', body: () => ({ companyName: 'Customer AG', emailDomains: ['customer.example'], plan: 'pro' }) },
  'PATCH /api/v1/orgs/{orgId}/trust-docs/customer-accounts/{id}': { minimum: 'admin', body: () => ({ plan: 'enterprise' }) },
  'DELETE /api/v1/orgs/{orgId}/trust-docs/customer-accounts/{id}': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/trust-docs/downloads': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/trust-hub/settings': { minimum: 'viewer' },
  'PUT /api/v1/orgs/{orgId}/trust-hub/settings': { minimum: 'admin', body: () => ({ version: 0, published: false, displayName: 'Fixture hub', accentColor: '#123456' }) },
  'GET /api/v1/orgs/{orgId}/trust-hub/commitments': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/trust-hub/commitments': { minimum: 'admin', body: () => ({ statement: 'Backups are tested monthly.', category: 'security' }) },
  'PATCH /api/v1/orgs/{orgId}/trust-hub/commitments/{id}': { minimum: 'admin', body: () => ({ published: true }) },
  'DELETE /api/v1/orgs/{orgId}/trust-hub/commitments/{id}': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/trust-hub/preview': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/checks': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/checks': { minimum: 'editor', body: () => ({ name: 'Probe', type: 'http', config: { url: `${t.baseUrl}/healthz` } }) },
  'GET /api/v1/orgs/{orgId}/checks/types': { minimum: 'viewer' },
  'GET /api/v1/orgs/{orgId}/checks/{id}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/checks/{id}': { minimum: 'editor', body: () => ({ version: 1, name: 'Renamed probe' }) },
  'DELETE /api/v1/orgs/{orgId}/checks/{id}': { minimum: 'editor' },
  'POST /api/v1/orgs/{orgId}/checks/{id}/run': { minimum: 'editor' },
  'GET /api/v1/orgs/{orgId}/checks/{id}/runs': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/checks/{id}/results': { minimum: 'editor', body: () => ({ status: 'pass', summary: 'ok', assertions: [], output: '', observedAt: new Date().toISOString(), durationMs: 1 }) },
  'GET /api/v1/orgs/{orgId}/vendors': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/vendors': { minimum: 'admin', body: () => ({ name: `Vendor ${crypto.randomUUID()}`, purpose: 'Hosting', countries: ['DE'], subprocessor: true }) },
  'GET /api/v1/orgs/{orgId}/vendors/{id}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/vendors/{id}': { minimum: 'admin', body: () => ({ countries: ['DE', 'FR'] }) },
  'DELETE /api/v1/orgs/{orgId}/vendors/{id}': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/subprocessor-changes': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/subprocessor-changes/{id}/announce': { minimum: 'admin', body: () => ({ effectiveAt: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) }) },
  'POST /api/v1/orgs/{orgId}/subprocessor-changes/{id}/withdraw': { minimum: 'admin', body: () => ({}) },
  'GET /api/v1/orgs/{orgId}/subprocessor-subscribers': { minimum: 'admin' },
  'GET /api/v1/orgs/{orgId}/responsibilities': { minimum: 'viewer' },
  'POST /api/v1/orgs/{orgId}/responsibilities': { minimum: 'admin', body: () => ({ statement: 'Review who can sign in', criteria: [{ framework: 'soc2-2017', id: 'CC6.2' }] }) },
  'GET /api/v1/orgs/{orgId}/responsibilities/export': { minimum: 'viewer', query: '?format=pdf' },
  'GET /api/v1/orgs/{orgId}/responsibilities/{id}': { minimum: 'viewer' },
  'PATCH /api/v1/orgs/{orgId}/responsibilities/{id}': { minimum: 'admin', body: () => ({ version: 1, published: true }) },
  'DELETE /api/v1/orgs/{orgId}/responsibilities/{id}': { minimum: 'admin' },
};

async function pdfUpload() {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]);
  const boundary = `----fixture${crypto.randomUUID()}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\nv1\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    Buffer.from(await doc.save()), Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const OSCAL_TIME = '2026-01-01T00:00:00Z';
function tinyCatalog() {
  return { catalog: { uuid: crypto.randomUUID(), metadata: { title: 'Tiny', version: '1', 'oscal-version': '1.2.1', 'last-modified': OSCAL_TIME }, controls: [{ id: 'c-1', title: 'One' }] } };
}
function tinyMappings() {
  const ref = (id: string) => ({ type: 'catalog', href: `urn:attest:framework:${id}` });
  return {
    'mapping-collection': {
      uuid: crypto.randomUUID(), metadata: { title: 'Tiny mappings', version: '1', 'oscal-version': '1.2.1', 'last-modified': OSCAL_TIME },
      provenance: { method: 'human', 'matching-rationale': 'semantic', status: 'draft', 'mapping-description': 'fixture' },
      mappings: [{ uuid: crypto.randomUUID(), 'source-resource': ref('soc2-2017'), 'target-resource': ref('iso27001-2022'),
        maps: [{ uuid: crypto.randomUUID(), relationship: 'intersects-with', sources: [{ type: 'control', 'id-ref': 'CC6.1' }], targets: [{ type: 'control', 'id-ref': 'A.5.15' }] }] }],
    },
  };
}

function orgRoutesInOpenApi(): string[] {
  const doc = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).filter(([p]) => p.includes('{orgId}'))
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
}

/**
 * Fresh objects to act on, so one call never depends on what another did. Only what the route's
 * path names is made (fixtures are most of this file's run time); `route` undefined makes all.
 */
async function fixture(orgId: string, tokenOwnerId: string, route?: string): Promise<Fixture> {
  const s = t.app.services;
  const needs = (...parts: string[]) => !route || parts.some((p) => route.includes(p));
  const inviter = { userId: tokenOwnerId, email: 'fixture@example.test', ip: null, role: 'owner' as const };
  const victim = await newMember(t, orgId, 'viewer');
  const f: Fixture = { orgId, ids: {}, params: { orgId, userId: victim.id, frameworkId: 'soc2-2017', requirementId: 'CC6.1' } };
  if (needs('/invitations')) f.ids.invitations = (await s.invitations.create(orgId, { email: uniqueEmail('fixture'), role: 'viewer' }, inviter)).id;
  if (needs('/tokens')) f.ids.tokens = (await s.tokens.create(orgId, { name: 'fixture', scope: 'read', expiresInDays: 1 }, inviter)).token.id;
  if (needs('/ledger')) {
    f.params.index = String((await s.ledger.append(orgId, { kind: 'fixture.created', record: { n: 1 } })).index);
    await s.ledger.checkpoint(orgId);
    await s.ledger.runAudit(orgId, 'manual');
  }
  // Coverage reads the built-in catalogs: a real framework in scope and a real requirement, nothing to create.
  if (needs('/coverage')) await s.catalog.setScope(orgId, ['soc2-2017'], inviter);
  if (needs('/controls', '/evidence', '/checks')) {
    f.ids.controls = (await s.controls.create(orgId, { code: `FX-${crypto.randomUUID().slice(0, 8)}`, title: 'Fixture control', description: '', ownerUserId: null, frequency: 'monthly', nature: 'detective', automation: 'manual', lifecycle: 'draft', scope: [], requirements: [] }, inviter)).id;
  }
  if (needs('/evidence')) {
    // Submitted by someone else, so every role may review it (review is four-eyes).
    f.ids.evidence = (await s.evidence.addFile(orgId, {
      source: Readable.from([Buffer.from(`fixture ${crypto.randomUUID()}`)]), fileName: 'fixture.txt', maxBytes: 1024,
      meta: { title: 'Fixture evidence', description: '', controlIds: [f.ids.controls!], retentionDays: 30 },
    }, { kind: 'user', userId: victim.id, label: 'fixture' })).evidence.id;
  }
  if (needs('/products')) f.ids.products = (await s.products.create(orgId, { name: `Fixture ${crypto.randomUUID()}`, kind: 'service', description: '', public: false })).id;
  if (needs('/certifications')) {
    f.ids.certifications = (await s.certifications.create(orgId, {
      frameworkId: 'iso27001-2022', name: 'ISO 27001', status: 'planned', details: { kind: 'certificate' },
      rolesCovered: [], inScope: [], outOfScope: [], scopeNotes: '', locations: [], public: false,
    }, inviter)).id;
  }
  if (needs('/webhooks')) {
    const { endpoint } = await s.webhooks.create(orgId, { url: 'https://hooks.example.test/attest', description: '', events: ['*'], enabled: true }, inviter);
    f.ids.webhooks = endpoint.id;
    // A failed delivery written directly (no job), so redelivering it is allowed.
    const [delivery] = await s.repos.notifications.insertDeliveries([{ orgId, endpointId: endpoint.id, eventId: crypto.randomUUID(), eventType: 'control.failing', payload: {}, status: 'failed' }]);
    f.params.deliveryId = delivery!.id;
  }
  if (needs('/notification-rules')) {
    f.ids['notification-rules'] = (await s.notifications.createRule(orgId, { name: 'fixture', events: ['*'], toAdmins: true, toOwners: false, addresses: [], enabled: true }, inviter)).id;
  }
  if (needs('/checks')) {
    f.ids.checks = (await s.checks.create(orgId, { name: 'Fixture probe', type: 'http', config: { url: `${t.baseUrl}/healthz` }, intervalMinutes: 60, enabled: true, controlIds: [f.ids.controls!] }, inviter)).id;
  }
  if (needs('/trust-docs')) {
    f.ids.documents = (await s.trustDocs.createDocument(orgId, { title: 'Fixture report', kind: 'soc2-type2-report', description: '' })).id;
    const nda = (await s.trustDocs.currentNda(orgId)) ?? await s.trustDocs.publishNda(orgId, { label: 'v1', text: 'Fixture NDA.' }, inviter);
    // A pending request (approve/reject need one); resend-link needs an approved one, so call() approves it for that route.
    const hubOrg = { id: orgId, slug: (await s.repos.orgs.findOrg(orgId))!.slug, name: 'Fixture' };
    f.ids.grants = (await s.trustDocs.requestAccess(hubOrg, { name: 'Fixture', email: uniqueEmail('visitor'), company: 'Fixture Co', reason: 'Fixture access request.', acceptNda: true, ndaSha256: nda.sha256 }, {})).id;
    f.ids['customer-accounts'] = (await s.trustDocs.createAccount(orgId, { companyName: 'Fixture Co', emailDomains: ['fixture.example'], plan: 'free' })).id;
  }
  if (needs('/trust-hub')) {
    // The hub settings start unsaved (version 0) for every call, so each save has the version it expects.
    await s.database.pool.query('DELETE FROM trust_hub_settings WHERE org_id = $1', [orgId]);
    f.ids.commitments = (await s.trustHub.createCommitment(orgId, { statement: 'Fixture commitment', category: 'privacy', controlId: null, published: false, position: 0 }, inviter)).id;
  }
  if (needs('/vendors', '/subprocessor-changes', '/responsibilities')) {
    const product = await s.products.create(orgId, { name: `Served ${crypto.randomUUID()}`, kind: 'service', description: '', public: false });
    const saved = await s.vendors.create(orgId, { name: `Fixture vendor ${crypto.randomUUID()}`, services: '', purpose: 'Hosting', countries: ['DE'], dataCategories: [], subprocessor: true, dpaDate: null, website: null, productIds: [product.id] });
    f.ids.vendors = saved.vendor.id;
    f.ids['subprocessor-changes'] = saved.changes[0]!.id;
    f.ids.responsibilities = (await s.responsibilities.create(orgId, { statement: 'Fixture statement', criteria: [{ framework: 'soc2-2017', id: 'CC6.1' }], productIds: [product.id], published: false })).id;
  }
  return f;
}

/** `{id}` stands for the fixture object of the collection it follows (`/controls/{id}` → a control); other params by name. */
function url(route: string, f: Fixture) {
  const [, path] = route.split(' ');
  const filled = path!.replace(/\/([a-z-]+)\/\{id\}/g, (_m, collection: string) => {
    const id = f.ids[collection];
    if (!id) throw new Error(`the fixture has no object for /${collection}/{id}`);
    return `/${collection}/${id}`;
  }).replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = f.params[name];
    if (value === undefined) throw new Error(`the fixture has no value for {${name}}`);
    return value;
  });
  return filled + (routes[route]!.query ?? '');
}

async function call(agent: Agent, route: string, f: Fixture) {
  const rule = routes[route]!;
  const method = route.split(' ')[0]!;
  if (route.endsWith('/resend-link')) await t.app.services.trustDocs.approve(f.orgId, f.ids.grants!, 1, { userId: null, email: 'fixture' }).catch(() => undefined);
  if (rule.raw) {
    const { payload, headers } = await rule.raw();
    return agent.request(method, url(route, f), payload, headers);
  }
  const body = rule.body?.(f);
  if (!rule.multipart) return agent.request(method, url(route, f), body);
  const boundary = `----attest${crypto.randomUUID()}`;
  const fields = Object.entries(body as Record<string, string>).map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('');
  const payload = `${fields}--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="note.txt"\r\ncontent-type: text/plain\r\n\r\n${crypto.randomUUID()}\r\n--${boundary}--\r\n`;
  return agent.request(method, url(route, f), payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
}

test('the route table covers every org-scoped route of the API', () => {
  assert.deepEqual(orgRoutesInOpenApi(), Object.keys(routes).sort());
});

test('every org route answers 404 to a member of another org, for sessions and tokens alike', { timeout: 900_000 }, async () => {
  const a = await newOrg(t, 'Alpha');
  const b = await newOrg(t, 'Beta');
  const agent = await signIn(t, a.owner.email);
  const tokenA = (await t.app.services.tokens.create(a.org.id, { name: 'a', scope: 'write', expiresInDays: 1 }, { userId: a.owner.id, email: a.owner.email, ip: null, role: 'owner' })).secret;
  const bearer = Agent.withToken(t.server, tokenA);
  for (const route of Object.keys(routes)) {
    for (const [who, client] of [['session', agent], ['token', bearer]] as const) {
      const res = await call(client, route, await fixture(b.org.id, b.owner.id, route));
      assert.equal(res.statusCode, 404, `${who}: ${route} with another org's ids answered ${res.statusCode}: ${res.body}`);
      assert.equal(res.json().code, 'not_found');
    }
  }
  // Ids of org B's objects under org A's path are not found either.
  const mixed = await fixture(b.org.id, b.owner.id);
  for (const route of Object.keys(routes).filter((r) => r.includes('{userId}') || r.includes('{id}') || r.includes('{deliveryId}'))) {
    const res = await call(agent, route, { ...mixed, orgId: a.org.id, params: { ...mixed.params, orgId: a.org.id } });
    assert.equal(res.statusCode, 404, `${route} with org B's object under org A answered ${res.statusCode}`);
  }
});

// A fresh fixture per route and role: with every domain's routes this outgrows the default per-test limit.
test('every role against every org route: below the minimum 403, at or above it allowed', { timeout: 900_000 }, async () => {
  const { org, owner } = await newOrg(t, 'Roles');
  const agents = new Map<Role, { agent: Agent; userId: string }>();
  for (const role of roles) {
    const user = role === 'owner' ? owner : await newMember(t, org.id, role);
    agents.set(role, { agent: await signIn(t, user.email), userId: user.id });
  }
  for (const [route, rule] of Object.entries(routes)) {
    for (const role of roles) {
      const { agent, userId } = agents.get(role)!;
      // Token revocation acts on the caller's own token; everything else on fresh objects.
      const f = await fixture(org.id, route.startsWith('DELETE') && route.includes('/tokens/') ? userId : owner.id, route);
      const res = await call(agent, route, f);
      if (hasRole(role, rule.minimum)) {
        assert.ok(res.statusCode < 400, `${role}: ${route} should be allowed, got ${res.statusCode}: ${res.body}`);
      } else {
        assert.equal(res.statusCode, 403, `${role}: ${route} should be forbidden, got ${res.statusCode}`);
        assert.equal(res.json().code, 'forbidden');
      }
    }
  }
});

test('read-only tokens cannot write; expired and revoked tokens are refused', async () => {
  const { org, owner } = await newOrg(t);
  const actor = { userId: owner.id, email: owner.email, ip: null, role: 'owner' as const };
  const read = await t.app.services.tokens.create(org.id, { name: 'r', scope: 'read', expiresInDays: 1 }, actor);
  const reader = Agent.withToken(t.server, read.secret);
  assert.equal((await reader.get(`/api/v1/orgs/${org.id}/members`)).statusCode, 200);
  const write = await reader.patch(`/api/v1/orgs/${org.id}`, { name: 'Nope' });
  assert.equal(write.statusCode, 403);

  const expiring = await t.app.services.tokens.create(org.id, { name: 'e', scope: 'write', expiresInDays: 1 }, actor);
  await t.app.services.database.pool.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.token.id]);
  const expired = await Agent.withToken(t.server, expiring.secret).get(`/api/v1/orgs/${org.id}`);
  assert.equal(expired.statusCode, 401);
  assert.equal(expired.json().code, 'invalid_token');

  await t.app.services.tokens.revoke(org.id, read.token.id, actor);
  assert.equal((await reader.get(`/api/v1/orgs/${org.id}`)).statusCode, 401);
  assert.equal((await Agent.withToken(t.server, 'attest_AAAAAAAA_' + 'x'.repeat(43)).get(`/api/v1/orgs/${org.id}`)).statusCode, 401);
});

test('a viewer cannot mint a write token, and nobody can invite above their own role', async () => {
  const { org } = await newOrg(t);
  const viewer = await signIn(t, (await newMember(t, org.id, 'viewer')).email);
  assert.equal((await viewer.post(`/api/v1/orgs/${org.id}/tokens`, { name: 'w', scope: 'write', expiresInDays: 5 })).statusCode, 403);
  const admin = await signIn(t, (await newMember(t, org.id, 'admin')).email);
  assert.equal((await admin.post(`/api/v1/orgs/${org.id}/invitations`, { email: uniqueEmail(), role: 'owner' })).statusCode, 403);
});

test('admins cannot touch owners, and the last owner stays', async () => {
  const { org, owner } = await newOrg(t);
  const admin = await signIn(t, (await newMember(t, org.id, 'admin')).email);
  assert.equal((await admin.patch(`/api/v1/orgs/${org.id}/members/${owner.id}`, { role: 'viewer' })).statusCode, 403);
  assert.equal((await admin.delete(`/api/v1/orgs/${org.id}/members/${owner.id}`)).statusCode, 403);
  const self = await signIn(t, owner.email);
  const demote = await self.patch(`/api/v1/orgs/${org.id}/members/${owner.id}`, { role: 'admin' });
  assert.equal(demote.statusCode, 409);
  assert.equal(demote.json().code, 'conflict');
});

test('a token acts with the current role of its holder, and dies with the membership or the account; use is logged hourly', async () => {
  const { org } = await newOrg(t);
  const member = await newMember(t, org.id, 'editor');
  const actor = { userId: member.id, email: member.email, ip: null, role: 'editor' as const };
  const token = await t.app.services.tokens.create(org.id, { name: 'ci', scope: 'write', expiresInDays: 1 }, actor);
  const ci = Agent.withToken(t.server, token.secret);
  const addLink = () => ci.post(`/api/v1/orgs/${org.id}/evidence`, { kind: 'link', url: 'https://example.com/x', meta: { title: 'x', controlIds: [crypto.randomUUID()] } });
  assert.equal((await addLink()).statusCode, 400, 'an editor may write (the control does not exist)');
  assert.equal((await ci.get(`/api/v1/orgs/${org.id}`)).statusCode, 200);
  const used = await t.app.services.repos.securityLog.list(org.id, { action: 'token.used', limit: 200 });
  assert.equal(used.length, 1, 'two requests within the hour: one use recorded');

  await t.app.services.repos.orgs.setRole(org.id, member.id, 'viewer');
  assert.equal((await addLink()).statusCode, 403, 'demoted to viewer: the same token can no longer write');
  await t.app.services.repos.orgs.removeMember(org.id, member.id);
  assert.equal((await ci.get(`/api/v1/orgs/${org.id}`)).statusCode, 401, 'no longer a member');
  await t.app.services.repos.orgs.addMember(org.id, member.id, 'editor');
  assert.equal((await ci.get(`/api/v1/orgs/${org.id}`)).statusCode, 200);
  await t.app.services.accounts.disableUser(member.email);
  assert.equal((await ci.get(`/api/v1/orgs/${org.id}`)).statusCode, 401, 'a disabled account');
});

test('role changes and token use land in the security log', async () => {
  const { org, owner } = await newOrg(t);
  const agent = await signIn(t, owner.email);
  const member = await newMember(t, org.id, 'viewer');
  await agent.patch(`/api/v1/orgs/${org.id}/members/${member.id}`, { role: 'editor' });
  const created = await agent.post(`/api/v1/orgs/${org.id}/tokens`, { name: 'ci', scope: 'read', expiresInDays: 7 });
  await Agent.withToken(t.server, created.json().secret).get(`/api/v1/orgs/${org.id}`);
  const actions = (await agent.get(`/api/v1/orgs/${org.id}/audit-log?limit=200`)).json().items.map((e: { action: string }) => e.action);
  for (const a of ['member.role_changed', 'token.created', 'token.used', 'login.success', 'org.created']) assert.ok(actions.includes(a), `missing ${a} in ${actions}`);
});
