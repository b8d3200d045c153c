import type { IncomingMessage } from 'node:http';

/**
 * Custom host names serve an org's hub at their root. Fastify routes before any hook runs, so the
 * mapping happens in its synchronous `rewriteUrl`: the host table is held in memory, reloaded in
 * the background when older than `maxAgeMs` and at once after a local change.
 */
export type HostRouter = {
  load(): Promise<void>;
  invalidate(): void;
  rewrite(req: Pick<IncomingMessage, 'url' | 'headers'>): string;
  slugOf(host: string): string | undefined;
};

/** Path under which a custom host's requests for anything that is not the hub land: always 404. */
export const NOT_ON_CUSTOM_HOST = '/__trust-hub-not-found';

export function hostOf(req: Pick<IncomingMessage, 'headers'>, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-host'] : undefined;
  const raw = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0] ?? req.headers.host ?? '';
  return raw.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
}

export function createHostRouter(deps: { loadHosts: () => Promise<{ host: string; slug: string }[]>; trustProxy: boolean; maxAgeMs?: number; log?: (m: string) => void }): HostRouter {
  let hosts = new Map<string, string>();
  let loadedAt = 0;
  let loading: Promise<void> | null = null;
  const maxAge = deps.maxAgeMs ?? 10_000;

  function load(): Promise<void> {
    loading ??= deps.loadHosts().then((rows) => {
      hosts = new Map(rows.map((r) => [r.host, r.slug]));
      loadedAt = Date.now();
    }).catch((e: unknown) => { deps.log?.(`[trust-hub] host table reload failed: ${String(e)}`); }).finally(() => { loading = null; });
    return loading;
  }

  return {
    load,
    invalidate() { loadedAt = 0; void load(); },
    slugOf: (host) => hosts.get(host),
    rewrite(req) {
      const url = req.url ?? '/';
      if (Date.now() - loadedAt > maxAge) void load();
      if (!hosts.size) return url;
      const slug = hosts.get(hostOf(req, deps.trustProxy));
      if (!slug) return url;
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      const query = q === -1 ? '' : url.slice(q);
      if (path === '/' || path === '') return `/trust/${slug}${query}`;
      if (path === '/feed.atom' || path === '/.well-known/security.txt') return `/trust/${slug}${path}${query}`;
      // The hub's own sub-pages (documents, access, sub-processors) keep their paths on the custom host.
      if (path === `/trust/${slug}` || path.startsWith(`/trust/${slug}/`)) return url;
      return NOT_ON_CUSTOM_HOST;
    },
  };
}
