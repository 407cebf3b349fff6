import { writeFileSync } from 'node:fs';
import path from 'node:path';

const skeleton = `import type { Kysely } from 'kysely';

// Migrations take Kysely<unknown>, not the app's Database: they are frozen in time and must keep
// compiling after the Database interface has moved on.
export async function up(db: Kysely<unknown>): Promise<void> {}

export async function down(db: Kysely<unknown>): Promise<void> {}
`;

const name = process.argv[2] ?? '';
if (!/^[a-z][a-z0-9_]{0,99}$/.test(name)) {
  process.stderr.write(
    'The migration name must be snake_case (lowercase letters, digits and underscores, starting with a letter), e.g. npm run migration:new add_users.\n',
  );
  process.exit(1);
}

// A UTC timestamp prefix sorts migrations in creation order, which is the order Kysely applies them.
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const file = path.join(import.meta.dirname, 'migrations', `${stamp}_${name}.ts`);
writeFileSync(file, skeleton, { flag: 'wx' });
process.stdout.write(`Created ${path.relative(process.cwd(), file)}\n`);
