// Worker thread of the audit (see ledger.audit-pages.ts). A full page that may be checked as one
// perfect subtree is checked here completely (auditSubtreePage) and only its root and problems
// go back; any other page gets its leaf hashes computed, and the page and hashes go back (moved,
// not copied) for auditLog to check entry by entry.
import { parentPort } from 'node:worker_threads';
import { AUDIT_PAGE, HASH, auditSubtreePage, copyBody, entryAt, leafHashAt, type SubtreeResult } from './ledger.audit-checks.ts';

/** `nodes` (the page's node tuples) only when the page may be checked as a subtree. */
export type HashRequest = { id: number; from: number; data: Uint8Array; nodes?: Uint8Array };
export type HashReply = { id: number; count: number; data: Uint8Array; leaves: Uint8Array } | { id: number; count: number; subtree: SubtreeResult };

const port = parentPort!;
const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** SHA-256 over each entry's 0x00-prefixed bytes, 32 bytes per entry in page order. */
function leafHashes(data: Buffer): { count: number; leaves: Buffer } {
  const hashes: Buffer[] = [];
  for (let e = entryAt(data, copyBody(data)); e; e = entryAt(data, e.next)) hashes.push(leafHashAt(data, e.start, e.entryLen));
  // Concatenated into memory of its own, so that it can be moved back.
  const leaves = Buffer.allocUnsafeSlow(hashes.length * HASH);
  hashes.forEach((h, i) => { h.copy(leaves, i * HASH); });
  return { count: hashes.length, leaves };
}

/** A buffer that owns its whole memory is moved; anything else (small pooled buffers) is copied by postMessage. */
const movable = (b: Buffer) => b.byteLength > 0 && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;

port.on('message', (msg: HashRequest) => {
  const data = asBuffer(msg.data);
  const subtree = msg.nodes ? auditSubtreePage(data, msg.from, asBuffer(msg.nodes)) : null;
  if (subtree) {
    port.postMessage({ id: msg.id, count: AUDIT_PAGE, subtree } satisfies HashReply);
    return;
  }
  const { count, leaves } = leafHashes(data);
  port.postMessage({ id: msg.id, count, data, leaves } satisfies HashReply, [data, leaves].filter(movable).map((b) => b.buffer as ArrayBuffer));
});
