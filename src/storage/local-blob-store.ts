import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFoundError } from '../lib/errors.ts';
import { FileRunSink } from './file-sink.ts';
import { assertSha256, BlobMeter, type BlobStore, type ByteRange, type PutOptions, type StoredBlob } from './blob-store.ts';

/**
 * Blobs under `<dataDir>/blobs/<aa>/<bb>/<sha256>`, temporary files under `<dataDir>/blobs/tmp/`
 * (same file system, so the final step is a link, not a copy). A put is acknowledged only after
 * the file and its directory entry are fsynced, so an acknowledged upload survives a crash.
 */
export function createLocalBlobStore(dataDir: string): BlobStore & { readonly root: string; pathOf(sha256: string): string } {
  const root = path.join(dataDir, 'blobs');
  const tmpDir = path.join(root, 'tmp');
  let ready: Promise<void> | null = null;
  const ensureTmpDir = () => (ready ??= mkdirDurable(tmpDir).catch((e) => {
    ready = null;
    throw e;
  }));
  const dirOf = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256.slice(2, 4));
  const pathOf = (sha256: string) => path.join(dirOf(sha256), sha256);

  async function put(source: Readable, opts: PutOptions): Promise<StoredBlob> {
    const meter = new BlobMeter(opts.maxBytes);
    await ensureTmpDir();
    const tmp = path.join(tmpDir, `${randomUUID()}.part`);
    // Opened before the pipeline starts, so no file can appear after the cleanup below. Created
    // read-only (this descriptor may still write): a stored blob is never modified in place.
    const handle = await fs.open(tmp, 'wx', 0o444);
    try {
      try {
        // The sink fsyncs before it finishes, so the bytes are on disk before the file gets its address.
        await pipeline(source, meter, new FileRunSink(handle), opts.signal ? { signal: opts.signal } : {});
      } finally {
        await handle.close();
      }
      const { sha256, size, mediaType } = await meter.result();
      const dir = dirOf(sha256);
      const created = await fs.mkdir(dir, { recursive: true });
      let deduplicated = false;
      try {
        // link fails on an existing name where rename would replace it: a stored blob is never overwritten.
        await fs.link(tmp, path.join(dir, sha256));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        deduplicated = true;
      }
      // The new name, and the entries of any directory made for it, are durable before we answer;
      // these syncs are independent, so they run together (the file system can commit them as one).
      const toSync = [...(deduplicated ? [] : [dir]), ...parentsOfCreated(dir, created)];
      await Promise.all(toSync.map(fsyncDir));
      return { sha256, size, mediaType, deduplicated };
    } finally {
      await unlinkIfPresent(tmp);
    }
  }

  async function open(sha256: string, range?: ByteRange): Promise<Readable> {
    assertSha256(sha256);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(pathOf(sha256), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError('File');
      throw e;
    }
    return handle.createReadStream(range ? { start: range.start, ...(range.end === undefined ? {} : { end: range.end }) } : {});
  }

  async function stat(sha256: string): Promise<{ size: number } | null> {
    assertSha256(sha256);
    try {
      return { size: (await fs.stat(pathOf(sha256))).size };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async function remove(sha256: string): Promise<boolean> {
    assertSha256(sha256);
    try {
      await fs.unlink(pathOf(sha256));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
    await fsyncDir(dirOf(sha256));
    return true;
  }

  async function sweepTemporary(olderThanMs: number): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(tmpDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of names) {
      const file = path.join(tmpDir, name);
      const st = await fs.stat(file).catch(() => null);
      if (st && st.mtimeMs < cutoff) {
        await fs.rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }

  return { kind: 'local', root, pathOf, put, open, stat, delete: remove, sweepTemporary };
}

/** mkdir -p that also fsyncs the parent of every directory it created, so the new path survives a crash. */
async function mkdirDurable(dir: string): Promise<void> {
  const created = await fs.mkdir(dir, { recursive: true });
  await Promise.all(parentsOfCreated(dir, created).map(fsyncDir));
}

/** The directories whose entries changed when `mkdir -p dir` created `firstCreated` and everything below it. */
function parentsOfCreated(dir: string, firstCreated: string | undefined): string[] {
  if (firstCreated === undefined) return [];
  const parents: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    parents.push(path.dirname(d));
    if (d === firstCreated || d === path.dirname(d)) break;
  }
  return parents;
}

async function unlinkIfPresent(file: string): Promise<void> {
  await fs.unlink(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
