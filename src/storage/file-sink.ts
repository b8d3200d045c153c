import type { FileHandle } from 'node:fs/promises';
import { Writable, type WritableOptions } from 'node:stream';

/** How many bytes the sink gathers before one write. */
export const RUN_BYTES = 1024 * 1024;

/**
 * Run buffers of finished sinks, for the next ones: a fresh 1 MiB buffer is mapped and faulted in
 * page by page, and unmapped again when collected, on every upload otherwise.
 */
const spareRuns: Buffer[] = [];
const MAX_SPARE_RUNS = 64;

/**
 * A write stream into an open file that copies the incoming chunks (64 KiB from a socket) into one
 * run buffer of RUN_BYTES and writes it with one call when it is full, then fsyncs before it
 * finishes. Every file-system call is a round trip through libuv's thread pool that costs the
 * event loop far more than the copy, so a 1 MB upload takes one write instead of sixteen. Copying
 * (rather than keeping the chunks) lets each chunk die young: held for a whole run, they would
 * outlive the young generation and pile up as old garbage. The caller owns (and closes) the handle.
 */
export class FileRunSink extends Writable {
  readonly #handle: FileHandle;
  #run: Buffer | null = null;
  #used = 0;
  /** True while a write of the run is with the file system (the buffer may not be reused then). */
  #writing = false;

  constructor(handle: FileHandle, options: Omit<WritableOptions, 'write' | 'writev' | 'final'> = {}) {
    super(options);
    this.#handle = handle;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#run ??= spareRuns.pop() ?? Buffer.allocUnsafe(RUN_BYTES);
    const run = this.#run;
    if (this.#used + chunk.length < RUN_BYTES) {
      this.#used += chunk.copy(run, this.#used);
      callback();
      return;
    }
    this.#fill(chunk).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#flush().then(() => { this.#release(); return this.#handle.sync(); }).then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#writing) this.#release();
    callback(error);
  }

  #release(): void {
    if (this.#run && spareRuns.length < MAX_SPARE_RUNS) spareRuns.push(this.#run);
    this.#run = null;
    this.#used = 0;
  }

  /** Copies a chunk that fills the run (or more), writing each full run as it goes. */
  async #fill(chunk: Buffer): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      const copied = chunk.copy(this.#run!, this.#used, offset);
      this.#used += copied;
      offset += copied;
      if (this.#used === RUN_BYTES) await this.#flush();
    }
  }

  async #flush(): Promise<void> {
    let written = 0;
    this.#writing = true;
    try {
      // A write may take less than asked (a signal, a nearly full disk): go on from where it stopped.
      while (written < this.#used) {
        const { bytesWritten } = await this.#handle.write(this.#run!, written, this.#used - written);
        if (bytesWritten === 0) throw new Error('The file system accepted no bytes.');
        written += bytesWritten;
      }
    } finally {
      this.#writing = false;
    }
    this.#used = 0;
  }
}
