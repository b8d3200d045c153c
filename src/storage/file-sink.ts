import type { FileHandle } from 'node:fs/promises';
import { Writable, type WritableOptions } from 'node:stream';

/** How many bytes the sink gathers before one writev; also its high-water mark. */
export const RUN_BYTES = 1024 * 1024;

/**
 * A write stream into an open file that gathers the incoming chunks (64 KiB from a socket) into
 * runs of about RUN_BYTES and writes each run with one `writev`, then fsyncs before it finishes.
 * Every file-system call is a round trip through libuv's thread pool that costs the event loop
 * far more than the copy itself, so a 1 MB upload takes one write instead of sixteen. At most one
 * run is held per sink, whatever the file's size. The caller owns (and closes) the handle.
 */
export class FileRunSink extends Writable {
  readonly #handle: FileHandle;
  #run: Buffer[] = [];
  #runBytes = 0;

  constructor(handle: FileHandle, options: Omit<WritableOptions, 'write' | 'writev' | 'final'> = {}) {
    super({ highWaterMark: RUN_BYTES, ...options });
    this.#handle = handle;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#run.push(chunk);
    this.#runBytes += chunk.length;
    if (this.#runBytes < RUN_BYTES) {
      callback();
      return;
    }
    this.#flush().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#flush().then(() => this.#handle.sync()).then(() => callback(), callback);
  }

  async #flush(): Promise<void> {
    let buffers = this.#run;
    this.#run = [];
    this.#runBytes = 0;
    // writev may write less than asked (a signal, a nearly full disk): go on from where it stopped.
    while (buffers.length) {
      const { bytesWritten } = await this.#handle.writev(buffers);
      if (bytesWritten === 0) throw new Error('The file system accepted no bytes.');
      buffers = rest(buffers, bytesWritten);
    }
  }
}

/** The buffers left after the first `written` bytes. */
function rest(buffers: Buffer[], written: number): Buffer[] {
  let i = 0;
  while (i < buffers.length && written >= buffers[i]!.length) written -= buffers[i++]!.length;
  if (i === buffers.length) return [];
  return [buffers[i]!.subarray(written), ...buffers.slice(i + 1)];
}
