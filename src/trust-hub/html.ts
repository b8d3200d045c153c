/**
 * Server-rendered HTML for the public Trust Hub pages (they work without JavaScript). Values
 * interpolated into `html` are escaped unless wrapped in `raw`, so visitor- and admin-supplied
 * text can never inject markup.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export class SafeHtml {
  readonly value: string;
  constructor(value: string) { this.value = value; }
  toString() { return this.value; }
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
/** Markup that is already safe (built by `html`, or a constant). */
export const raw = (s: string) => new SafeHtml(s);

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];
function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => { out += render(v) + strings[i + 1]!; });
  return new SafeHtml(out);
}

export type HubBrand = { name: string; slug: string; accentColor: string };

const BASE_CSS = `
:root{--accent:#1c7ed6;--fg:#1a1b1e;--muted:#495057;--line:#dee2e6;--bg:#fff;--soft:#f1f3f5}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
header.hub{border-bottom:4px solid var(--accent);padding:1rem 1.5rem}header.hub .brand{font-size:1.25rem;font-weight:700;color:var(--fg);text-decoration:none}
main{max-width:72rem;margin:0 auto;padding:1.5rem}footer.hub{max-width:72rem;margin:2rem auto;padding:1rem 1.5rem;color:var(--muted);border-top:1px solid var(--line);font-size:.875rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;border-bottom:1px solid var(--line);vertical-align:top}
.table-wrap{overflow-x:auto}
.badge{display:inline-block;padding:.1rem .55rem;border-radius:999px;font-size:.8rem;font-weight:600;border:1px solid transparent}
.badge-certified,.badge-attested{background:#d3f9d8;color:#1b5e20}.badge-in-process,.badge-audit-complete{background:#d0ebff;color:#0b4f8a}
.badge-planned{background:#e9ecef;color:#343a40}.badge-expired,.badge-withdrawn{background:#ffe3e3;color:#8a1c1c}
form.stack label{display:block;font-weight:600;margin-top:.75rem}form.stack input,form.stack textarea,form.stack select{width:100%;max-width:32rem;padding:.5rem;border:1px solid #868e96;border-radius:4px;font:inherit}
.error{color:#c92a2a}button,.button{display:inline-block;margin-top:1rem;padding:.55rem 1rem;border:0;border-radius:4px;background:var(--accent);color:#fff;font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
@media (max-width:40rem){main{padding:1rem}th,td{padding:.35rem}}`;

/** The page shell every public hub page shares: skip link, branded header, landmarks, footer. */
export function hubShell(o: { brand: HubBrand; title: string; body: SafeHtml; head?: SafeHtml }): string {
  const accent = /^#[0-9a-f]{6}$/i.test(o.brand.accentColor) ? o.brand.accentColor : '#1c7ed6';
  return '<!doctype html>' + html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${o.brand.name} Trust Hub</title><style>${raw(BASE_CSS)}:root{--accent:${raw(accent)}}</style>${o.head}</head>
<body><a class="skip" href="#main">Skip to content</a>
<header class="hub"><a class="brand" href="/trust/${o.brand.slug}">${o.brand.name} Trust Hub</a></header>
<main id="main">${o.body}</main>
<footer class="hub">Computed from ${o.brand.name}'s compliance program in Attest.</footer></body></html>`.value;
}
