import type { Contribution } from '../../model/types.ts';
import { defineCapability } from '../types.ts';
import { dependencies, REDIS_MAJOR } from './versions.ts';

const LOCAL_URL = 'redis://localhost:6379';

/** Redis as an attached resource, reached through `REDIS_URL`; the worker's queue lives here. */
export const redis = defineCapability({
  id: 'redis',
  help: 'Redis as a backing service (REDIS_URL)',
  requires: [],
  kinds: ['api', 'worker'],
  contribute,
});

function contribute(): Contribution {
  return {
    dependencies,
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
        label: 'Redis',
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
    clients: [
      {
        name: 'redis',
        type: 'Redis',
        imports: ["import { closeRedis, createRedis, pingRedis, type Redis, redisMajor } from './redis.ts';"],
        doc: 'Fails fast while Redis is away (see src/redis.ts); producers enqueue jobs through it.',
        create: "createRedis(config.REDIS_URL, logger, 'services')",
        check: 'pingRedis(services.redis, signal)',
        close: 'closeRedis(services.redis)',
        version: { service: 'redis', expected: REDIS_MAJOR, read: 'redisMajor(services.redis, signal)' },
      },
    ],
    templateDirs: ['redis'],
  };
}
