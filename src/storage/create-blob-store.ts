import type { Config } from '../config/config.ts';
import type { BlobStore } from './blob-store.ts';
import { createLocalBlobStore } from './local-blob-store.ts';
import { createS3BlobStore } from './s3-blob-store.ts';

/** The store ATTEST_STORAGE selects: the data directory by default, an S3-compatible bucket for several nodes. */
export function createBlobStore(config: Pick<Config, 'dataDir' | 'storage'>): BlobStore {
  const s = config.storage;
  if (s.kind === 'local') return createLocalBlobStore(config.dataDir);
  return createS3BlobStore({
    endpoint: s.endpoint, region: s.region, bucket: s.bucket, accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, forcePathStyle: s.forcePathStyle,
  });
}
