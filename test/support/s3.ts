/**
 * A real S3-compatible server for the tests, speaking the S3 protocol over HTTP: @20minutes/s3rver (the
 * maintained fork of s3rver, Node.js 24), on a free port with its own folder. MinIO, which the generated
 * compose file runs, is on neither npm nor Debian here.
 *
 * `strict: false` accepts requests whose signature does not match: s3rver computes the canonical path of a
 * bucket-level request (HeadBucket, ListObjectsV2, CreateBucket) without the trailing slash the AWS SDK v3
 * sends in path style, so it refuses those correctly signed requests. Object requests and presigned URLs
 * are verified by a strict server.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { tempDir } from './scaffold.ts';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('@20minutes/s3rver') as S3rverClass;

/** s3rver's fixed credentials. */
export const S3_KEY = 'S3RVER';
export const S3_SECRET = 'S3RVER';

export interface S3Server {
  /** `http://S3RVER:S3RVER@127.0.0.1:<port>/<bucket>?region=us-east-1`: a STORAGE_URL for the bucket. */
  url: (bucket: string) => string;
  /** Makes a bucket (a folder of the server's), as compose and CI make the app's buckets before it starts. */
  addBucket: (bucket: string) => void;
  close: () => Promise<void>;
}

export async function s3Server(
  buckets: string[],
  { strict = true, directory = tempDir('s3') } = {},
): Promise<S3Server> {
  for (const bucket of buckets) fs.mkdirSync(path.join(directory, bucket), { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    allowMismatchedSignatures: !strict,
  });
  const { port } = await server.run();
  return {
    url: (bucket) => `http://${S3_KEY}:${S3_SECRET}@127.0.0.1:${port}/${bucket}?region=us-east-1`,
    addBucket: (bucket) => fs.mkdirSync(path.join(directory, bucket), { recursive: true }),
    close: () => server.close(),
  };
}
