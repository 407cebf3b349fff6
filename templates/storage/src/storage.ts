import { randomUUID } from 'node:crypto';
import { GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

/** The bucket of STORAGE_URL and a client for it. Every process gets one (`services.storage`). */
export interface Storage {
  client: S3Client;
  bucket: string;
  /** How long the presigned URLs this app hands out stay valid. */
  expiresInSeconds: number;
}

/**
 * `http(s)://ACCESS_KEY:SECRET@endpoint/bucket?region=REGION` as the SDK's options. Buckets are addressed
 * by path (`endpoint/bucket/key`), which every S3-compatible server understands, except on AWS itself,
 * where the bucket becomes part of the host name.
 */
export function parseStorageUrl(value: string) {
  const url = new URL(value);
  return {
    endpoint: url.origin,
    bucket: url.pathname.replace(/^\/|\/$/g, ''),
    region: url.searchParams.get('region') || 'us-east-1',
    credentials: { accessKeyId: decodeURIComponent(url.username), secretAccessKey: decodeURIComponent(url.password) },
    forcePathStyle: !url.hostname.endsWith('.amazonaws.com'),
  };
}

export function createStorage(
  config: Pick<Config, 'STORAGE_URL' | 'STORAGE_URL_EXPIRES_SECONDS'>,
  logger: Logger,
): Storage {
  const { bucket, ...options } = parseStorageUrl(config.STORAGE_URL);
  const ignore = () => {};
  const client = new S3Client({
    ...options,
    // The SDK's own warnings and errors (deprecations, misconfiguration) reach the app's log; its
    // per-request events do not.
    logger: {
      trace: ignore,
      debug: ignore,
      info: ignore,
      warn: (...content: unknown[]) => logger.warn({ sdk: content }, 'storage client warning'),
      error: (...content: unknown[]) => logger.error({ sdk: content }, 'storage client error'),
    },
    // An unreachable endpoint fails a request within seconds instead of hanging it.
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 },
    maxAttempts: 2,
    // Checksums only where S3 requires them: a presigned PUT then carries no checksum the uploader would
    // have to compute, and servers that do not know the newer checksum headers keep working.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { client, bucket, expiresInSeconds: config.STORAGE_URL_EXPIRES_SECONDS };
}

/** Resolves when the bucket answers (and the credentials may use it); `/readyz` turns it into 200 or 503. */
export async function checkStorage(storage: Storage, signal: AbortSignal): Promise<void> {
  await storage.client.send(new HeadBucketCommand({ Bucket: storage.bucket }), { abortSignal: signal });
}

export async function closeStorage(storage: Storage): Promise<void> {
  storage.client.destroy();
}

/** A new object's key: random, so a client can neither guess another's object nor overwrite it. */
export function newObjectKey(): string {
  return randomUUID();
}

/** A URL the holder may PUT one object to, until it expires; with a content type, the PUT must send it. */
export function presignUpload(storage: Storage, key: string, contentType?: string): Promise<string> {
  const command = new PutObjectCommand({
    Bucket: storage.bucket,
    Key: key,
    ...(contentType ? { ContentType: contentType } : {}),
  });
  return getSignedUrl(storage.client, command, { expiresIn: storage.expiresInSeconds });
}

/** A URL the holder may GET the object from, until it expires. */
export function presignDownload(storage: Storage, key: string): Promise<string> {
  const command = new GetObjectCommand({ Bucket: storage.bucket, Key: key });
  return getSignedUrl(storage.client, command, { expiresIn: storage.expiresInSeconds });
}

/** Whether the object exists; any other failure (unreachable storage, denied) is thrown. */
export async function objectExists(storage: Storage, key: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await storage.client.send(
      new HeadObjectCommand({ Bucket: storage.bucket, Key: key }),
      signal ? { abortSignal: signal } : {},
    );
    return true;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw err;
  }
}
