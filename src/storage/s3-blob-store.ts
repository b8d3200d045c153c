import { randomUUID } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { NotFoundError } from '../lib/errors.ts';
import { assertSha256, BlobMeter, KeyedSerializer, type BlobStore, type ByteRange, type PutOptions, type StoredBlob } from './blob-store.ts';

export type S3BlobStoreOptions = {
  /** Custom endpoint of an S3-compatible server; unset: AWS S3 for the region. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>`: what most S3-compatible servers need. */
  forcePathStyle: boolean;
  /** Multipart part size; what one upload holds in memory is about (queueSize + 1) parts. */
  partSizeBytes?: number;
};

/** The largest object S3's CopyObject moves in one request; the final step of a put is such a copy. */
export const S3_COPY_LIMIT_BYTES = 5 * 1024 ** 3;
const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

/**
 * Blobs at `blobs/<sha256>` in one bucket. A put streams to `tmp/<uuid>` (multipart through
 * lib-storage, so a large file is never held in memory) while hashing; once the hash is known
 * the temporary object is copied server-side to its address unless that address already exists,
 * then deleted. Failed multipart uploads are aborted and the temporary key is deleted.
 *
 * Between app nodes two puts of the same new content can both copy; both write the same bytes to
 * the same key, so content never changes. Within one node puts of one hash are serialised.
 * Operators should still add a bucket lifecycle rule that aborts incomplete multipart uploads and
 * expires `tmp/` after a day: parts whose upload was in flight when a process died stay otherwise.
 */
export function createS3BlobStore(opts: S3BlobStoreOptions): BlobStore & { readonly client: S3Client; readonly bucket: string } {
  const client = new S3Client({
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    forcePathStyle: opts.forcePathStyle,
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
    // Only the checksums S3 demands: several S3-compatible servers reject the newer default CRC headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = opts.bucket;
  const partSize = opts.partSizeBytes ?? DEFAULT_PART_SIZE;
  const serializer = new KeyedSerializer();
  const keyOf = (sha256: string) => `blobs/${sha256}`;

  async function put(source: Readable, putOpts: PutOptions): Promise<StoredBlob> {
    if (putOpts.maxBytes > S3_COPY_LIMIT_BYTES) throw new RangeError(`S3 storage takes files of at most ${S3_COPY_LIMIT_BYTES} bytes (the CopyObject limit); got maxBytes ${putOpts.maxBytes}`);
    const meter = new BlobMeter(putOpts.maxBytes);
    const tmpKey = `tmp/${randomUUID()}`;
    const body = new PassThrough();
    const upload = new Upload({ client, params: { Bucket, Key: tmpKey, Body: body }, partSize, queueSize: QUEUE_SIZE, leavePartsOnError: false });
    try {
      // Destroying the body makes lib-storage abort the multipart upload before done() settles.
      const uploaded = upload.done().catch((e: unknown) => {
        body.destroy(e as Error);
        throw e;
      });
      const piped = pipeline(source, meter, body, putOpts.signal ? { signal: putOpts.signal } : {});
      const [pipeResult, uploadResult] = await Promise.allSettled([piped, uploaded]);
      if (pipeResult.status === 'rejected') throw pipeResult.reason;
      if (uploadResult.status === 'rejected') throw uploadResult.reason;
      const { sha256, size, mediaType } = await meter.result();
      const deduplicated = await serializer.run(sha256, async () => {
        if (await head(keyOf(sha256))) return true;
        await client.send(new CopyObjectCommand({
          Bucket, Key: keyOf(sha256), CopySource: `${encodeURIComponent(Bucket)}/${tmpKey}`, MetadataDirective: 'REPLACE', ContentType: mediaType,
        }));
        return false;
      });
      return { sha256, size, mediaType, deduplicated };
    } finally {
      // Also after a failure: a completed temporary object must not outlive the put. Should S3 refuse
      // the delete, the put's own outcome stands and sweepTemporary removes the object later.
      await client.send(new DeleteObjectCommand({ Bucket, Key: tmpKey })).catch(() => undefined);
    }
  }

  async function head(key: string): Promise<{ size: number } | null> {
    try {
      const res = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
      return { size: res.ContentLength ?? 0 };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async function open(sha256: string, range?: ByteRange): Promise<Readable> {
    assertSha256(sha256);
    try {
      const res = await client.send(new GetObjectCommand({
        Bucket, Key: keyOf(sha256), ...(range ? { Range: `bytes=${range.start}-${range.end ?? ''}` } : {}),
      }));
      // In Node the SDK's body is an http.IncomingMessage.
      return res.Body as Readable;
    } catch (e) {
      if (isNotFound(e)) throw new NotFoundError('File');
      throw e;
    }
  }

  async function stat(sha256: string): Promise<{ size: number } | null> {
    assertSha256(sha256);
    return head(keyOf(sha256));
  }

  async function remove(sha256: string): Promise<boolean> {
    assertSha256(sha256);
    if (!(await head(keyOf(sha256)))) return false;
    await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(sha256) }));
    return true;
  }

  async function sweepTemporary(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: 'tmp/', ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of page.Contents ?? []) {
        if (o.Key && o.LastModified && o.LastModified.getTime() < cutoff) {
          await client.send(new DeleteObjectCommand({ Bucket, Key: o.Key }));
          removed++;
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return removed;
  }

  return { kind: 's3', client, bucket: Bucket, put, open, stat, delete: remove, sweepTemporary };
}

function isNotFound(e: unknown): boolean {
  return e instanceof S3ServiceException && (e.$metadata.httpStatusCode === 404 || e.name === 'NoSuchKey' || e.name === 'NotFound');
}
