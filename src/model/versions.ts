/**
 * Every version a generated app depends on, in one place, exact (never a range): the lockfile pins
 * the rest of the tree, and a bump here is one reviewed line plus a changeset.
 */
export const NODE_VERSION = '24.21.0';

/** The Postgres major used by docker-compose and CI, which must match production (dev/prod parity). */
export const POSTGRES_MAJOR = 18;

/** The Redis major used by docker-compose and CI; the one the worker's queue is tested against. */
export const REDIS_MAJOR = 7;

export const PACKAGE_VERSIONS = {
  '@changesets/cli': '3.0.3',
  '@fastify/cors': '11.4.3',
  '@fastify/static': '9.3.0',
  '@types/react': '19.3.3',
  '@types/react-dom': '19.3.0',
  '@vitejs/plugin-react': '6.3.0',
  // OpenTelemetry's 2.x SDK line: @sentry/node-core accepts @opentelemetry/api below 1.10 only, and the
  // 3.x line requires 1.10, so an app with both error reporting and tracing would not install.
  '@opentelemetry/api': '1.9.1',
  '@opentelemetry/exporter-trace-otlp-http': '0.223.1',
  '@opentelemetry/instrumentation': '0.223.0',
  '@opentelemetry/instrumentation-http': '0.223.0',
  '@opentelemetry/instrumentation-ioredis': '0.71.0',
  '@opentelemetry/instrumentation-pg': '0.76.0',
  '@opentelemetry/instrumentation-pino': '0.69.0',
  '@opentelemetry/resources': '2.12.1',
  '@opentelemetry/sdk-trace-node': '2.12.1',
  '@sentry/node-core': '10.78.0',
  '@types/node': '24.19.2',
  '@types/pg': '8.23.1',
  bullmq: '6.7.0',
  fastify: '5.12.8',
  ioredis: '6.0.0',
  kysely: '0.29.9',
  pg: '8.23.1',
  pino: '10.4.0',
  react: '19.3.1',
  'react-dom': '19.3.1',
  typescript: '7.0.2',
  vite: '8.4.0',
  zod: '4.6.7',
} as const;

export type PackageName = keyof typeof PACKAGE_VERSIONS;

/** Exact `name: version` pairs for the given packages, as a capability contributes them. */
export function pinned(...names: PackageName[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, PACKAGE_VERSIONS[name]]));
}

/** Used for `packageManager` when the user's own version is not known (they did not run us with it). */
export const PACKAGE_MANAGER_VERSIONS = {
  npm: '11.19.1',
  pnpm: '12.21.0',
  yarn: '4.18.1',
} as const;
