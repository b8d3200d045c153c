import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A browser-like client over fastify.inject: keeps the session cookie and sends the CSRF header. */
export class Agent {
  readonly server: FastifyInstance;
  cookie: string | null = null;
  csrf: string | null = null;
  bearer: string | null = null;

  constructor(server: FastifyInstance) {
    this.server = server;
  }

  static withToken(server: FastifyInstance, token: string): Agent {
    const a = new Agent(server);
    a.bearer = token;
    return a;
  }

  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in headers)) h['x-csrf-token'] = this.csrf;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    const res = await this.server.inject({ method: method as 'GET', url, headers: h, ...(body !== undefined ? { payload: body as object } : {}) });
    const set = res.cookies.find((c) => c.name === 'attest_session');
    if (set) this.cookie = set.value ? `attest_session=${set.value}` : null;
    return res;
  }

  get = (url: string, headers?: Record<string, string>) => this.request('GET', url, undefined, headers);
  post = (url: string, body?: unknown, headers?: Record<string, string>) => this.request('POST', url, body ?? {}, headers);
  patch = (url: string, body?: unknown, headers?: Record<string, string>) => this.request('PATCH', url, body ?? {}, headers);
  delete = (url: string, headers?: Record<string, string>) => this.request('DELETE', url, undefined, headers);

  async refreshCsrf() {
    const me = await this.get('/api/v1/auth/me');
    this.csrf = me.statusCode === 200 ? me.json().csrfToken : null;
  }
}
