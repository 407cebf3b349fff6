import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dropDatabases, freshDatabase, query } from '../support/databases.ts';
import { generatedApp, tempDir } from '../support/scaffold.ts';

const test = suite('generated api: admin processes');

/** npm scripts of the generated app, with a clean environment plus what the test sets. */
function npmRun(dir: string, args: string[], env: Record<string, string> = {}, input?: string) {
  return execa('npm', ['run', '--silent', ...args], {
    cwd: dir,
    reject: false,
    extendEnv: false,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
  });
}

test.after(dropDatabases);

test('npm run migrate applies, npm run migrate:down reverts the last migration, both from dist/ as the image holds it', async () => {
  const { dir } = await generatedApp();
  // What the image's final stage holds: package.json, the Procfile and dist/, no src/ and no node_modules.
  const image = tempDir('admin-image');
  for (const entry of ['package.json', 'Procfile', 'dist'])
    fs.cpSync(path.join(dir, entry), path.join(image, entry), { recursive: true });
  const DATABASE_URL = await freshDatabase('admin');
  const notesPresent = "select to_regclass('public.notes') is not null as present";
  const up = await npmRun(image, ['migrate'], { DATABASE_URL });
  assert.is(up.exitCode, 0, String(up.stderr));
  assert.equal(await query(DATABASE_URL, notesPresent), [{ present: true }]);
  const down = await npmRun(image, ['migrate:down'], { DATABASE_URL });
  assert.is(down.exitCode, 0, String(down.stderr));
  assert.equal(await query(DATABASE_URL, notesPresent), [{ present: false }]);
  // The sources' variant, for development, reverts the same way.
  assert.is((await npmRun(dir, ['migrate:dev'], { DATABASE_URL })).exitCode, 0);
  assert.equal(await query(DATABASE_URL, notesPresent), [{ present: true }]);
  const downDev = await npmRun(dir, ['migrate:down:dev'], { DATABASE_URL });
  assert.is(downDev.exitCode, 0, String(downDev.stderr));
  assert.equal(await query(DATABASE_URL, notesPresent), [{ present: false }]);
});

test('npm run console evaluates against the same config and database as the web process', async () => {
  const { dir } = await generatedApp();
  const DATABASE_URL = await freshDatabase('console');
  assert.is((await npmRun(dir, ['migrate'], { DATABASE_URL })).exitCode, 0);
  await query(DATABASE_URL, "insert into notes (text) values ('from the console test')");
  const session = await npmRun(
    dir,
    ['console'],
    { DATABASE_URL, LOG_LEVEL: 'warn' },
    ['config.PORT', "(await db.selectFrom('notes').select('text').execute())[0].text", ''].join('\n'),
  );
  assert.is(session.exitCode, 0, String(session.stderr));
  assert.match(String(session.stdout), /3000/);
  assert.match(String(session.stdout), /from the console test/);
});

test('npm run migration:new creates a timestamped migration, and refuses a bad name', async () => {
  const { dir } = await generatedApp();
  const folder = path.join(dir, 'src', 'migrations');
  const before = new Set(fs.readdirSync(folder));
  const created = await npmRun(dir, ['migration:new', 'add_users']);
  assert.is(created.exitCode, 0, String(created.stderr));
  const added = fs.readdirSync(folder).filter((file) => !before.has(file));
  assert.is(added.length, 1);
  assert.match(added[0] ?? '', /^\d{14}_add_users\.ts$/);
  // Leave the shared app as generated for the other cases.
  fs.rmSync(path.join(folder, added[0]!));

  const refused = await npmRun(dir, ['migration:new', 'Add Users!']);
  assert.is(refused.exitCode, 1);
  assert.match(String(refused.stderr), /migration name must be snake_case/);
  assert.equal(new Set(fs.readdirSync(folder)), before);
});

test.run();
