import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accentPalette, contrast, html, hubShell, raw } from './html.ts';

test('interpolated text is escaped, raw and nested html are not', () => {
  const name = '<script>alert("x")</script> & co';
  const out = html`<p title="${name}">${name}</p>${raw('<hr>')}${[html`<i>${'a<b'}</i>`]}`.value;
  assert.equal(out, '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</p><hr><i>a&lt;b</i>');
});

test('the shell refuses a colour that is not a hex value, so branding cannot inject CSS', () => {
  const page = hubShell({ brand: { name: 'Acme', slug: 'acme', accentColor: 'red;}body{display:none' }, title: 'Overview', body: html`<h1>Hi</h1>` });
  assert.ok(!page.includes('display:none'));
  assert.match(page, /^<!doctype html><html lang="en">/);
  assert.match(page, /<main id="main"><h1>Hi<\/h1><\/main>/);
});

test('any accent an org picks keeps links and buttons readable (WCAG AA 4.5:1)', () => {
  for (const accent of ['#ffd43b', '#1c7ed6', '#0b7285', '#0b3d91', '#ff6b6b', '#ffffff', '#000000', '#40c057', '#868e96']) {
    const p = accentPalette(accent);
    assert.equal(p.accent, accent, 'the decorative accent (header rule) is the org\u2019s own');
    assert.ok(contrast(p.accentText, '#ffffff') >= 4.5, `${accent}: link colour ${p.accentText} on white`);
    assert.ok(contrast(p.buttonBg, p.buttonFg) >= 4.5, `${accent}: button ${p.buttonFg} on ${p.buttonBg}`);
  }
  // A dark accent is used as it is; a yellow one gets dark button text.
  assert.deepEqual(accentPalette('#0b3d91'), { accent: '#0b3d91', accentText: '#0b3d91', buttonBg: '#0b3d91', buttonFg: '#ffffff' });
  assert.equal(accentPalette('#ffd43b').buttonFg, '#1a1b1e');
  const page = hubShell({ brand: { name: 'Acme', slug: 'acme', accentColor: '#FFD43B' }, title: 'Overview', body: html`<h1>Hi</h1>` });
  assert.match(page, /--accent:#ffd43b;--accent-text:#[0-9a-f]{6};--button-bg:#ffd43b;--button-fg:#1a1b1e/);
});
