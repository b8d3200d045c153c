import { cliActor } from '../../src/lib/actor.ts';
import type { TestApp } from './app.ts';

/** A tiny OSCAL catalog: FedRAMP is not built in, so an org imports it under this id. */
export const FEDRAMP_ID = 'fedramp-rev5-high';
const fedrampCatalog = JSON.stringify({
  catalog: {
    uuid: '2d5b1c0e-9b1a-4f0e-8a51-6f1f8d2a7c11',
    metadata: { title: 'FedRAMP Rev 5 High baseline (test excerpt)', 'last-modified': '2026-01-01T00:00:00Z', version: '5.0', 'oscal-version': '1.1.2' },
    groups: [{ id: 'ac', title: 'Access Control', controls: [{ id: 'ac-2', title: 'Account Management' }] }],
  },
});

type Services = TestApp['app']['services'];
const actor = { ...cliActor, userId: null };

/**
 * A realistic hub: SOC 2 Type II attested for 2025-10-01..2026-09-30 with Workers and Stream out
 * of scope, FedRAMP High in process, ISO 27001 certified, one planned, one expired.
 */
export async function seedTrustHub(s: Services, orgId: string, o: { hostile?: boolean; hosts?: string[] } = {}) {
  const product = (name: string, isPublic = true) => s.products.create(orgId, { name, kind: 'product', description: '', public: isPublic });
  const platform = await product('Platform');
  const workers = await product('Workers');
  const stream = await product('Stream');
  const evil = o.hostile ? await product('<script>alert("p")</script>Console') : null;
  const internal = await product('Internal tools', false);
  await s.catalog.importOscal(orgId, { text: fedrampCatalog, fileName: 'fedramp-high.json', id: FEDRAMP_ID }, cliActor);

  const common = { rolesCovered: [] as ('processor' | 'controller')[], inScope: [] as string[], outOfScope: [] as string[], scopeNotes: '', locations: [] as string[], public: true };
  const soc2 = await s.certifications.create(orgId, {
    ...common, frameworkId: 'soc2-2017', name: 'SOC 2 Type II', status: 'attested', reason: 'Report received.',
    details: { kind: 'soc2-type2', periodStart: '2025-10-01', periodEnd: '2026-09-30' }, issuer: { name: 'Example Audit LLP', role: 'auditor' },
    rolesCovered: ['processor'], inScope: [platform.id, ...(evil ? [evil.id] : []), internal.id], outOfScope: [workers.id, stream.id], locations: ['Frankfurt, DE', 'Virginia, US'],
  }, actor);
  const fedramp = await s.certifications.create(orgId, {
    ...common, frameworkId: FEDRAMP_ID, name: 'FedRAMP High', status: 'in-process', details: { kind: 'government-authorization', program: 'FedRAMP', level: 'High' },
    issuer: { name: 'FedRAMP PMO', role: 'government' }, inScope: [platform.id], locations: ['Virginia, US'],
  }, actor);
  const iso = await s.certifications.create(orgId, {
    ...common, frameworkId: 'iso27001-2022', name: o.hostile ? 'ISO 27001 <img src=x onerror=alert(1)>' : 'ISO/IEC 27001:2022', status: 'certified',
    details: { kind: 'certificate', certificateNumber: 'IS 123456', issuedOn: '2025-03-01', expiresOn: '2028-02-28' },
    issuer: { name: 'Example Certification Ltd', role: 'certification-body' }, rolesCovered: ['controller', 'processor'], inScope: [platform.id, workers.id, stream.id], locations: ['Frankfurt, DE'],
  }, actor);
  const planned = await s.certifications.create(orgId, {
    ...common, frameworkId: 'iso27701-2019', name: 'ISO/IEC 27701', status: 'planned', details: { kind: 'certificate', issuedOn: null, expiresOn: null }, inScope: [platform.id],
  }, actor);
  const expired = await s.certifications.create(orgId, {
    ...common, frameworkId: 'pci-dss-4.0.1', name: 'PCI DSS attestation of compliance', status: 'expired', details: { kind: 'attestation-of-compliance', issuedOn: '2024-06-01', expiresOn: null },
    issuer: { name: 'Example QSA', role: 'assessor' }, rolesCovered: ['service-provider' as 'processor'], inScope: [stream.id],
  }, actor);
  const hidden = await s.certifications.create(orgId, {
    ...common, frameworkId: 'gdpr', name: 'Secret internal assessment', status: 'planned', details: { kind: 'other', issuedOn: null, expiresOn: null }, public: false,
  }, actor);

  const expires = new Date(Date.now() + 180 * 24 * 3600 * 1000);
  const settings = await s.trustHub.saveSettings(orgId, {
    version: 0, published: true, displayName: o.hostile ? 'Acme <script>alert("x")</script>' : 'Acme Cloud', accentColor: '#0b7285',
    intro: o.hostile ? 'We <b>care</b> & "protect" your data <script>alert(1)</script>' : 'How Acme Cloud protects your data: certifications, scope, commitments and the people who process it.',
    hosts: o.hosts ?? [], securityContacts: ['mailto:security@acme.example', 'https://acme.example/security'],
    securityTxt: { expires, policy: 'https://acme.example/disclosure', preferredLanguages: ['en', 'de'], encryption: null, acknowledgments: null, hiring: null },
  }, actor);
  const commitment = await s.trustHub.createCommitment(orgId, { statement: 'Customer data is encrypted at rest with AES-256.', category: 'security', controlId: null, published: true, position: 0 }, actor);
  await s.trustHub.createCommitment(orgId, { statement: 'We never sell personal data.', category: 'privacy', controlId: null, published: true, position: 1 }, actor);
  await s.trustHub.createCommitment(orgId, { statement: 'Draft commitment not yet public.', category: 'security', controlId: null, published: false, position: 2 }, actor);
  return { platform, workers, stream, internal, evil, soc2, fedramp, iso, planned, expired, hidden, settings, commitment, expires };
}
