import multipart, { type FastifyMultipartOptions, type MultipartFields } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, InvalidInputError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../lib/errors.ts';
import type { BlobStore, StoredBlob } from './blob-store.ts';

/** Text fields an upload form may carry beside its one file (a title, a control id, a note). */
const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 64 * 1024;

/**
 * Registers @fastify/multipart for streaming: nothing is buffered or written to disk by the
 * plugin; routes read the one file with receiveUpload. `maxBytes` is the instance-wide ceiling
 * (ATTEST_UPLOAD_MAX_MB); a route may pass a smaller limit to receiveUpload.
 */
export async function registerMultipart(app: FastifyInstance, maxBytes: number): Promise<void> {
  const options: FastifyMultipartOptions = {
    limits: { fileSize: maxBytes, files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 1, headerPairs: 100 },
    throwFileSizeLimit: true,
  };
  await app.register(multipart, options);
}

export type ReceivedUpload = {
  blob: StoredBlob;
  /** The client's file name without any directory part; informational only. */
  filename: string;
  /** What the client said the type was; the stored type is blob.mediaType (sniffed). */
  declaredType: string;
  /** Text fields sent before the file part (forms must put their fields first). */
  fields: Record<string, string>;
};

/**
 * Receives one file from a multipart/form-data request and streams it straight into the blob
 * store with a size limit. A client that disconnects mid-upload aborts the put, which removes
 * its temporary object. Errors: 415 when not multipart, 400 without a file (or a file under
 * another field name), 413 past the limit.
 */
export async function receiveUpload(
  req: FastifyRequest,
  blobs: BlobStore,
  opts: { maxBytes: number; fileField?: string },
): Promise<ReceivedUpload> {
  const fileField = opts.fileField ?? 'file';
  if (!req.isMultipart()) throw new UnsupportedMediaTypeError('Send the file as multipart/form-data.');
  const disconnected = new AbortController();
  const onClose = () => {
    if (!req.raw.complete) disconnected.abort(new Error('The client disconnected before the upload finished.'));
  };
  req.raw.once('close', onClose);
  try {
    // One more byte than the limit reaches the store, whose own check then names the limit.
    const part = await req.file({ limits: { fileSize: opts.maxBytes + 1 } }).catch((e: unknown) => {
      throw parseError(e, e, opts.maxBytes);
    });
    if (!part || part.filename === '') {
      part?.file.resume();
      throw missingFile(fileField);
    }
    if (part.fieldname !== fileField) {
      part.file.resume();
      throw new InvalidInputError(`Send the file in the "${fileField}" field.`, [{ path: fileField, message: `Expected the file here, got it in "${part.fieldname}".` }]);
    }
    try {
      const blob = await blobs.put(part.file, { maxBytes: opts.maxBytes, signal: disconnected.signal });
      return { blob, filename: baseName(part.filename), declaredType: part.mimetype, fields: textFields(part.fields, fileField) };
    } catch (e) {
      // Keep reading (and discarding) what the client is still sending, so the error answer reaches
      // it: closing a socket with unread bytes resets the connection and can drop the answer.
      req.raw.resume();
      // An error of the part stream is the client's malformed body (busboy may have failed it
      // before we started reading); any other error is the store's and stays a 500.
      throw parseError(e, part.file.errored, opts.maxBytes);
    }
  } finally {
    req.raw.off('close', onClose);
  }
}

/** Multipart parse failures (busboy's plain errors, the plugin's 400s) as a 400 naming the body; the rest unchanged. */
function parseError(e: unknown, fromParser: unknown, maxBytes: number): unknown {
  if (e instanceof AppError) return e;
  const err = e as { code?: string; statusCode?: number; message?: string };
  if (err.code === 'FST_REQ_FILE_TOO_LARGE') return new PayloadTooLargeError(maxBytes);
  if (e !== fromParser) return e;
  if (err.statusCode !== undefined && err.statusCode !== 400) return e;
  const message = err.message ?? 'malformed';
  return new InvalidInputError(`The multipart/form-data body is malformed: ${message}.`, [{ path: 'body', message }]);
}

function missingFile(field: string) {
  return new InvalidInputError('Attach a file.', [{ path: field, message: 'Required' }]);
}

function textFields(fields: MultipartFields, fileField: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name === fileField || value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first?.type === 'field' && typeof first.value === 'string') out[name] = first.value;
  }
  return out;
}

function baseName(filename: string): string {
  return filename.split(/[\\/]/).pop()!.slice(0, 255);
}
