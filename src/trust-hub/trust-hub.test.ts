import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newMember, newOrg, signIn } from '../../tests/support/factories.ts';
import { seedTrustHub } from '../../tests/support/trust-hub-seed.ts';
import { readXml, type XmlElement } from '../catalog/oscal/xml-reader.ts';
import { checkSecurityTxt } from '../trust/security-txt.ts';
import type { HubSections } from './hub-sections.ts';
import { createTrustHubPublic } from './trust-hub.public.ts';
import { hubFixture } from '../trust-docs/visitor.test-support.ts';

let t: TestApp;
before(async () => { t = await startTestApp({ publicUrl: 'https://attest.example.test' }); });
after(async () => { await t?.close(); });

const s = () => t.app.services;
const get = (url: string, headers: Record<string, string> = {}) => t.server.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });
/** The text of the element with this id, tags stripped: what a reader sees in that section. */
function section(page: string, id: string): string {
  const start = page.indexOf(`id="${id}"`);
  assert.ok(start > 0, `section #${id} present`);
  const end = page.indexOf('</section>', start);
  return page.slice(start, end).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

test('overview: certifications with badges, issuer, period, roles, scope in and out, locations; matrix; commitments', async () => {
  const { org } = await newOrg(t, 'Hub');
  await seedTrustHub(s(), org.id);
  const res = await get(`/trust/${org.slug}`);
  assert.equal(res.statusCode, 200, res.body);
  assert.match(res.headers['content-type'] as string, /^text\/html/);
  const page = res.body;
  const certs = section(page, 'certifications');
  assert.match(certs, /SOC 2 Type II Attested/);
  assert.match(certs, /Issuer Example Audit LLP \(auditor\)/);
  assert.match(certs, /Period 1 Oct 2025 – 30 Sept? 2026/);
  assert.match(certs, /Roles covered Processor/);
  assert.match(certs, /Out of scope Workers, Stream/);
  assert.match(certs, /Locations Frankfurt, DE, Virginia, US/);
  assert.match(certs, /FedRAMP High In process/);
  assert.match(certs, /Government authorization · FedRAMP High/);
  assert.match(certs, /ISO\/IEC 27001:2022 Certified/);
  assert.match(certs, /ISO\/IEC 27701 Planned/);
  assert.match(certs, /PCI DSS attestation of compliance Expired/);
  assert.doesNotMatch(page, /Secret internal assessment/, 'records not marked public stay off the hub');
  assert.doesNotMatch(page, /Internal tools/, 'products not marked public stay off the hub, even inside a public scope');

  const matrix = section(page, 'scope');
  assert.match(matrix, /Workers Certified Out of scope Not stated Not stated Not stated/, 'row Workers: ISO in, SOC 2 out, the rest unstated');
  assert.match(matrix, /Platform Certified Attested In process Planned Not stated/);

  const commitments = section(page, 'commitments');
  assert.match(commitments, /Customer data is encrypted at rest with AES-256\./);
  assert.match(commitments, /We never sell personal data\./);
  assert.doesNotMatch(commitments, /Draft commitment/);
  assert.match(section(page, 'contact'), /security@acme\.example/);
  // The sections other domains provide render their empty states until they are wired in.
  assert.match(section(page, 'documents'), /No documents are published yet/);
  assert.match(section(page, 'subprocessors'), /No sub-processors are listed yet/);
  assert.match(section(page, 'responsibilities'), /No customer responsibilities are published yet/);
});

test('hostile names and texts are escaped, never markup', async () => {
  const { org } = await newOrg(t, 'Hostile');
  await seedTrustHub(s(), org.id, { hostile: true });
  const page = (await get(`/trust/${org.slug}`)).body;
  assert.doesNotMatch(page, /<script>alert/);
  assert.doesNotMatch(page, /<img src=x/);
  assert.doesNotMatch(page, /<b>care<\/b>/);
  assert.match(page, /&lt;script&gt;alert\(&quot;p&quot;\)&lt;\/script&gt;Console/);
  assert.match(page, /ISO 27001 &lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(page, /We &lt;b&gt;care&lt;\/b&gt; &amp; &quot;protect&quot;/);
  assert.equal((page.match(/<script/g) ?? []).length, 0, 'the page has no script element at all');
});

test('unknown slugs and unpublished hubs are 404; unpublishing is logged in the evidence log', async () => {
  assert.equal((await get('/trust/no-such-org')).statusCode, 404);
  const { org, owner } = await newOrg(t, 'Quiet');
  assert.equal((await get(`/trust/${org.slug}`)).statusCode, 404, 'no settings yet');
  const seeded = await seedTrustHub(s(), org.id);
  assert.equal((await get(`/trust/${org.slug}`)).statusCode, 200);
  const agent = await signIn(t, owner.email);
  const settingsUrl = `/api/v1/orgs/${org.id}/trust-hub/settings`;
  const current = (await agent.get(settingsUrl)).json();
  const off = await agent.request('PUT', settingsUrl, { ...current, published: false, securityTxt: { ...current.securityTxt, expires: seeded.expires.toISOString() } });
  assert.equal(off.statusCode, 200, off.body);
  for (const path of ['', '/feed.atom', '/.well-known/security.txt']) assert.equal((await get(`/trust/${org.slug}${path}`)).statusCode, 404, path);
  await s().ledger.drain();
  const kinds: string[] = [];
  for (let i = 0, n = await s().repos.ledger.size(org.id); i < n; i++) kinds.push((await s().repos.ledger.entry(org.id, i))!.kind);
  assert.deepEqual(kinds.filter((k) => k.startsWith('trust_hub.')), ['trust_hub.published', 'trust_hub.commitment_published', 'trust_hub.commitment_published', 'trust_hub.unpublished']);
  const stale = await agent.request('PUT', settingsUrl, { ...current, published: true });
  assert.equal(stale.statusCode, 409, 'a save based on an old version is refused');
});

test('settings: validation names the field; host names are unique across orgs; roles enforced', async () => {
  const a = await newOrg(t, 'HostA');
  const b = await newOrg(t, 'HostB');
  await seedTrustHub(s(), a.org.id, { hosts: ['trust.hosta.example'] });
  const agent = await signIn(t, b.owner.email);
  const url = `/api/v1/orgs/${b.org.id}/trust-hub/settings`;
  const body = { version: 0, published: true, displayName: 'B', accentColor: '#123456', intro: '', hosts: [], securityContacts: ['mailto:sec@b.example'], securityTxt: { expires: null } };
  const taken = await agent.request('PUT', url, { ...body, hosts: ['Trust.HostA.example'] });
  assert.equal(taken.statusCode, 400, taken.body);
  assert.equal(taken.json().errors[0].path, 'hosts.0');
  const badColour = await agent.request('PUT', url, { ...body, accentColor: 'red' });
  assert.equal(badColour.json().errors[0].path, 'accentColor');
  const badContact = await agent.request('PUT', url, { ...body, securityContacts: ['javascript:alert(1)'] });
  assert.equal(badContact.statusCode, 400);
  assert.equal(badContact.json().errors[0].path, 'securityContacts.0');
  const farExpiry = await agent.request('PUT', url, { ...body, securityTxt: { expires: '2099-01-01T00:00:00Z' } });
  assert.equal(farExpiry.json().errors[0].path, 'securityTxt.expires');
  const noContact = await agent.request('PUT', url, { ...body, securityContacts: [] });
  assert.equal(noContact.json().errors[0].path, 'securityContacts');
  assert.equal((await agent.request('PUT', url, body)).statusCode, 200);

  const editor = await newMember(t, b.org.id, 'editor');
  const editorAgent = await signIn(t, editor.email);
  assert.equal((await editorAgent.request('PUT', url, { ...body, version: 1 })).statusCode, 403);
  assert.equal((await editorAgent.get(url)).statusCode, 200);
  // Another org's admin cannot read or change this hub.
  const outsider = await signIn(t, a.owner.email);
  assert.equal((await outsider.get(url)).statusCode, 404);
  assert.equal((await outsider.post(`/api/v1/orgs/${b.org.id}/trust-hub/commitments`, { statement: 'x', category: 'security' })).statusCode, 404);
});

test('custom host serves the hub at its root, with security.txt and the feed; unknown hosts get nothing', async () => {
  const { org } = await newOrg(t, 'Custom');
  await seedTrustHub(s(), org.id, { hosts: ['trust.custom.example'] });
  await s().hubHosts.load();
  const host = { host: 'trust.custom.example' };
  const root = await get('/', host);
  assert.equal(root.statusCode, 200);
  assert.match(root.body, /SOC 2 Type II/);
  assert.equal((await get('/api/v1/orgs', host)).statusCode, 404, 'the app itself is not served on a customer host');
  assert.equal((await get('/trust/other-org', host)).statusCode, 404);
  assert.equal((await get(`/trust/${org.slug}`, host)).statusCode, 200);

  const txt = await get('/.well-known/security.txt', host);
  assert.equal(txt.statusCode, 200);
  assert.equal(txt.headers['content-type'], 'text/plain; charset=utf-8');
  assert.deepEqual(checkSecurityTxt(txt.body), [], txt.body);
  assert.match(txt.body, /^Contact: mailto:security@acme\.example$/m);
  assert.match(txt.body, /^Canonical: https:\/\/trust\.custom\.example\/\.well-known\/security\.txt$/m);
  assert.match(txt.body, /^Canonical: https:\/\/attest\.example\.test\/trust\/[^/]+\/\.well-known\/security\.txt$/m);
  assert.match(txt.body, /^Preferred-Languages: en, de$/m);
  assert.equal((await get(`/trust/${org.slug}/.well-known/security.txt`)).body, txt.body);

  assert.equal((await get('/.well-known/security.txt', { host: 'unknown.example' })).statusCode, 404);
  assert.equal((await get('/.well-known/security.txt')).statusCode, 404, "the instance's own host has no org security.txt");
  assert.equal((await get('/feed.atom', host)).statusCode, 200);

  // The visitor pages of documents and sub-processors stay on the custom host, with the hub's name and accent (not the org's).
  for (const path of [`/trust/${org.slug}/subprocessors`, `/trust/${org.slug}/access`, `/trust/${org.slug}/access/sent`]) {
    for (const on of [host, undefined]) {
      const page = await get(path, on);
      assert.equal(page.statusCode, 200, `${path} on ${on?.host ?? 'the instance host'}`);
      assert.match(page.body, /<a class="brand" href="\/trust\/[^"]+">Acme Cloud Trust Hub<\/a>/);
      assert.match(page.body, /--accent:#0b7285;/);
    }
  }
  assert.equal((await get('/trust/other-org/subprocessors', host)).statusCode, 404);
  assert.equal((await get('/trust/other-org/access', host)).statusCode, 404);
});

const kids = (el: XmlElement, name: string) => el.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name);
const text = (el: XmlElement) => el.children.filter((c) => typeof c === 'string').join('');

test('Atom feed: public certification status changes and published commitments, parsed as XML', async () => {
  const { org } = await newOrg(t, 'Feed');
  const seeded = await seedTrustHub(s(), org.id);
  await s().certifications.changeStatus(org.id, seeded.planned.id, { status: 'in-process', reason: 'Audit booked' }, { userId: null, email: 'cli', ip: null });
  s().trustHubPublic.invalidate(org.id);
  const res = await get(`/trust/${org.slug}/feed.atom`);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
  const feed = readXml(res.body, 'feed.atom');
  assert.equal(feed.name, 'feed');
  assert.match(res.body, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
  const self = kids(feed, 'link').find((l) => l.attrs.rel === 'self');
  assert.equal(self?.attrs.href, `https://attest.example.test/trust/${org.slug}/feed.atom`);
  const entries = kids(feed, 'entry');
  const titles = entries.map((e) => text(kids(e, 'title')[0]!));
  assert.ok(titles.includes('SOC 2 Type II: Attested'), titles.join(' | '));
  assert.ok(titles.includes('ISO/IEC 27701: In process'));
  assert.ok(titles.includes('New security commitment'));
  assert.ok(!titles.some((x) => x.includes('Secret internal')), 'non-public records never reach the feed');
  const ids = entries.map((e) => text(kids(e, 'id')[0]!));
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => id.startsWith('tag:attest.example.test,')));
  assert.ok(!res.body.includes('Audit booked'), 'internal reasons are not published');
});

test('commitments: CRUD, control must exist, publication logged; preview frames only from self', async () => {
  const { org, owner } = await newOrg(t, 'Commit');
  const agent = await signIn(t, owner.email);
  const base = `/api/v1/orgs/${org.id}/trust-hub/commitments`;
  const unknownControl = await agent.post(base, { statement: 'MFA everywhere', category: 'security', controlId: '00000000-0000-4000-8000-000000000000' });
  assert.equal(unknownControl.statusCode, 400);
  assert.equal(unknownControl.json().errors[0].path, 'controlId');
  const created = await agent.post(base, { statement: 'MFA everywhere', category: 'security' });
  assert.equal(created.statusCode, 201, created.body);
  const published = await agent.patch(`${base}/${created.json().id}`, { published: true });
  assert.ok(published.json().publishedAt);
  assert.equal((await agent.get(base)).json().items.length, 1);
  assert.equal((await agent.delete(`${base}/${created.json().id}`)).statusCode, 204);
  assert.equal((await agent.delete(`${base}/${created.json().id}`)).statusCode, 404);

  const preview = await agent.get(`/api/v1/orgs/${org.id}/trust-hub/preview?displayName=${encodeURIComponent('Draft <Name>')}`);
  assert.equal(preview.statusCode, 200);
  assert.match(preview.headers['content-security-policy'] as string, /frame-ancestors 'self'/);
  assert.match(preview.body, /Draft &lt;Name&gt; Trust Hub/);
  assert.match(preview.body, /Preview:/);
  const other = await get(`/trust/${org.slug}`);
  assert.equal(other.statusCode, 404, 'the preview works before publishing; the public page does not');
  const page = await get('/api/v1/orgs');
  assert.match(page.headers['content-security-policy'] as string ?? "frame-ancestors 'none'", /frame-ancestors 'none'/);
});

test('the HubSections providers fill documents, sub-processors (with feed entries) and responsibilities', async () => {
  const { org } = await newOrg(t, 'Sections');
  await seedTrustHub(s(), org.id);
  const announcedAt = new Date('2026-11-20T10:00:00Z');
  // The real providers live in trust-docs and vendors; this one holds the same shape of data in memory.
  const sections: HubSections = {
    documents: { publicDocuments: async () => [
      { id: 'd1', title: 'SOC 3 report', kind: 'soc3', visibility: 'public', versionLabel: '2026', publishedAt: announcedAt, description: 'General use report' },
      { id: 'd2', title: 'SOC 2 Type II report', kind: 'soc2-type2', visibility: 'gated', versionLabel: '2026', publishedAt: announcedAt, description: '' },
    ] },
    subprocessors: { publicSubprocessors: async () => ({
      current: [{ id: 'v1', name: 'Mail <Co>', services: 'Email delivery', purpose: 'Sends notifications', countries: ['DE', 'IE'], dataCategories: ['email addresses'], dpaDate: '2026-01-01', website: 'javascript:alert(1)' }],
      changes: [{ id: 'c1', kind: 'added', vendorName: 'Mail <Co>', summary: 'We will add Mail <Co> for email delivery.', announcedAt, effectiveAt: new Date('2026-12-20T00:00:00Z'), objectionsOpen: true }],
    }) },
    responsibilities: { publicResponsibilities: async () => [
      { id: 'r1', statement: 'Enable two-factor authentication alongside usernames and passwords.', criteria: [{ framework: 'soc2-2017', id: 'CC6.1' }], products: [{ id: 'p', name: 'Platform', slug: 'platform' }] },
    ] },
  };
  const hub = createTrustHubPublic({
    repos: s().repos, certifications: s().certifications, products: s().products, sections, publicUrl: () => 'https://attest.example.test',
    commitmentHealth: async () => new Map(), publishedBySlug: (slug) => s().trustHub.publishedBySlug(slug),
  });
  const published = (await hub.resolve(org.slug))!;
  const page = (await hub.overview(published)).toString();
  assert.match(page, new RegExp(`href="/trust/${org.slug}/documents/d1">SOC 3 report`));
  assert.match(page, new RegExp(`href="/trust/${org.slug}/documents/d2/request">SOC 2 Type II report`));
  assert.match(section(page, 'subprocessors'), /Mail &lt;Co&gt; Email delivery\. Sends notifications DE, IE email addresses/);
  assert.doesNotMatch(page, /javascript:/, 'a non-http website is not linked');
  assert.match(page, new RegExp(`href="/trust/${org.slug}/subprocessors/changes/c1/object"`));
  assert.match(section(page, 'responsibilities'), /Enable two-factor authentication .*\(soc2-2017 CC6\.1; Platform\)/);
  const feed = readXml((await hub.feed(published)).toString(), 'feed.atom');
  const titles = kids(feed, 'entry').map((e) => text(kids(e, 'title')[0]!));
  assert.ok(titles.includes('Sub-processor change: Mail &lt;Co&gt;'), titles.join(' | '));
});

test('every link on the overview leads to a page: documents, access requests, sub-processors, objections, exports, feed, security.txt', async () => {
  const { org } = await newOrg(t, 'Links');
  await hubFixture(t, org.id);
  const vendor = await s().vendors.create(org.id, {
    name: 'Cloudy Hosting', services: 'Infrastructure', purpose: 'Hosting of customer data', countries: ['DE'], dataCategories: ['Customer content'],
    subprocessor: true, dpaDate: '2025-03-01', website: 'https://cloudy.example', productIds: [],
  });
  await s().vendors.announce(org.id, vendor.changes[0]!.id, new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
  await s().responsibilities.create(org.id, { statement: 'Enable two-factor authentication.', criteria: [{ framework: 'soc2-2017', id: 'CC6.1' }], productIds: [], published: true });
  s().trustHubPublic.invalidate(org.id);
  const page = (await get(`/trust/${org.slug}`)).body;
  const links = [...new Set([...page.matchAll(/href="(\/[^"#]*)/g)].map((m) => m[1]!.replaceAll('&amp;', '&')))];
  for (const expected of ['/subprocessors', '/changes/', '/documents/', '/request', '/responsibilities.csv', '/responsibilities.pdf', '/feed.atom', '/security.txt']) {
    assert.ok(links.some((l) => l.includes(expected)), `the overview links ${expected}: ${links.join(' ')}`);
  }
  for (const link of links) assert.equal((await get(link)).statusCode, 200, link);
  // A wrong link under the hub is a 404 page, not the web app's shell.
  const wrong = await get(`/trust/${org.slug}/no-such-page`);
  assert.equal(wrong.statusCode, 404);
  assert.match(wrong.body, /<h1>Not found<\/h1>/);
});
