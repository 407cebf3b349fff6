import type { CheckContext } from '../context.ts';
import type { Finding } from '../types.ts';

const MIGRATION_SCRIPT = /migrat|^db[:-]|rake|manage/i;
const ONE_OFF_SCRIPT = /console|repl|shell|seed|admin|task|enqueue|cli|job|backfill|import|export|script|^db[:-]/i;
const ONE_OFF_FILES = /^(?:scripts|tasks|commands|bin)\/[^/]+\.[cm]?[jt]s$|(?:^|\/)(?:console|repl)\.[cm]?[jt]s$/;
/** Databases with a schema to migrate; schemaless stores (MongoDB, Redis) need no migrations. */
const SCHEMA_DATABASES = [
  'pg',
  'postgres',
  'mysql',
  'mysql2',
  'mariadb',
  'mssql',
  'knex',
  'kysely',
  'prisma',
  '@prisma/client',
  'typeorm',
  'sequelize',
  'drizzle-orm',
  'sqlite3',
  'better-sqlite3',
  '@mikro-orm/core',
];

/** 12. Admin tasks (migrations, a console, one-off scripts) ship with the app and run as one-off processes. */
export function adminProcesses({ repo, procfile }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const scripts = Object.keys(repo.packageJson.scripts ?? {});
  const release = procfile?.processes.some((process) => process.type === 'release');
  const migrations =
    scripts.some((name) => MIGRATION_SCRIPT.test(name)) ||
    release ||
    repo.files.some((file) => /(?:^|\/)migrations?\//.test(file) || /(?:^|\/)prisma\/schema\.prisma$/.test(file));
  const database = SCHEMA_DATABASES.find((name) => name in { ...repo.packageJson.dependencies });
  if (database && !migrations) {
    findings.push({
      rule: 'admin-processes/migrations',
      severity: 'fail',
      message: `The app uses a database (${database}) but has no migrations to run against a release.`,
      file: 'package.json',
      hint: 'Commit migrations with the code and run them as a one-off process, e.g. "migrate": "node dist/migrate.js" and a Procfile `release:` line.',
    });
  }
  // A `bin` entry is the package's command for its users, not an admin task of the running app.
  const oneOff =
    scripts.some((name) => ONE_OFF_SCRIPT.test(name) && !MIGRATION_SCRIPT.test(name)) ||
    repo.files.some((file) => ONE_OFF_FILES.test(file) && !/^bin\//.test(file));
  if (!oneOff) {
    findings.push({
      rule: 'admin-processes/one-off-scripts',
      severity: 'warn',
      message:
        'No console or other one-off admin script ships with the app: inspecting or fixing production data means ad-hoc code.',
      file: 'package.json',
      hint: 'Add a console script (a REPL with the app’s config and clients), e.g. "console": "node dist/console.js", and commit one-off tasks as scripts.',
    });
  }
  return findings;
}
