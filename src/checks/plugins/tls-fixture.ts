import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SecureVersion } from 'node:tls';

/** Test support: a real self-signed certificate for 127.0.0.1, made by the openssl CLI. */
export function selfSignedCertificate(days: number): { cert: string; key: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'attest-cert-'));
  try {
    execFileSync('/usr/bin/openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', String(days),
      '-subj', '/CN=attest-test', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'pipe' });
    return { cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'), key: readFileSync(path.join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Test support: a real HTTPS server on 127.0.0.1 with a random port. */
export async function startHttpsServer(
  tls: { cert: string; key: string; maxVersion?: SecureVersion },
  handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = https.createServer({ cert: tls.cert, key: tls.key, ...(tls.maxVersion ? { maxVersion: tls.maxVersion } : {}) }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
