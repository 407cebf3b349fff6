import type { AppSpec, Contribution } from '../model/types.ts';
import { pinned, POSTGRES_MAJOR } from '../model/versions.ts';

/** PostgreSQL as an attached resource: `DATABASE_URL`, Kysely queries, migrations as the release process. */
export function postgres(spec: AppSpec): Contribution {
  const database = spec.name.replace(/^@[^/]+\//, '').replace(/[^a-z0-9_]/gi, '_');
  const localUrl = `postgres://postgres:postgres@localhost:5432/${database}`;
  return {
    dependencies: pinned('kysely', 'pg'),
    devDependencies: pinned('@types/pg'),
    scripts: [
      {
        name: 'migrate',
        command: 'node --env-file-if-exists=.env src/migrate.ts up --create-database',
        description: 'Apply pending migrations, first creating the database when the server has none of that name (development only: the release process never creates one). Idempotent; safe when two run at once.',
      },
      {
        name: 'migrate:down',
        command: 'node --env-file-if-exists=.env src/migrate.ts down',
        description: 'Revert the last applied migration.',
      },
      {
        name: 'migration:new',
        command: 'node --env-file-if-exists=.env src/migration-new.ts',
        description: 'Create `src/migrations/<timestamp>_<name>.ts`: `npm run migration:new add_users`.',
      },
    ],
    processes: [
      {
        name: 'release',
        command: 'node dist/migrate.js up',
        description: 'Runs once per release, before the new web processes start: applies pending migrations.',
        release: true,
      },
    ],
    config: [
      {
        name: 'DATABASE_URL',
        description: 'PostgreSQL connection URL.',
        example: localUrl,
        secret: true,
        schema: 'z.url({ protocol: /^postgres(ql)?$/ })',
        type: 'string',
        error: 'must be a postgres:// or postgresql:// URL',
        invalid: 'mysql://db.internal/app',
        // Nothing listens on port 1: queries fail at once, which is what a readiness test needs.
        unreachable: 'postgres://127.0.0.1:1/none',
      },
      {
        name: 'DATABASE_POOL_MAX',
        description: 'Most connections one process keeps open to PostgreSQL.',
        example: '10',
        default: '10',
        secret: false,
        schema: 'integer(1)',
        type: 'number',
        error: 'must be an integer of at least 1',
        invalid: '1.5',
      },
    ],
    services: [
      {
        name: 'postgres',
        image: `postgres:${POSTGRES_MAJOR}`,
        // Local development only: production gets its URL from the platform, never from this file.
        environment: { POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: database },
        ports: ['5432:5432'],
        healthcheck: ['CMD', 'pg_isready', '-U', 'postgres'],
        // The postgres image from 18 on keeps its data below this path (a major-versioned folder).
        dataPath: '/var/lib/postgresql',
        // The tests' database: `npm test` creates it when missing, and never touches the one above.
        connection: { variable: 'DATABASE_URL', url: localUrl, testUrl: `${localUrl}_test` },
      },
    ],
    templateDirs: ['postgres'],
  };
}
