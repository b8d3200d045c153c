/** Test helpers for the hub's visitor pages: a cookie-keeping browser over inject, and fixtures. */
import { Readable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';
import type { TestApp } from '../../tests/support/app.ts';

export class Visitor {
  readonly server: FastifyInstance;
  cookies = new Map<string, string>();
  constructor(server: FastifyInstance) { this.server = server; }

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { accept: 'text/html' };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await this.server.inject({ method, url, headers, ...(form ? { payload: new URLSearchParams(form).toString() } : {}) });
    for (const c of res.cookies) {
      if (c.value && !(c.expires && c.expires.getTime() < Date.now())) this.cookies.set(c.name, c.value);
      else this.cookies.delete(c.name);
    }
    return res;
  }
  get = (url: string) => this.request('GET', url);
  post = (url: string, form: Record<string, string>) => this.request('POST', url, form);
}

export const hidden = (page: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1]?.replaceAll('&amp;', '&') ?? '';
export const isPdf = (res: LightMyRequestResponse) => res.rawPayload.subarray(0, 5).toString('latin1') === '%PDF-' || String(res.headers['content-type']).includes('pdf');

export async function samplePdf(pages: number, label: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage(i % 2 ? [841.89, 595.28] : [595.28, 841.89]);
    if (i === pages - 1 && pages > 1) page.setRotation(degrees(90));
    page.drawText(`${label} page ${i + 1}`, { x: 40, y: 500, size: 12, font });
  }
  return doc.save();
}

export type HubFixture = Awaited<ReturnType<typeof hubFixture>>;

/** An org with a current NDA and documents of each visibility (one gated without a version). */
/** Visitor pages exist only on a published hub: publish one with a security contact. */
export async function publishHub(t: TestApp, orgId: string) {
  const org = (await t.app.services.repos.orgs.findOrg(orgId))!;
  await t.app.services.trustHub.saveSettings(orgId, {
    version: 0, published: true, displayName: org.name, accentColor: '#1971c2', intro: '', hosts: [], securityContacts: ['mailto:security@example.test'],
    securityTxt: { expires: new Date(Date.now() + 90 * 86_400_000), policy: null, preferredLanguages: [], encryption: null, acknowledgments: null, hiring: null },
  }, { userId: null, email: 'fixture@example.test' });
}

export async function hubFixture(t: TestApp, orgId: string) {
  const s = t.app.services;
  const actor = { userId: null, email: 'fixture@example.test' };
  const org = (await s.repos.orgs.findOrg(orgId))!;
  await publishHub(t, orgId);
  await s.trustDocs.publishNda(orgId, { label: 'v1', text: 'Keep it confidential.\nDo not share.' }, actor);
  const make = async (title: string, kind: 'soc3-report' | 'soc2-type2-report' | 'pentest-summary' | 'policy', pages: number | null) => {
    const d = await s.trustDocs.createDocument(orgId, { title, kind, description: '' });
    if (pages !== null) {
      const blob = await s.blobs.put(Readable.from([Buffer.from(await samplePdf(pages, `${org.slug} ${title}`))]), { maxBytes: 10_000_000 });
      await s.trustDocs.addVersion(orgId, d.id, { label: '2026', sha256: blob.sha256, size: blob.size, filename: `${kind}.pdf` }, actor);
    }
    return d.id;
  };
  return {
    orgId, slug: org.slug,
    publicDoc: await make('SOC 3', 'soc3-report', 1),
    gatedA: await make('SOC 2 Type II', 'soc2-type2-report', 2),
    gatedB: await make('Pentest summary', 'pentest-summary', 1),
    privateDoc: await make('Internal policy', 'policy', 1),
    gatedEmpty: await make('Bridge letter placeholder', 'pentest-summary', null),
  };
}

/** Fills in and submits the request form; returns the visitor that did it. */
export async function requestAccess(server: FastifyInstance, f: { slug: string }, who: { name: string; email: string; company: string }, documentId?: string) {
  const v = new Visitor(server);
  const form = await v.get(documentId ? `/trust/${f.slug}/documents/${documentId}/request` : `/trust/${f.slug}/access`);
  if (form.statusCode !== 200) throw new Error(`form: ${form.statusCode}`);
  const res = await v.post(`/trust/${f.slug}/access`, {
    csrf: hidden(form.body, 'csrf'), ndaSha256: hidden(form.body, 'ndaSha256'), ...(documentId ? { documentId } : {}),
    ...who, reason: 'Vendor security review for our procurement.', acceptNda: 'true',
  });
  if (res.statusCode !== 303) throw new Error(`request: ${res.statusCode} ${res.body.slice(0, 500)}`);
  return v;
}

/** The newest magic link mailed to `email` by the org, as a path. */
export async function mailedLink(t: TestApp, orgId: string, email: string): Promise<string> {
  const mail = (await t.outbox(orgId)).filter((m) => m.to === email).find((m) => m.text.includes('/access/link?token='));
  if (!mail) throw new Error(`no link mailed to ${email}`);
  return new URL(/(https?:\/\/\S+\/access\/link\?token=\S+)/.exec(mail.text)![1]!).pathname + new URL(/(https?:\/\/\S+)/.exec(mail.text.slice(mail.text.indexOf('http')))![1]!).search;
}

/** Opens the landing page of a link and presses Continue, as a browser would. */
export async function redeem(v: Visitor, linkPath: string) {
  const landing = await v.get(linkPath);
  const slug = linkPath.split('/')[2]!;
  return v.post(`/trust/${slug}/access/link`, { token: hidden(landing.body, 'token'), csrf: hidden(landing.body, 'csrf') });
}
