import type { CheckContext } from '../context.ts';
import type { Finding } from '../types.ts';

const ADMIN_SCRIPT = /migrat|seed|console|repl|admin|^db[:-]|task|enqueue|cli|rake|manage/i;
const DATABASE_PACKAGES = ['pg', 'postgres', 'mysql', 'mysql2', 'mariadb', 'mssql', 'mongodb', 'mongoose', 'knex', 'kysely', 'prisma', '@prisma/client', 'typeorm', 'sequelize', 'drizzle-orm', 'sqlite3', 'better-sqlite3', '@mikro-orm/core'];

/** 12. Admin tasks (migrations, consoles, one-off scripts) ship with the app and run as one-off processes. */
export function adminProcesses({ repo, procfile }: CheckContext): Finding[] {
  const scripts = Object.keys(repo.packageJson.scripts ?? {}).filter((name) => ADMIN_SCRIPT.test(name));
  const release = procfile?.processes.some((process) => process.type === 'release');
  const migrations = repo.files.some((file) => /(?:^|\/)migrations?\//.test(file) || /(?:^|\/)prisma\/schema\.prisma$/.test(file));
  const bin = repo.packageJson.bin !== undefined;
  if (scripts.length > 0 || release || migrations || bin) return [];
  const deps = { ...repo.packageJson.dependencies };
  const database = DATABASE_PACKAGES.find((name) => name in deps);
  return [
    {
      factor: 'admin-processes',
      severity: database ? 'fail' : 'warn',
      message: database
        ? `The app uses a database (${database}) but has no migrations or admin scripts to run against a release.`
        : 'No admin scripts (migrations, a console, one-off tasks) ship with the app.',
      file: 'package.json',
      hint: 'Commit admin tasks with the code and run them as one-off processes, e.g. "migrate": "node dist/migrate.js" and a Procfile `release:` line.',
    },
  ];
}
