// Worker thread of the audit (see ledger.audit-pages.ts): decodes a page of the log as the
// database sent it and computes every entry's leaf hash. It checks nothing itself: every
// comparison stays in auditLog, which gets the decoded page and the hashes back (moved, not copied).
import crypto from 'node:crypto';
import { parentPort } from 'node:worker_threads';

export type HashRequest = { id: number; count: number; base64: string };
export type HashReply = { id: number; data: Uint8Array; leaves: Uint8Array };

const port = parentPort!;

/** SHA-256 over each entry's 0x00-prefixed bytes as packed by the repo's auditPage, 32 bytes per entry. */
function leafHashes(data: Buffer, count: number): Buffer {
  const leaves = Buffer.allocUnsafeSlow(count * 32);
  for (let i = 0, d = 0; i < count && d + 6 <= data.length; i++) {
    const entryLen = data.readInt32BE(d);
    const start = d + 6 + data.readInt16BE(d + 4) + 1;
    // The latin1 string result is the cheap way out of crypto.hash (see merkle.ts).
    leaves.write(crypto.hash('sha256', data.subarray(start - 1, start + entryLen), 'binary'), i * 32, 32, 'latin1');
    d = start + entryLen + 32;
  }
  return leaves;
}

/** A buffer that owns its whole memory is moved; anything else (small pooled buffers) is copied by postMessage. */
const movable = (b: Buffer) => b.byteLength > 0 && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;

port.on('message', (msg: HashRequest) => {
  const data = Buffer.from(msg.base64, 'base64');
  const leaves = leafHashes(data, msg.count);
  port.postMessage({ id: msg.id, data, leaves } satisfies HashReply, [data, leaves].filter(movable).map((b) => b.buffer as ArrayBuffer));
});
