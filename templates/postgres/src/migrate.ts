import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import { loadConfig } from './config.ts';
import { createDb } from './db.ts';
import { createLogger } from './logger.ts';
import { DatabaseUnavailable, prepareDatabase } from './prepare-database.ts';

// `up` by default, so the release phase can run `node dist/migrate.js` as is. `--create-database`
// is passed by `npm run migrate:dev` only: development creates its database, a release never does.
const [direction = 'up', ...flags] = process.argv.slice(2);
if ((direction !== 'up' && direction !== 'down') || flags.some((flag) => flag !== '--create-database')) {
  process.stderr.write(`Usage: migrate.ts [up|down] [--create-database] (got "${process.argv.slice(2).join(' ')}").\n`);
  process.exit(1);
}

const config = loadConfig();
const logger = createLogger(config);
try {
  const { created } = await prepareDatabase(config.DATABASE_URL, { create: flags.includes('--create-database') });
  if (created !== undefined) logger.info({ database: created }, `database "${created}" did not exist: created it`);
} catch (err) {
  if (!(err instanceof DatabaseUnavailable)) throw err;
  logger.error(err.message);
  process.exit(1);
}
// No statement timeout for migrations: a schema change on a large table may rightly take minutes.
const db = createDb({ ...config, DATABASE_STATEMENT_TIMEOUT_MS: 0 }, logger);

// Kysely runs all pending migrations in one transaction under a Postgres advisory lock: two
// releases racing on a fresh database apply them once, and a failing migration leaves the schema
// untouched. The folder sits next to this file, so the same code migrates from src/ (.ts, dev) and
// dist/ (.js, production); Kysely skips .d.ts and .map files.
const migrator = new Migrator({
  db,
  provider: new FileMigrationProvider({
    fs,
    path,
    migrationFolder: path.join(import.meta.dirname, 'migrations'),
    // A file URL, not a path: import() of an absolute path fails on Windows.
    import: (file) => import(pathToFileURL(file).href),
  }),
});

const { error, results = [] } = direction === 'up' ? await migrator.migrateToLatest() : await migrator.migrateDown();
for (const { migrationName, status } of results) {
  // After a failure the transaction rolled back the whole batch, including the migrations that ran.
  const outcome = error !== undefined && status === 'Success' ? 'RolledBack' : status;
  logger[status === 'Error' ? 'error' : 'info']({ migration: migrationName, direction, status: outcome }, 'migration');
}
await db.destroy();

if (error !== undefined) {
  logger.error({ err: error, direction }, 'migrations failed');
  process.exit(1);
}
const count = results.filter((result) => result.status === 'Success').length;
logger.info({ direction, count }, count === 0 ? 'nothing to migrate' : 'migrations complete');
