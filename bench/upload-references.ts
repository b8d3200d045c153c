// Reference servers for the upload benchmark: what this machine can do at most with the same client
// and the same bodies, without Attest. Neither parses multipart, authenticates or writes a record.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export type ReferenceServer = { url: string; close(): Promise<void> };

async function listen(server: http.Server): Promise<ReferenceServer> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Only SHA-256-hashes each body and answers 201: the cost of moving and hashing the bytes. */
export function hashOnlyServer(): Promise<ReferenceServer> {
  return listen(http.createServer((req, res) => {
    const hash = crypto.createHash('sha256');
    req.on('data', (c: Buffer) => hash.update(c));
    req.on('end', () => { hash.digest(); res.writeHead(201).end('{}'); });
  }));
}

/** Writes one file, syncs it, renames it to its hash and syncs the directory. */
async function store(tmp: string, chunks: Buffer[], sha256: string) {
  const file = await fs.open(tmp, 'wx');
  try {
    await file.writev(chunks);
    await file.sync();
  } finally {
    await file.close();
  }
  const dir = path.dirname(tmp);
  await fs.rename(tmp, path.join(dir, sha256));
  const d = await fs.open(dir, 'r');
  try { await d.sync(); } finally { await d.close(); }
}

/**
 * The least a durable content-addressed store must do: hash the body, write it to a new file with
 * one writev, fsync it, rename it to its hash and fsync the directory, then answer 201. One flat
 * directory, the body held in memory, no multipart, no database.
 */
export async function minimalDurableServer(dir: string): Promise<ReferenceServer> {
  await fs.mkdir(dir, { recursive: true });
  let n = 0;
  return listen(http.createServer((req, res) => {
    const hash = crypto.createHash('sha256');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => { hash.update(c); chunks.push(c); });
    req.on('end', () => {
      store(path.join(dir, `${n++}.part`), chunks, hash.digest('hex'))
        .then(() => res.writeHead(201).end('{}'), (e: unknown) => res.writeHead(500).end(String(e)));
    });
  }));
}
