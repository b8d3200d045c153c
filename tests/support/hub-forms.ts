/** A no-JavaScript visitor of the public hub: keeps cookies, reads the CSRF hidden field, posts urlencoded forms. */
export class HubVisitor {
  readonly cookies = new Map<string, string>();
  lastCsrf = '';
  readonly baseUrl: string;
  constructor(baseUrl: string) { this.baseUrl = baseUrl; }

  private remember(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      this.cookies.set(name!.trim(), value.join('='));
    }
  }
  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(path: string) {
    const res = await fetch(this.baseUrl + path, { headers: { cookie: this.cookieHeader(), accept: 'text/html' }, redirect: 'manual' });
    this.remember(res);
    const body = await res.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(body);
    if (csrf) this.lastCsrf = csrf[1]!;
    return { status: res.status, body, headers: res.headers };
  }
  async post(path: string, fields: Record<string, string>, opts: { csrf?: string } = {}) {
    const form = new URLSearchParams({ csrf: opts.csrf ?? this.lastCsrf, ...fields });
    const res = await fetch(this.baseUrl + path, {
      method: 'POST', body: form.toString(), redirect: 'manual',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    });
    this.remember(res);
    return { status: res.status, body: await res.text() };
  }
}
