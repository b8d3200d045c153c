// The gating matrix: every way to reach a gated file without a live grant, one row each. Every
// row asserts the status code and that the body is not the PDF; the allowed rows assert that it is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newOrg, signIn } from '../../tests/support/factories.ts';
import { buildServer } from '../http/server.ts';
import { issueAccessToken, accessLinkKey, newAccessNonce } from '../trust/access-link.ts';
import { createTrustDocsService } from './trust-docs.service.ts';
import { VISITOR_COOKIE } from './trust-docs.public.routes.ts';
import { hidden, hubFixture, isPdf, mailedLink, redeem, requestAccess, Visitor, type HubFixture } from './visitor.test-support.ts';

let t: TestApp;
let A: HubFixture;
let B: HubFixture;
let later: FastifyInstance;
let unpublished: FastifyInstance;
let strict: FastifyInstance;
const who = (label: string) => ({ name: `Dana ${label}`, email: `dana-${label}-${crypto.randomUUID().slice(0, 6)}@customer.example`, company: 'Customer AG' });
const admin = { userId: null, email: 'admin@example.test' };

before(async () => {
  t = await startTestApp({ trustRateLimitPerMinute: 100_000 });
  A = await hubFixture(t, (await newOrg(t, 'Alpha')).org.id);
  B = await hubFixture(t, (await newOrg(t, 'Beta')).org.id);
  const s = t.app.services;
  const variant = (over: Partial<Parameters<typeof createTrustDocsService>[0]>) =>
    buildServer({ ...s, trustDocs: createTrustDocsService({ repos: s.repos, transact: s.transact, ledger: s.ledger, mail: s.mail, blobs: s.blobs, instanceKey: s.config.secretKey!, publicUrl: s.publicUrl, hubs: s.publishedHubs, ...over }) }, { logger: false });
  // The same database seen 80 hours later (links live 72 h), and with A's hub unpublished.
  later = await variant({ now: () => new Date(Date.now() + 80 * 3_600_000) });
  unpublished = await variant({ hubs: { bySlug: async (slug) => (slug === A.slug ? null : s.publishedHubs.bySlug(slug)) } });
  // The same services with the default-like per-IP limit turned down to two a minute.
  strict = await buildServer({ ...s, config: { ...s.config, trustRateLimitPerMinute: 2 } }, { logger: false });
});
after(async () => { await later?.close(); await unpublished?.close(); await strict?.close(); await t?.close(); });

/** A visitor of `f` with an approved grant and a redeemed link (a live visitor session). */
async function granted(f: HubFixture, label = 'ok') {
  const person = who(label);
  const v = await requestAccess(t.server, f, person);
  const [grant] = (await t.app.services.trustDocs.listGrants(f.orgId, 'pending')).filter((g) => g.email === person.email);
  await t.app.services.trustDocs.approve(f.orgId, grant!.id, undefined, admin);
  const link = await mailedLink(t, f.orgId, person.email);
  const res = await redeem(v, link);
  assert.equal(res.statusCode, 303, res.body);
  return { v, grantId: grant!.id, link, person };
}
/** An approved grant whose link has not been used yet. */
async function approvedLink(f: HubFixture, label: string) {
  const person = who(label);
  const v = await requestAccess(t.server, f, person);
  const [grant] = (await t.app.services.trustDocs.listGrants(f.orgId, 'pending')).filter((g) => g.email === person.email);
  await t.app.services.trustDocs.approve(f.orgId, grant!.id, undefined, admin);
  return { v, grantId: grant!.id, link: await mailedLink(t, f.orgId, person.email) };
}
const doc = (f: HubFixture, id: string) => `/trust/${f.slug}/documents/${id}`;
const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token')!;

type Row = { name: string; status: number; pdf?: true; run: () => Promise<LightMyRequestResponse> };
const rows: Row[] = [
  // Positive controls: without them the denials below could pass against a broken download.
  { name: 'public document, anyone', status: 200, pdf: true, run: () => new Visitor(t.server).get(doc(A, A.publicDoc)) },
  { name: 'gated document with a live session', status: 200, pdf: true, run: async () => (await granted(A)).v.get(doc(A, A.gatedA)) },
  { name: 'grant requested for document A also opens gated document B (grants cover all gated documents)', status: 200, pdf: true, run: async () => {
    const person = who('scope');
    const v = await requestAccess(t.server, A, person, A.gatedA);
    const [g] = (await t.app.services.trustDocs.listGrants(A.orgId, 'pending')).filter((x) => x.email === person.email);
    assert.equal(g!.requestedDocumentId, A.gatedA);
    await t.app.services.trustDocs.approve(A.orgId, g!.id, undefined, admin);
    await redeem(v, await mailedLink(t, A.orgId, person.email));
    return v.get(doc(A, A.gatedB));
  } },

  // No grant at all
  { name: 'gated document, no session', status: 303, run: () => new Visitor(t.server).get(doc(A, A.gatedA)) },
  { name: 'gated document, forged visitor cookie', status: 303, run: () => { const v = new Visitor(t.server); v.cookies.set(VISITOR_COOKIE, 'x'.repeat(43)); return v.get(doc(A, A.gatedA)); } },
  { name: 'gated document, signed-in member session (not a visitor grant)', status: 303, run: async () => {
    const { owner } = await newOrg(t, 'Member');
    const agent = await signIn(t, owner.email);
    return t.server.inject({ method: 'GET', url: doc(A, A.gatedA), headers: { cookie: agent.cookie! } });
  } },
  { name: 'pending request, no link yet', status: 303, run: async () => requestAccess(t.server, A, who('pending')).then((v) => v.get(doc(A, A.gatedA))) },
  { name: 'rejected request', status: 303, run: async () => {
    const person = who('rejected');
    const v = await requestAccess(t.server, A, person);
    const [g] = (await t.app.services.trustDocs.listGrants(A.orgId, 'pending')).filter((x) => x.email === person.email);
    await t.app.services.trustDocs.reject(A.orgId, g!.id, undefined, admin);
    assert.equal((await t.outbox(A.orgId)).some((m) => m.to === person.email && m.text.includes('/access/link')), false);
    return v.get(doc(A, A.gatedA));
  } },

  // Guessed ids and URLs
  { name: 'private document, no session', status: 404, run: () => new Visitor(t.server).get(doc(A, A.privateDoc)) },
  { name: 'private document, live session', status: 404, run: async () => (await granted(A, 'priv')).v.get(doc(A, A.privateDoc)) },
  { name: 'private document request form', status: 404, run: () => new Visitor(t.server).get(`${doc(A, A.privateDoc)}/request`) },
  { name: 'guessed random document id, live session', status: 404, run: async () => (await granted(A, 'guess')).v.get(doc(A, crypto.randomUUID())) },
  { name: 'malformed document id', status: 404, run: () => new Visitor(t.server).get(`/trust/${A.slug}/documents/..%2f..%2fetc%2fpasswd`) },
  { name: 'gated document without any version, live session', status: 404, run: async () => (await granted(A, 'empty')).v.get(doc(A, A.gatedEmpty)) },
  { name: 'unknown hub slug', status: 404, run: () => new Visitor(t.server).get(`/trust/no-such-org-${crypto.randomUUID().slice(0, 6)}/documents/${A.publicDoc}`) },
  { name: 'unpublished hub: public document', status: 404, run: () => new Visitor(unpublished).get(doc(A, A.publicDoc)) },
  { name: 'unpublished hub: gated document with a live session', status: 404, run: async () => {
    const { v } = await granted(A, 'unpub');
    const same = new Visitor(unpublished);
    same.cookies = v.cookies;
    return same.get(doc(A, A.gatedA));
  } },
  { name: 'unpublished hub: request form', status: 404, run: () => new Visitor(unpublished).get(`/trust/${A.slug}/access`) },
  { name: 'document made private after the session started', status: 404, run: async () => {
    const { v } = await granted(A, 'hide');
    const d = await t.app.services.trustDocs.createDocument(A.orgId, { title: 'Soon private', kind: 'pentest-summary', description: '' });
    const src = await t.app.services.trustDocs.getDocument(A.orgId, A.gatedB);
    await t.app.services.trustDocs.addVersion(A.orgId, d.id, { label: '1', sha256: src.current!.sha256, size: src.current!.size, filename: 'x.pdf' }, admin);
    assert.equal((await v.get(doc(A, d.id))).statusCode, 200);
    await t.app.services.trustDocs.updateDocument(A.orgId, d.id, { visibility: 'private' });
    return v.get(doc(A, d.id));
  } },

  // Other org
  { name: "other org's document id under this org's slug, live session here", status: 404, run: async () => (await granted(A, 'cross')).v.get(doc(A, B.gatedA)) },
  { name: "this org's session cookie sent to the other org's gated document", status: 303, run: async () => {
    const { v } = await granted(A, 'cookie');
    return v.get(doc(B, B.gatedA));
  } },
  { name: "other org's link redeemed on this org's hub", status: 403, run: async () => {
    const { v, link } = await approvedLink(B, 'foreign');
    const landing = await new Visitor(t.server).get(`/trust/${A.slug}/access/link?token=${encodeURIComponent(tokenOf(link))}`);
    const res = await v.post(`/trust/${A.slug}/access/link`, { token: hidden(landing.body, 'token'), csrf: hidden((await v.get(`/trust/${A.slug}/access`)).body, 'csrf') });
    return res;
  } },

  // Broken, expired, replayed and revoked links
  { name: 'tampered token (payload changed)', status: 403, run: async () => {
    const { v, link } = await approvedLink(A, 'tamper');
    const [ver, payload, mac] = tokenOf(link).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${ver}.${Buffer.from(JSON.stringify({ ...claims, x: claims.x + 86_400_000 })).toString('base64url')}.${mac}`;
    return redeem(v, `/trust/${A.slug}/access/link?token=${encodeURIComponent(forged)}`);
  } },
  { name: 'token signed with another key', status: 403, run: async () => {
    const { v, grantId } = await approvedLink(A, 'forged');
    const g = (await t.app.services.trustDocs.listGrants(A.orgId)).find((x) => x.id === grantId)!;
    const forged = issueAccessToken({ orgId: A.orgId, grantId, recipientEmail: g.email, expiresAt: new Date(Date.now() + 3_600_000), nonce: newAccessNonce() }, accessLinkKey('a different instance key of enough length'));
    return redeem(v, `/trust/${A.slug}/access/link?token=${encodeURIComponent(forged)}`);
  } },
  { name: 'garbage token', status: 403, run: () => redeem(new Visitor(t.server), `/trust/${A.slug}/access/link?token=v1.AAAA.BBBB`) },
  { name: 'replayed link (second redemption)', status: 403, run: async () => {
    const { link } = await granted(A, 'replay');
    return redeem(new Visitor(t.server), link);
  } },
  { name: 'replayed link cannot reach the file either', status: 303, run: async () => {
    const { link } = await granted(A, 'replay2');
    const v = new Visitor(t.server);
    assert.equal((await redeem(v, link)).statusCode, 403);
    return v.get(doc(A, A.gatedA));
  } },
  { name: 'expired link (80 hours later)', status: 403, run: async () => {
    const { link } = await approvedLink(A, 'expired');
    return redeem(new Visitor(later), link);
  } },
  { name: 'link of a revoked grant', status: 403, run: async () => {
    const { v, link, grantId } = await approvedLink(A, 'revoked');
    await t.app.services.trustDocs.revoke(A.orgId, grantId, undefined, admin);
    return redeem(v, link);
  } },
  { name: 'stale session after revocation', status: 303, run: async () => {
    const { v, grantId } = await granted(A, 'stale');
    assert.equal((await v.get(doc(A, A.gatedA))).statusCode, 200);
    await t.app.services.trustDocs.revoke(A.orgId, grantId, undefined, admin);
    return v.get(doc(A, A.gatedA));
  } },
  { name: 'session of a grant that has expired', status: 303, run: async () => {
    const { v, grantId } = await granted(A, 'grant-expired');
    await t.app.services.database.pool.query('UPDATE trust_grants SET expires_at = now() - interval \'1 second\' WHERE id = $1', [grantId]);
    return v.get(doc(A, A.gatedA));
  } },
  { name: 'session past its own expiry', status: 303, run: async () => {
    const { v, grantId } = await granted(A, 'session-expired');
    await t.app.services.database.pool.query('UPDATE trust_visitor_sessions SET expires_at = now() - interval \'1 second\' WHERE grant_id = $1', [grantId]);
    return v.get(doc(A, A.gatedA));
  } },

  // Forms without their CSRF token
  { name: 'link redeemed without the form cookie (cross-site POST)', status: 403, run: async () => {
    const { link } = await approvedLink(A, 'csrf');
    const v = new Visitor(t.server);
    const res = await v.post(`/trust/${A.slug}/access/link`, { token: tokenOf(link), csrf: 'x'.repeat(43) });
    // The refused POST did not spend the link: the real visitor still gets in.
    assert.equal((await redeem(new Visitor(t.server), link)).statusCode, 303);
    return res;
  } },
  { name: 'access request without the form cookie', status: 403, run: async () => {
    const before = (await t.app.services.trustDocs.listGrants(A.orgId)).length;
    const form = await new Visitor(t.server).get(`/trust/${A.slug}/access`);
    const res = await new Visitor(t.server).post(`/trust/${A.slug}/access`, { ...who('nocsrf'), csrf: hidden(form.body, 'csrf'), ndaSha256: hidden(form.body, 'ndaSha256'), reason: 'A long enough reason.', acceptNda: 'true' });
    assert.equal((await t.app.services.trustDocs.listGrants(A.orgId)).length, before);
    return res;
  } },
];

for (const row of rows) {
  test(`gating: ${row.name} → ${row.status}${row.pdf ? ' with the PDF' : ', never the PDF'}`, async () => {
    const res = await row.run();
    assert.equal(res.statusCode, row.status, res.body.slice(0, 300));
    assert.equal(isPdf(res), !!row.pdf, `body ${row.pdf ? 'is not' : 'is'} the PDF`);
    if (row.status === 303 && !row.pdf) assert.match(String(res.headers.location), /\/request$|\/access$/);
  });
}

test('the NDA must be accepted, and the shown version must be the current one', async () => {
  const v = new Visitor(t.server);
  const form = await v.get(`/trust/${A.slug}/access`);
  const base = { ...who('nda'), csrf: hidden(form.body, 'csrf'), ndaSha256: hidden(form.body, 'ndaSha256'), reason: 'Vendor security review please.' };
  const unchecked = await v.post(`/trust/${A.slug}/access`, base);
  assert.equal(unchecked.statusCode, 400);
  assert.match(unchecked.body, /Accept the NDA/);
  assert.match(unchecked.body, /value="Dana nda"/, 'entered values are kept');
  const stale = await v.post(`/trust/${A.slug}/access`, { ...base, acceptNda: 'true', ndaSha256: '0'.repeat(64) });
  assert.equal(stale.statusCode, 400);
  assert.match(stale.body, /NDA has changed/);
});

test('auto-approval by email domain and by customer plan; a free plan waits for an admin', async () => {
  const s = t.app.services;
  await s.trustDocs.setRules(B.orgId, { allowedDomains: ['partner.example'], autoApprovePlans: ['pro', 'business', 'enterprise'], grantDays: 10 });
  await s.trustDocs.createAccount(B.orgId, { companyName: 'Paying Co', emailDomains: ['paying.example'], plan: 'business' });
  await s.trustDocs.createAccount(B.orgId, { companyName: 'Free Co', emailDomains: ['free.example'], plan: 'free' });
  for (const [email, expected] of [['x@partner.example', 'approved'], ['y@paying.example', 'approved'], ['z@free.example', 'pending']] as const) {
    await requestAccess(t.server, B, { name: 'Auto', email, company: 'Co' });
    const g = (await s.trustDocs.listGrants(B.orgId)).find((x) => x.email === email)!;
    assert.equal(g.status, expected, email);
    if (expected === 'approved') {
      assert.ok(g.decidedBy!.startsWith('rule:'));
      assert.ok(Math.abs(g.expiresAt!.getTime() - Date.now() - 10 * 86_400_000) < 120_000);
      const v = new Visitor(t.server);
      assert.equal((await redeem(v, await mailedLink(t, B.orgId, email))).statusCode, 303);
      assert.equal((await v.get(doc(B, B.gatedA))).statusCode, 200);
    }
  }
});

test('acceptances, decisions, revocations and downloads are in the evidence log and the download log', async () => {
  const { v, grantId, person } = await granted(A, 'ledger');
  const res = await v.get(doc(A, A.gatedA));
  await t.app.services.trustDocs.revoke(A.orgId, grantId, 'done', admin);
  await t.app.services.ledger.drain();
  const { rows: entries } = await t.app.services.database.pool.query<{ kind: string; entry: Buffer }>('SELECT kind, entry FROM ledger_entries WHERE org_id = $1', [A.orgId]);
  const mine = entries.filter((e) => e.entry.toString().includes(grantId) || e.entry.toString().includes(person.email)).map((e) => e.kind);
  for (const kind of ['trust.nda.accepted', 'trust.grant.decided', 'trust.document.downloaded', 'trust.grant.revoked']) assert.ok(mine.includes(kind), `${kind} missing in ${mine}`);
  const logged = (await t.app.services.trustDocs.listDownloads(A.orgId)).find((d) => d.id === res.headers['x-download-id']);
  assert.equal(logged?.email, person.email);
  assert.equal(typeof logged?.ledgerIndex, 'number');
});

test('the public document routes are rate-limited per client IP', async () => {
  const v = new Visitor(strict);
  assert.equal((await v.get(doc(A, A.publicDoc))).statusCode, 200);
  assert.equal((await v.get(doc(A, A.publicDoc))).statusCode, 200);
  const limited = await v.get(doc(A, A.publicDoc));
  assert.equal(limited.statusCode, 429);
  assert.equal(isPdf(limited), false);
});
