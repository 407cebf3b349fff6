import { millisecondsVar } from '../../model/config-vars.ts';
import type { AppSpec, Contribution } from '../../model/types.ts';
import { defineCapability, type KindTraits } from '../types.ts';
import { readme } from './readme.ts';
import { dependencies, devDependencies, POSTGRES_MAJOR } from './versions.ts';

/** PostgreSQL as an attached resource: `DATABASE_URL`, Kysely queries, migrations as the release process. */
export const postgres = defineCapability({
  id: 'postgres',
  help: 'PostgreSQL with Kysely and migrations (DATABASE_URL)',
  requires: [],
  // A worker may keep its own data; a client reaches its data through the API it calls.
  kinds: ['api', 'worker'],
  chosenBy: { option: 'db', value: 'postgres', label: 'PostgreSQL with Kysely and migrations' },
  contribute,
});

function contribute(spec: AppSpec, { api }: KindTraits): Contribution {
  const database = spec.name.replace(/^@[^/]+\//, '').replace(/[^a-z0-9_]/gi, '_');
  const localUrl = `postgres://postgres:postgres@localhost:5432/${database}`;
  return {
    dependencies,
    devDependencies,
    setupScripts: ['migrate:dev'],
    scripts: [
      {
        name: 'migrate',
        command: 'node --env-file-if-exists=.env dist/migrate.js up',
        description:
          'Apply pending migrations from the build in `dist/`, as the release process does (an admin process; it runs in the image). Idempotent; safe when two run at once.',
      },
      {
        name: 'migrate:dev',
        command: 'node --env-file-if-exists=.env src/migrate.ts up --create-database',
        description:
          'Apply pending migrations from the sources, first creating the database when the server has none of that name (development only: the release process never creates one).',
      },
      {
        name: 'migrate:down',
        command: 'node --env-file-if-exists=.env dist/migrate.js down',
        description:
          'Revert the last applied migration, from the build in `dist/` (an admin process; it runs in the image).',
      },
      {
        name: 'migrate:down:dev',
        command: 'node --env-file-if-exists=.env src/migrate.ts down',
        description: 'Revert the last applied migration, from the sources.',
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
      millisecondsVar(
        'DATABASE_STATEMENT_TIMEOUT_MS',
        'Longest a database query may take before it fails (ms); 0 for no limit. Migrations have none.',
        5000,
        'soon',
      ),
    ],
    services: [
      {
        name: 'postgres',
        label: 'PostgreSQL',
        image: `postgres:${POSTGRES_MAJOR}`,
        // Local development only: production gets its URL from the platform, never from this file.
        environment: { POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: database },
        ports: ['5432:5432'],
        healthcheck: ['CMD', 'pg_isready', '-U', 'postgres'],
        // The postgres image from 18 on keeps its data below this path (a major-versioned folder).
        dataPath: '/var/lib/postgresql',
        // The tests' database: `npm test` creates it when missing, and never touches the one above.
        connection: { variable: 'DATABASE_URL', url: localUrl, testUrl: `${localUrl}_test`, createdBy: 'migrate:dev' },
      },
    ],
    clients: [
      {
        name: 'db',
        type: 'Db',
        imports: [
          "import { sql } from 'kysely';",
          "import { createDb, type Db } from './db.ts';",
          "import { postgresMajor } from './db-version.ts';",
        ],
        create: 'createDb(config, logger)',
        check: 'sql`select 1`.execute(services.db, { signal })',
        close: 'services.db.destroy()',
        version: { service: 'postgres', expected: POSTGRES_MAJOR, read: 'postgresMajor(services.db, signal)' },
      },
    ],
    // The example routes and their tests need an API to live in; a worker gets the database only.
    routes: api ? [{ plugin: 'notes', module: './notes.ts', options: '{ db: services.db }' }] : [],
    templateDirs: ['postgres', ...(api ? ['postgres-api'] : [])],
    // Kysely reads the migrations folder at run time: each migration is a file of its own in dist/migrations/.
    entryPoints: ['migrate', 'migrations/*'],
    ownership: [
      { path: 'src/db.ts', owner: 'yours', what: 'the tables (`Database`) and the client' },
      { path: 'src/migrations/', owner: 'yours', what: 'one file per schema change (`migration:new`)' },
    ],
    readme,
  };
}
