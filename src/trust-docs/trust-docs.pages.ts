import { html, hubShell, raw, type HubBrand, type SafeHtml } from '../trust-hub/html.ts';
import type { PublicDocumentView } from './trust-docs.public.routes.ts';

export type FormValues = { name?: string; email?: string; company?: string; reason?: string };
export type FormErrors = Record<string, string>;

const field = (id: keyof FormValues, label: string, errors: FormErrors, input: SafeHtml) => html`
<label for="${id}">${label}</label>${input}${errors[id] ? html`<p class="error" id="${id}-error">${errors[id]}</p>` : ''}`;
const describedBy = (id: string, errors: FormErrors) => (errors[id] ? raw(` aria-invalid="true" aria-describedby="${id}-error"`) : raw(''));

export function requestPage(o: {
  brand: HubBrand; nda: { label: string; text: string; sha256: string } | null; document: { id: string; title: string } | null;
  csrf: string; values: FormValues; errors: FormErrors;
}): string {
  const { brand, values: v, errors: e } = o;
  if (!o.nda) {
    return hubShell({ brand, title: 'Request access', body: html`<h1>Request access</h1><p>${brand.name} does not take access requests for confidential documents at the moment.</p>` });
  }
  const summary = Object.keys(e).length ? html`<div role="alert" class="error"><p>Please correct the fields marked below.</p></div>` : '';
  const body = html`<h1>Request access${o.document ? html` to ${o.document.title}` : ''}</h1>
<p>Confidential documents of ${brand.name} are shared under a non-disclosure agreement. After ${brand.name} approves your request you receive a personal link by email; every download is stamped with your name, email and company.</p>
${summary}
<form class="stack" method="post" action="/trust/${brand.slug}/access" novalidate>
<input type="hidden" name="csrf" value="${o.csrf}"><input type="hidden" name="ndaSha256" value="${o.nda.sha256}">
${o.document ? html`<input type="hidden" name="documentId" value="${o.document.id}">` : ''}
${field('name', 'Full name', e, html`<input id="name" name="name" autocomplete="name" required maxlength="120" value="${v.name ?? ''}"${describedBy('name', e)}>`)}
${field('email', 'Work email', e, html`<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${v.email ?? ''}"${describedBy('email', e)}>`)}
${field('company', 'Company', e, html`<input id="company" name="company" autocomplete="organization" required maxlength="200" value="${v.company ?? ''}"${describedBy('company', e)}>`)}
${field('reason', 'Why you need access', e, html`<textarea id="reason" name="reason" rows="3" required maxlength="2000"${describedBy('reason', e)}>${v.reason ?? ''}</textarea>`)}
<h2>Non-disclosure agreement (${o.nda.label})</h2>
<div class="nda" tabindex="0" role="region" aria-label="NDA text" style="white-space:pre-wrap;max-height:20rem;overflow:auto;border:1px solid var(--line);padding:1rem;background:var(--soft)">${o.nda.text}</div>
<p><small>Version SHA-256: <code style="word-break:break-all">${o.nda.sha256}</code></small></p>
<label style="font-weight:400"><input type="checkbox" name="acceptNda" value="true" style="width:auto"${describedBy('acceptNda', e)}> I have read and accept this non-disclosure agreement on behalf of my company.</label>
${e.acceptNda ? html`<p class="error" id="acceptNda-error">${e.acceptNda}</p>` : ''}${e.ndaSha256 ? html`<p class="error">${e.ndaSha256}</p>` : ''}${e.form ? html`<p class="error">${e.form}</p>` : ''}
<button type="submit">Accept the NDA and request access</button>
</form>`;
  return hubShell({ brand, title: 'Request access', body });
}

export const sentPage = (brand: HubBrand) => hubShell({
  brand, title: 'Check your email',
  body: html`<h1>Check your email</h1><p>Thank you. Your request and your acceptance of the NDA are recorded. Once ${brand.name} approves the request, we email you a personal link to the documents. The link works once and only for you.</p><p><a href="/trust/${brand.slug}">Back to the Trust Hub</a></p>`,
});

export const landingPage = (brand: HubBrand, token: string, csrf: string) => hubShell({
  brand, title: 'Open your documents',
  body: html`<h1>Open your documents</h1><p>This link is personal and works once. Continue to start a session on this device.</p>
<form method="post" action="/trust/${brand.slug}/access/link"><input type="hidden" name="token" value="${token}"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">Continue to the documents</button></form>`,
});

export const deniedPage = (brand: HubBrand) => hubShell({
  brand, title: 'Link not valid',
  body: html`<h1>This link or session is no longer valid</h1><p>Links work once, expire, and stop working when access ends. <a href="/trust/${brand.slug}/access">Request access again</a> to receive a new link.</p>`,
});

export const notFoundPage = (brand: HubBrand | null) => {
  const b = brand ?? { name: 'Attest', slug: '', accentColor: '#1c7ed6' };
  return hubShell({ brand: b, title: 'Not found', body: html`<h1>Not found</h1><p>There is no such page.</p>` });
};

export const formExpiredPage = (brand: HubBrand) => hubShell({
  brand, title: 'Form expired',
  body: html`<h1>This form has expired</h1><p>For your security the form is valid for a limited time. <a href="/trust/${brand.slug}/access">Open it again</a>.</p>`,
});

export function documentsPage(brand: HubBrand, who: { name: string; email: string; expiresAt: Date }, docs: PublicDocumentView[]): string {
  const rows = docs.map((d) => html`<tr><td><a href="/trust/${brand.slug}/documents/${d.id}">${d.title}</a></td><td>${d.versionLabel}</td><td>${d.visibility === 'gated' ? 'Confidential (watermarked for you)' : 'Public'}</td></tr>`);
  return hubShell({
    brand, title: 'Your documents',
    body: html`<h1>Your documents</h1><p>For ${who.name} (${who.email}). Your access ends ${who.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC; every download is stamped with your name.</p>
<div class="table-wrap"><table><caption class="skip">Documents</caption><thead><tr><th scope="col">Document</th><th scope="col">Version</th><th scope="col">Access</th></tr></thead><tbody>${rows}</tbody></table></div>`,
  });
}
