import { html, hubShell, type HubBrand, type SafeHtml } from '../trust-hub/html.ts';
import type { PublicSubprocessor, PublicSubprocessorChange } from './vendors.public-types.ts';

type Errors = Record<string, string>;
const dateOf = (d: Date) => d.toISOString().slice(0, 10);
const country = new Intl.DisplayNames(['en'], { type: 'region' });
const countryNames = (codes: string[]) => codes.map((c) => country.of(c) ?? c).join(', ');

function field(o: { name: string; label: string; value?: string; errors: Errors; type?: string; textarea?: boolean; autocomplete?: string }) {
  const err = o.errors[o.name];
  const id = `f-${o.name}`;
  const describedBy = err ? `${id}-error` : undefined;
  const control = o.textarea
    ? html`<textarea id="${id}" name="${o.name}" rows="5" required aria-invalid="${err ? 'true' : 'false'}" aria-describedby="${describedBy}">${o.value ?? ''}</textarea>`
    : html`<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}" required autocomplete="${o.autocomplete}" aria-invalid="${err ? 'true' : 'false'}" aria-describedby="${describedBy}">`;
  return html`<label for="${id}">${o.label}</label>${control}${err ? html`<p class="error" id="${id}-error">${err}</p>` : ''}`;
}
const csrf = (token: string) => html`<input type="hidden" name="csrf" value="${token}">`;
const summary = (errors: Errors) => Object.keys(errors).length ? html`<p class="error" role="alert">Please correct the fields marked below.</p>` : '';

export function subprocessorsPage(o: { brand: HubBrand; current: PublicSubprocessor[]; changes: PublicSubprocessorChange[]; token: string; email?: string; errors?: Errors }) {
  const errors = o.errors ?? {};
  const base = `/trust/${o.brand.slug}/subprocessors`;
  const rows = o.current.map((v) => html`<tr><th scope="row">${v.website ? html`<a href="${v.website}" rel="noopener">${v.name}</a>` : v.name}</th><td>${v.services}</td><td>${v.purpose}</td>
<td>${countryNames(v.countries)}</td><td>${v.dataCategories.join(', ')}</td></tr>`);
  const changes = o.changes.map((c) => html`<li><strong>${c.vendorName}</strong>: ${c.summary} Announced ${dateOf(c.announcedAt)}, takes effect ${dateOf(c.effectiveAt)}.
${c.objectionsOpen ? html` <a href="${base}/changes/${c.id}/object">Object to this change</a>` : ''}</li>`);
  const body = html`<h1>Sub-processors</h1>
<p>The companies that process customer data on our behalf, what for and where.</p>
<div class="table-wrap"><table><caption class="skip">Current sub-processors</caption><thead><tr><th scope="col">Name</th><th scope="col">Services</th><th scope="col">Purpose</th><th scope="col">Countries</th><th scope="col">Data categories</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="5">No sub-processors are listed.</td></tr>`}</tbody></table></div>
<h2>Announced changes</h2>${changes.length ? html`<ul>${changes}</ul>` : html`<p>No changes have been announced.</p>`}
<h2 id="subscribe">Get notified of changes</h2>
<form class="stack" method="post" action="${base}/subscribe" novalidate>${summary(errors)}${csrf(o.token)}
${field({ name: 'email', label: 'Work email', type: 'email', value: o.email, errors, autocomplete: 'email' })}
<button type="submit">Subscribe</button></form>`;
  return hubShell({ brand: o.brand, title: 'Sub-processors', body });
}

export function messagePage(brand: HubBrand, title: string, message: string, extra?: SafeHtml) {
  return hubShell({ brand, title, body: html`<h1>${title}</h1><p>${message}</p>${extra}<p><a href="/trust/${brand.slug}/subprocessors">Back to the sub-processor list</a></p>` });
}

/** Confirm and unsubscribe links open a page with a button: a mail scanner that follows links changes nothing. */
export function tokenActionPage(brand: HubBrand, o: { title: string; message: string; action: string; button: string; token: string; linkToken: string }) {
  return hubShell({ brand, title: o.title, body: html`<h1>${o.title}</h1><p>${o.message}</p>
<form method="post" action="${o.action}">${csrf(o.token)}<input type="hidden" name="token" value="${o.linkToken}"><button type="submit">${o.button}</button></form>` });
}

export function objectionPage(brand: HubBrand, o: { change: { id: string; vendorName: string; summary: string; effectiveAt: string | null }; token: string; values?: Record<string, string>; errors?: Errors }) {
  const errors = o.errors ?? {};
  const v = o.values ?? {};
  const body = html`<h1>Object to a sub-processor change</h1>
<p><strong>${o.change.vendorName}</strong>: ${o.change.summary}</p><p>Objections are accepted until the change takes effect on ${o.change.effectiveAt}.</p>
<form class="stack" method="post" action="/trust/${brand.slug}/subprocessors/changes/${o.change.id}/object" novalidate>${summary(errors)}${csrf(o.token)}
${field({ name: 'name', label: 'Your name', value: v.name, errors, autocomplete: 'name' })}
${field({ name: 'email', label: 'Work email', type: 'email', value: v.email, errors, autocomplete: 'email' })}
${field({ name: 'company', label: 'Company', value: v.company, errors, autocomplete: 'organization' })}
${field({ name: 'reason', label: 'Reason for the objection', value: v.reason, errors, textarea: true })}
<button type="submit">Send objection</button></form>`;
  return hubShell({ brand, title: 'Object to a change', body });
}
