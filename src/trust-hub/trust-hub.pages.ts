/**
 * The Trust Hub overview as server-rendered HTML (database-free: it renders a model). Every value
 * goes through the escaping `html` tag; the page needs no JavaScript.
 */
import type { CertificationKind, CertificationStatus } from '../certifications/certifications.tables.ts';
import type { PublicDocument, PublicResponsibility, PublicSubprocessor, PublicSubprocessorChange } from './hub-sections.ts';
import { html, hubShell, raw, type HubBrand, type SafeHtml } from './html.ts';

export type CommitmentHealth = 'passing' | 'failing' | 'stale' | 'no-evidence';
export type HubProduct = { id: string; name: string; slug: string };
export type HubCertification = {
  id: string; name: string; kind: CertificationKind; status: CertificationStatus; frameworkId: string;
  issuer: { name: string; role: string } | null;
  details: { asOf?: string | null; periodStart?: string | null; periodEnd?: string | null; issuedOn?: string | null; expiresOn?: string | null; program?: string | null; level?: string | null; certificateNumber?: string | null };
  validUntil: string | null; rolesCovered: string[]; inScope: HubProduct[]; outOfScope: HubProduct[]; locations: string[]; scopeNotes: string;
};
export type HubModel = {
  brand: HubBrand; intro: string; basePath: string; feedPath: string; securityTxtPath: string | null; securityContacts: string[];
  certifications: HubCertification[]; products: HubProduct[];
  commitments: { id: string; statement: string; category: 'security' | 'privacy'; health: { health: CommitmentHealth; checkedAt: Date | null } | null }[];
  documents: PublicDocument[]; subprocessors: { current: PublicSubprocessor[]; changes: PublicSubprocessorChange[] }; responsibilities: PublicResponsibility[];
  preview?: boolean;
};

const BADGES: Record<CertificationStatus, { label: string; cls: string }> = {
  certified: { label: 'Certified', cls: 'certified' }, attested: { label: 'Attested', cls: 'attested' },
  'in-process': { label: 'In process', cls: 'in-process' }, 'audit-complete': { label: 'In process', cls: 'in-process' },
  planned: { label: 'Planned', cls: 'planned' }, expired: { label: 'Expired', cls: 'expired' }, withdrawn: { label: 'Withdrawn', cls: 'withdrawn' },
};
export const badgeOf = (s: CertificationStatus) => BADGES[s];

const KIND_LABELS: Record<CertificationKind, string> = {
  certificate: 'Certificate', 'soc2-type1': 'SOC 2 Type I report', 'soc2-type2': 'SOC 2 Type II report', soc3: 'SOC 3 report',
  'attestation-of-compliance': 'Attestation of compliance', 'code-of-conduct': 'Code of conduct adherence', 'government-authorization': 'Government authorization', other: 'Other',
};
const ROLE_LABELS: Record<string, string> = { controller: 'Controller', processor: 'Processor', merchant: 'Merchant', 'service-provider': 'Service provider' };
const ISSUER_ROLES: Record<string, string> = { auditor: 'auditor', assessor: 'assessor', 'certification-body': 'certification body', 'monitoring-body': 'monitoring body', government: 'government' };
const HEALTH: Record<CommitmentHealth, string> = { passing: 'Check passing', failing: 'Check failing', stale: 'Check result stale', 'no-evidence': 'No check result yet' };

const fmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
export const formatDay = (iso: string) => fmt.format(new Date(`${iso}T00:00:00Z`));
const time = (iso: string) => html`<time datetime="${iso}">${formatDay(iso)}</time>`;

function when(c: HubCertification): SafeHtml {
  const d = c.details;
  if (d.periodStart && d.periodEnd) return html`Period ${time(d.periodStart)} – ${time(d.periodEnd)}`;
  if (d.asOf) return html`As of ${time(d.asOf)}`;
  const parts: SafeHtml[] = [];
  if (d.issuedOn) parts.push(html`Issued ${time(d.issuedOn)}`);
  if (d.expiresOn) parts.push(html`expires ${time(d.expiresOn)}`);
  return parts.length ? html`${parts.map((p, i) => (i ? html`, ${p}` : p))}` : html`Date not yet set`;
}

/** Reports carry no expiry of their own: their validity is derived, so it is stated. */
function validity(c: HubCertification): SafeHtml | string {
  if (!c.validUntil || c.details.expiresOn) return '';
  if (c.status === 'certified' || c.status === 'attested') return html`; valid until ${time(c.validUntil)}`;
  if (c.status === 'expired') return html`; lapsed after ${time(c.validUntil)}`;
  return '';
}

const list = (items: string[], empty = 'None stated') => (items.length ? items.join(', ') : empty);

function certificationCard(c: HubCertification): SafeHtml {
  const badge = badgeOf(c.status);
  const program = c.details.program ? html` · ${c.details.program} ${c.details.level ?? ''}` : '';
  return html`<article class="cert" aria-labelledby="cert-${c.id}">
<h3 id="cert-${c.id}">${c.name} <span class="badge badge-${badge.cls}">${badge.label}</span></h3>
<p class="muted">${KIND_LABELS[c.kind]}${program}</p>
<dl>
<dt>Issuer</dt><dd>${c.issuer ? html`${c.issuer.name} (${ISSUER_ROLES[c.issuer.role] ?? c.issuer.role})` : 'Not yet named'}</dd>
<dt>Date</dt><dd>${when(c)}${validity(c)}</dd>
<dt>Roles covered</dt><dd>${list(c.rolesCovered.map((r) => ROLE_LABELS[r] ?? r))}</dd>
<dt>In scope</dt><dd>${list(c.inScope.map((p) => p.name))}</dd>
<dt>Out of scope</dt><dd>${list(c.outOfScope.map((p) => p.name))}</dd>
<dt>Locations</dt><dd>${list(c.locations)}</dd>
</dl>${c.scopeNotes ? html`<p>${c.scopeNotes}</p>` : ''}</article>`;
}

function matrix(m: HubModel): SafeHtml {
  if (!m.products.length || !m.certifications.length) return html`<p>No products are listed yet.</p>`;
  const cell = (c: HubCertification, p: HubProduct) => {
    if (c.inScope.some((x) => x.id === p.id)) return html`<td><span class="badge badge-${badgeOf(c.status).cls}">${badgeOf(c.status).label}</span></td>`;
    if (c.outOfScope.some((x) => x.id === p.id)) return html`<td>Out of scope</td>`;
    return html`<td><span class="muted">Not stated</span></td>`;
  };
  return html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="matrix-caption"><table>
<caption id="matrix-caption">Which certification covers which product</caption>
<thead><tr><th scope="col">Product</th>${m.certifications.map((c) => html`<th scope="col">${c.name}</th>`)}</tr></thead>
<tbody>${m.products.map((p) => html`<tr><th scope="row">${p.name}</th>${m.certifications.map((c) => cell(c, p))}</tr>`)}</tbody></table></div>`;
}

function commitments(m: HubModel): SafeHtml {
  if (!m.commitments.length) return html`<p>No commitments are published yet.</p>`;
  const group = (category: 'security' | 'privacy', title: string) => {
    const items = m.commitments.filter((c) => c.category === category);
    if (!items.length) return '';
    return html`<h3>${title}</h3><ul class="commitments">${items.map((c) => html`<li>${c.statement}${c.health
      ? html` <span class="health health-${c.health.health}">${HEALTH[c.health.health]}${c.health.checkedAt ? html`, <time datetime="${c.health.checkedAt.toISOString()}">${formatDay(c.health.checkedAt.toISOString().slice(0, 10))}</time>` : ''}</span>` : ''}</li>`)}</ul>`;
  };
  return html`${group('security', 'Security')}${group('privacy', 'Privacy')}`;
}

function documents(m: HubModel): SafeHtml {
  if (!m.documents.length) return html`<p>No documents are published yet.</p>`;
  return html`<ul class="docs">${m.documents.map((d) => html`<li><a href="${m.basePath}/documents/${d.id}${d.visibility === 'gated' ? '/request' : ''}">${d.title}</a>
 <span class="muted">${d.versionLabel}${d.visibility === 'gated' ? ' · available on request under NDA' : ' · download'}</span>${d.description ? html`<br>${d.description}` : ''}</li>`)}</ul>`;
}

function subprocessors(m: HubModel): SafeHtml {
  const { current, changes } = m.subprocessors;
  const table = current.length ? html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="sp-caption"><table><caption id="sp-caption">Current sub-processors</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Service and purpose</th><th scope="col">Countries</th><th scope="col">Data</th></tr></thead>
<tbody>${current.map((s) => html`<tr><th scope="row">${s.website && /^https?:\/\//i.test(s.website) ? html`<a href="${s.website}" rel="noopener">${s.name}</a>` : s.name}</th><td>${s.services}. ${s.purpose}</td><td>${s.countries.join(', ')}</td><td>${s.dataCategories.join(', ')}</td></tr>`)}</tbody></table></div>`
    : html`<p>No sub-processors are listed yet.</p>`;
  const upcoming = changes.length ? html`<h3>Announced changes</h3><ul>${changes.map((c) => html`<li>${c.summary} (effective ${time(c.effectiveAt.toISOString().slice(0, 10))})${c.objectionsOpen ? html` · <a href="${m.basePath}/subprocessors/changes/${c.id}/object">Object to this change</a>` : ''}</li>`)}</ul>` : '';
  const subscribe = current.length || changes.length ? html`<p><a href="${m.basePath}/subprocessors#subscribe">Get notified of sub-processor changes</a></p>` : '';
  return html`${table}${upcoming}${subscribe}`;
}

function responsibilities(m: HubModel): SafeHtml {
  if (!m.responsibilities.length) return html`<p>No customer responsibilities are published yet.</p>`;
  return html`<ul>${m.responsibilities.map((r) => html`<li>${r.statement} <span class="muted">(${r.criteria.map((c) => `${c.framework} ${c.id}`).join(', ')}${r.products.length ? html`; ${r.products.map((p) => p.name).join(', ')}` : ''})</span></li>`)}</ul>
<p><a href="${m.basePath}/responsibilities.csv">Download as CSV</a> · <a href="${m.basePath}/responsibilities.pdf">Download as PDF</a></p>`;
}

const EXTRA_CSS = `.muted{color:#495057}.badge{white-space:nowrap}.cert{border:1px solid var(--line);border-radius:8px;padding:1rem;margin:0 0 1rem}.cert h3{margin:0 0 .25rem}
.cert dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0 0}.cert dt{font-weight:600}.cert dd{margin:0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:1rem}.health{font-size:.85rem;color:#495057}
.health-passing{color:#1b5e20}.health-failing{color:#8a1c1c}nav.sections ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;list-style:none}
caption{text-align:left;font-weight:600;padding:.25rem 0}section{margin-top:2rem}.preview-note{background:#fff3bf;padding:.5rem 1rem;border-radius:4px}
@media (max-width:40rem){.cert dl{grid-template-columns:1fr}.cert dt{margin-top:.25rem}}`;

export function renderOverview(m: HubModel): string {
  const s = m.brand.name;
  const body = html`${m.preview ? html`<p class="preview-note">Preview: this is how the hub looks with the current settings.</p>` : ''}
<h1>${s} Trust Hub</h1>${m.intro ? html`<p>${m.intro}</p>` : ''}
<nav class="sections" aria-label="Sections"><ul><li><a href="#certifications">Certifications</a></li><li><a href="#scope">Product scope</a></li><li><a href="#commitments">Commitments</a></li>
<li><a href="#documents">Documents</a></li><li><a href="#subprocessors">Sub-processors</a></li><li><a href="#responsibilities">Customer responsibilities</a></li><li><a href="#contact">Security contact</a></li></ul></nav>
<section id="certifications" aria-labelledby="h-certifications"><h2 id="h-certifications">Certifications and attestations</h2>
${m.certifications.length ? html`<div class="grid">${m.certifications.map(certificationCard)}</div>` : html`<p>No certifications are published yet.</p>`}</section>
<section id="scope" aria-labelledby="h-scope"><h2 id="h-scope">Product scope</h2>${matrix(m)}</section>
<section id="commitments" aria-labelledby="h-commitments"><h2 id="h-commitments">Security and privacy commitments</h2>${commitments(m)}</section>
<section id="documents" aria-labelledby="h-documents"><h2 id="h-documents">Compliance resources</h2>${documents(m)}</section>
<section id="subprocessors" aria-labelledby="h-subprocessors"><h2 id="h-subprocessors">Sub-processors</h2>${subprocessors(m)}</section>
<section id="responsibilities" aria-labelledby="h-responsibilities"><h2 id="h-responsibilities">Customer responsibilities</h2>${responsibilities(m)}</section>
<section id="contact" aria-labelledby="h-contact"><h2 id="h-contact">Security contact</h2>
${m.securityContacts.length ? html`<ul>${m.securityContacts.map((c) => html`<li><a href="${c}">${c.replace(/^mailto:|^tel:/, '')}</a></li>`)}</ul>` : html`<p>No contact is published yet.</p>`}
<p>${m.securityTxtPath ? html`<a href="${m.securityTxtPath}">security.txt</a> · ` : ''}<a href="${m.feedPath}">Updates feed (Atom)</a></p></section>`;
  return hubShell({
    brand: m.brand, title: 'Overview', body,
    head: html`<style>${raw(EXTRA_CSS)}</style><link rel="alternate" type="application/atom+xml" title="${s} Trust Hub updates" href="${m.feedPath}">`,
  });
}
