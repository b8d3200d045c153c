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
:root{--accent:#1971c2;--accent-text:#1971c2;--button-bg:#1971c2;--button-fg:#fff;--fg:#1a1b1e;--muted:#495057;--line:#dee2e6;--bg:#fff;--soft:#f1f3f5}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent-text)}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid var(--accent-text);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
header.hub{border-bottom:4px solid var(--accent);padding:1rem 1.5rem}header.hub .brand{font-size:1.25rem;font-weight:700;color:var(--fg);text-decoration:none}
main{max-width:72rem;margin:0 auto;padding:1.5rem}footer.hub{max-width:72rem;margin:2rem auto;padding:1rem 1.5rem;color:var(--muted);border-top:1px solid var(--line);font-size:.875rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;border-bottom:1px solid var(--line);vertical-align:top}
.table-wrap{overflow-x:auto}
.badge{display:inline-block;padding:.1rem .55rem;border-radius:999px;font-size:.8rem;font-weight:600;border:1px solid transparent}
.badge-certified,.badge-attested{background:#d3f9d8;color:#1b5e20}.badge-in-process,.badge-audit-complete{background:#d0ebff;color:#0b4f8a}
.badge-planned{background:#e9ecef;color:#343a40}.badge-expired,.badge-withdrawn{background:#ffe3e3;color:#8a1c1c}
form.stack label{display:block;font-weight:600;margin-top:.75rem}form.stack input,form.stack textarea,form.stack select{width:100%;max-width:32rem;padding:.5rem;border:1px solid #868e96;border-radius:4px;font:inherit}
.error{color:#c92a2a}button,.button{display:inline-block;margin-top:1rem;padding:.55rem 1rem;border:0;border-radius:4px;background:var(--button-bg);color:var(--button-fg);font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
@media (max-width:40rem){main{padding:1rem}th,td{padding:.35rem}}`;

type Rgb = [number, number, number];
const rgbOf = (hex: string): Rgb => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const hexOf = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
/** WCAG 2 relative luminance and contrast ratio. */
const luminance = (c: Rgb) => {
  const [r, g, b] = c.map((v) => { const x = v / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
export const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(rgbOf(a)), luminance(rgbOf(b))].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
};
const WHITE = '#ffffff';
const INK = '#1a1b1e';

/**
 * The org picks any accent; the pages must stay readable (WCAG AA, 4.5:1) whatever it is. Links
 * use the accent darkened until it reads on white; buttons keep the accent as their background
 * and take white or dark text, whichever contrasts more.
 */
export function accentPalette(accentColor: string): { accent: string; accentText: string; buttonBg: string; buttonFg: string } {
  const accent = /^#[0-9a-f]{6}$/i.test(accentColor) ? accentColor.toLowerCase() : '#1971c2';
  let dark = rgbOf(accent);
  for (let i = 0; i < 20 && contrast(hexOf(dark), WHITE) < 4.5; i++) dark = dark.map((v) => v * 0.85) as Rgb;
  const accentText = hexOf(dark);
  const fg = contrast(accent, WHITE) >= contrast(accent, INK) ? WHITE : INK;
  // A mid-tone accent reads with neither: the button takes the darkened accent and white text.
  return contrast(accent, fg) >= 4.5 ? { accent, accentText, buttonBg: accent, buttonFg: fg } : { accent, accentText, buttonBg: accentText, buttonFg: WHITE };
}

/** The page shell every public hub page shares: skip link, branded header, landmarks, footer. */
export function hubShell(o: { brand: HubBrand; title: string; body: SafeHtml; head?: SafeHtml }): string {
  const p = accentPalette(o.brand.accentColor);
  const colours = `:root{--accent:${p.accent};--accent-text:${p.accentText};--button-bg:${p.buttonBg};--button-fg:${p.buttonFg}}`;
  return '<!doctype html>' + html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${o.brand.name} Trust Hub</title><style>${raw(BASE_CSS)}${raw(colours)}</style>${o.head}</head>
<body><a class="skip" href="#main">Skip to content</a>
<header class="hub"><a class="brand" href="/trust/${o.brand.slug}">${o.brand.name} Trust Hub</a></header>
<main id="main">${o.body}</main>
<footer class="hub">Computed from ${o.brand.name}'s compliance program in Attest.</footer></body></html>`.value;
}
