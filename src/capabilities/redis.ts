import type { AppSpec, Contribution } from '../model/types.ts';
import { pinned, REDIS_MAJOR } from '../model/versions.ts';

const LOCAL_URL = 'redis://localhost:6379';

/** Redis as an attached resource, reached through `REDIS_URL`; the worker's queue lives here. */
export function redis(_spec: AppSpec): Contribution {
  return {
    dependencies: pinned('ioredis'),
    config: [
      {
        name: 'REDIS_URL',
        description: 'Redis connection URL.',
        example: LOCAL_URL,
        secret: true,
        schema: 'z.url({ protocol: /^rediss?$/ })',
        type: 'string',
        error: 'must be a redis:// or rediss:// URL',
        invalid: 'http://cache.internal:6379',
        unreachable: 'redis://127.0.0.1:1',
      },
    ],
    services: [
      {
        name: 'redis',
        image: `redis:${REDIS_MAJOR}`,
        environment: {},
        ports: ['6379:6379'],
        healthcheck: ['CMD', 'redis-cli', 'ping'],
        // A queue must not lose jobs: no eviction under memory pressure, and an append-only file.
        command: ['redis-server', '--maxmemory-policy', 'noeviction', '--appendonly', 'yes'],
        dataPath: '/data',
        // The tests' own logical database on the same server (the tests empty queues they create).
        connection: { variable: 'REDIS_URL', url: LOCAL_URL, testUrl: `${LOCAL_URL}/1` },
      },
    ],
    templateDirs: ['redis'],
  };
}
