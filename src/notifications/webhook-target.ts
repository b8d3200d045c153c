import dns from 'node:dns';
import net from 'node:net';
import { InvalidInputError } from '../lib/errors.ts';

/**
 * SSRF guard: webhooks go to the public internet only. Addresses in these ranges (private,
 * loopback, link-local incl. cloud metadata, CGNAT, multicast, reserved) are refused; loopback
 * only when the development flag allows plain-http loopback receivers.
 */
const blocked = new net.BlockList();
for (const [net4, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  blocked.addSubnet(net4, prefix, 'ipv4');
}
for (const [net6, prefix] of [['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8]] as const) {
  blocked.addSubnet(net6, prefix, 'ipv6');
}
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are checked against the IPv4 rules by BlockList itself.
const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.']);

export class RefusedTargetError extends Error {}

export function isAllowedAddress(address: string, allowLoopback: boolean): boolean {
  const family = net.isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (allowLoopback && loopback.check(address, family)) return true;
  return !blocked.check(address, family);
}

const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/** Checks what can be known without DNS; the answer names the field, for the API. */
export function assertWebhookUrl(raw: string, allowLoopback: boolean): URL {
  const fail = (message: string) => new InvalidInputError(message, [{ path: 'url', message }]);
  let url: URL;
  try { url = new URL(raw); } catch { throw fail('Enter a full URL.'); }
  if (url.username || url.password) throw fail('Put credentials in the signature check, not in the URL.');
  const host = bareHost(url.hostname).toLowerCase();
  const isLoopbackHost = LOOPBACK_NAMES.has(host) || (net.isIP(host) !== 0 && loopback.check(host, net.isIP(host) === 6 ? 'ipv6' : 'ipv4'));
  if (url.protocol === 'http:') {
    if (!(allowLoopback && isLoopbackHost)) throw fail('Use an https:// URL.');
  } else if (url.protocol !== 'https:') {
    throw fail('Use an https:// URL.');
  }
  if (net.isIP(host) && !isAllowedAddress(host, allowLoopback)) throw fail('This address is private or reserved; webhooks go to public addresses only.');
  if (LOOPBACK_NAMES.has(host) && !allowLoopback) throw fail('This address is private or reserved; webhooks go to public addresses only.');
  return url;
}

/**
 * A dns.lookup replacement for http(s).request: it refuses the connection when any resolved
 * address is not allowed, so the address checked is the address connected to (no DNS rebinding).
 */
export function guardedLookup(allowLoopback: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refused = list.find((a) => !isAllowedAddress(a.address, allowLoopback));
      if (refused || list.length === 0) return callback(new RefusedTargetError(`${hostname} resolves to ${refused?.address ?? 'nothing'}, a private or reserved address`), '', 0);
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** Resolves a URL's host now and refuses private answers (for tests and diagnostics; delivery uses guardedLookup). */
export async function resolveWebhookTarget(raw: string, allowLoopback: boolean): Promise<string[]> {
  const url = new URL(raw);
  const host = bareHost(url.hostname);
  const addresses = net.isIP(host) ? [host] : (await dns.promises.lookup(host, { all: true })).map((a) => a.address);
  const refused = addresses.find((a) => !isAllowedAddress(a, allowLoopback));
  if (refused) throw new RefusedTargetError(`${host} resolves to ${refused}, a private or reserved address`);
  return addresses;
}
