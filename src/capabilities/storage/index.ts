import { kubernetesName } from '../../model/deploy.ts';
import type { AppSpec, Contribution } from '../../model/types.ts';
import { defineCapability, type KindTraits } from '../types.ts';
import { readme } from './readme.ts';
import { dependencies, MINIO_IMAGE } from './versions.ts';

/** MinIO's development credentials (compose only: production's come from its Secret). */
const LOCAL_KEY = 'minioadmin';
const LOCAL_SECRET = 'minioadmin';

/**
 * One URL per service, as DATABASE_URL and REDIS_URL (docs/decisions.md, issue 20): the endpoint's
 * origin, the credentials as user and password, the bucket as the path, the region as a parameter.
 */
export const STORAGE_URL_SCHEMA = `z.url({ protocol: /^https?$/ }).check(z.refine((value: string) => {
      const url = new URL(value);
      return url.username !== '' && url.password !== '' && /^\\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\\/?$/.test(url.pathname);
    }))`;

/** Object storage over the S3 protocol (AWS S3, MinIO, R2, …), reached through `STORAGE_URL`. */
export const storage = defineCapability({
  id: 'storage',
  help: 'S3-compatible object storage with presigned uploads (STORAGE_URL)',
  requires: [],
  kinds: ['api', 'worker'],
  contribute,
});

function contribute(spec: AppSpec, { api }: KindTraits): Contribution {
  const bucket = `${kubernetesName(spec.name)}-files`;
  const origin = `http://${LOCAL_KEY}:${LOCAL_SECRET}@localhost:9000`;
  const localUrl = `${origin}/${bucket}?region=us-east-1`;
  return {
    dependencies,
    config: [
      {
        name: 'STORAGE_URL',
        description:
          'Object storage: http(s)://ACCESS_KEY:SECRET@endpoint/bucket?region=REGION (credentials percent-encoded).',
        example: localUrl,
        secret: true,
        schema: STORAGE_URL_SCHEMA,
        type: 'string',
        error:
          'must be an http:// or https:// URL with the access key, the secret and the bucket (https://KEY:SECRET@host/bucket)',
        invalid: 'http://localhost:9000/bucket',
        // Nothing listens on port 1: every request fails at once, which is what a readiness test needs.
        unreachable: `http://key:secret@127.0.0.1:1/${bucket}?region=us-east-1`,
      },
      {
        name: 'STORAGE_URL_EXPIRES_SECONDS',
        description: 'How long a presigned upload or download URL stays valid (seconds, at most 7 days).',
        example: '300',
        default: '300',
        secret: false,
        schema: 'integer(1, 604_800)',
        type: 'number',
        error: 'must be an integer between 1 and 604800',
        invalid: '0',
      },
    ],
    services: [
      {
        name: 'minio',
        label: 'MinIO (S3-compatible storage)',
        image: MINIO_IMAGE,
        // Local development only: production gets its URL, credentials included, from its Secret.
        environment: { MINIO_ROOT_USER: LOCAL_KEY, MINIO_ROOT_PASSWORD: LOCAL_SECRET },
        ports: ['9000:9000'],
        healthcheck: ['CMD', 'mc', 'ready', 'local'],
        // A top-level folder of MinIO's data is a bucket: the app's and the tests' exist from the start.
        command: ['sh', '-c', `mkdir -p /data/${bucket} /data/${bucket}-test && exec minio server /data`],
        commandRequired: true,
        dataPath: '/data',
        connection: {
          variable: 'STORAGE_URL',
          url: localUrl,
          testUrl: `${origin}/${bucket}-test?region=us-east-1`,
        },
      },
    ],
    clients: [
      {
        name: 'storage',
        type: 'Storage',
        imports: ["import { checkStorage, closeStorage, createStorage, type Storage } from './storage.ts';"],
        doc: 'The S3 client and the bucket of STORAGE_URL; presigned URLs let clients move the bytes themselves.',
        create: 'createStorage(config, logger)',
        check: 'checkStorage(services.storage, signal)',
        close: 'closeStorage(services.storage)',
      },
    ],
    routes: api ? [{ plugin: 'uploads', module: './uploads.ts', options: '{ storage: services.storage }' }] : [],
    templateDirs: ['storage', ...(api ? ['storage-api'] : [])],
    ownership: [{ path: 'src/storage.ts', owner: 'yours', what: 'the S3 client, presigned URLs and object keys' }],
    readme,
  };
}
