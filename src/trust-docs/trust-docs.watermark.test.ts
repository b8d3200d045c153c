// A reviewer's whole path over real HTTP: an admin uploads a multi-page PDF and sets a domain
// rule, the visitor requests access, follows the mailed link and downloads; pdfjs-dist reads
// every page of the file they got and finds their name, email, company, time and download id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { startTestApp, type TestApp } from '../../tests/support/app.ts';
import { newOrg, signIn } from '../../tests/support/factories.ts';
import { hidden, isPdf, mailedLink, publishHub, redeem, samplePdf, Visitor } from './visitor.test-support.ts';

let t: TestApp;
before(async () => { t = await startTestApp({ trustRateLimitPerMinute: 10_000 }); });
after(async () => { await t?.close(); });

const STANDARD_FONTS = `${path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/standard_fonts/`;
async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocument({ data: bytes.slice(), useSystemFonts: false, isEvalSupported: false, standardFontDataUrl: STANDARD_FONTS }).promise;
  const out: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    out.push(content.items.map((i) => ('str' in i ? i.str : '')).join(' ').replace(/\s+/g, ' '));
  }
  await pdf.destroy();
  return out;
}

function multipart(fields: Record<string, string>, file: Uint8Array, filename: string) {
  const boundary = `----attest${crypto.randomUUID()}`;
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('');
  const payload = Buffer.concat([Buffer.from(`${parts}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`), Buffer.from(file), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

test('a gated download through the real flow is stamped on every page with the recipient, time and download id', async () => {
  const { org, owner } = await newOrg(t, 'Stamp');
  await publishHub(t, org.id);
  const adminAgent = await signIn(t, owner.email);
  const api = `/api/v1/orgs/${org.id}/trust-docs`;
  assert.equal((await adminAgent.post(`${api}/ndas`, { label: '2026-01', text: 'Confidential. Do not redistribute.' })).statusCode, 201);
  const created = await adminAgent.post(`${api}/documents`, { title: 'SOC 2 Type II report', kind: 'soc2-type2-report' });
  assert.equal(created.statusCode, 201);
  assert.equal(created.json().visibility, 'gated', 'a SOC 2 report is gated by default');
  const docId = created.json().id as string;

  const pages = 7;
  const upload = multipart({ label: 'FY2026' }, await samplePdf(pages, 'Report body'), 'soc2.pdf');
  const uploaded = await adminAgent.request('POST', `${api}/documents/${docId}/versions`, upload.payload, upload.headers);
  assert.equal(uploaded.statusCode, 201, uploaded.body);
  assert.equal(uploaded.json().current.pageCount, pages);
  const notPdf = multipart({ label: 'bad' }, Buffer.from('hello, not a pdf'), 'x.pdf');
  const refused = await adminAgent.request('POST', `${api}/documents/${docId}/versions`, notPdf.payload, notPdf.headers);
  assert.equal(refused.statusCode, 400);
  assert.equal((await adminAgent.get(`${api}/documents/${docId}`)).json().versions.length, 1, 'the refused upload added no version');

  assert.equal((await adminAgent.request('PUT', `${api}/rules`, { allowedDomains: ['customer.example'], autoApprovePlans: [], grantDays: 14 })).statusCode, 200);

  // The visitor: request form → "check your email" → mailed link → landing → Continue → download.
  const v = new Visitor(t.server);
  const form = await v.get(`/trust/${org.slug}/documents/${docId}/request`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Confidential\. Do not redistribute\./);
  const person = { name: 'Dana Łukasiewicz-Reviewer', email: 'dana@customer.example', company: 'Customer AG' };
  const sent = await v.post(`/trust/${org.slug}/access`, { csrf: hidden(form.body, 'csrf'), ndaSha256: hidden(form.body, 'ndaSha256'), documentId: docId, ...person, reason: 'Annual vendor security review.', acceptNda: 'true' });
  assert.equal(sent.statusCode, 303);
  const confirmation = await v.get(sent.headers.location as string);
  assert.match(confirmation.body, /Check your email/);
  assert.equal((await redeem(v, await mailedLink(t, org.id, person.email))).statusCode, 303);
  const list = await v.get(`/trust/${org.slug}/access/documents`);
  assert.match(list.body, new RegExp(`/trust/${org.slug}/documents/${docId}`));

  const before = Date.now();
  const res = await v.get(`/trust/${org.slug}/documents/${docId}`);
  assert.equal(res.statusCode, 200);
  assert.ok(isPdf(res));
  const downloadId = String(res.headers['x-download-id']);
  const logged = (await adminAgent.get(`${api}/downloads`)).json().items.find((d: { id: string }) => d.id === downloadId);
  assert.ok(logged, 'the download is in the download log');
  const time = new Date(logged.at).toISOString();
  assert.ok(Math.abs(new Date(time).getTime() - before) < 60_000);

  const texts = await pageTexts(new Uint8Array(res.rawPayload));
  assert.equal(texts.length, pages);
  texts.forEach((text, i) => {
    // The name is transliterated to what Helvetica can draw (Ł → L); the exact name is in the metadata.
    for (const needle of ['Dana Lukasiewicz-Reviewer', person.email, person.company, time, downloadId, `Report body page ${i + 1}`]) {
      assert.ok(text.includes(needle), `page ${i + 1} lacks "${needle}": ${text}`);
    }
  });
  // A second download is a new stamp with a new id.
  const again = await v.get(`/trust/${org.slug}/documents/${docId}`);
  assert.notEqual(again.headers['x-download-id'], downloadId);
});
