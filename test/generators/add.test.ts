/**
 * `add <capability>`: the same three-way merge as `update`, run in-process on apps written to temp dirs
 * (the recorded version is this one, so the base is rendered here). The CLI calls `addToApp`; one case
 * runs it as the Yeoman sub-generator other generators compose.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import helpers, { result } from 'yeoman-test';
import PostgresGenerator from '../../generators/postgres/index.ts';
import { buildModel } from '../../src/app-model.ts';
import type { CapabilityId } from '../../src/capabilities/registry.ts';
import type { AppSpec } from '../../src/model/types.ts';
import { hasDockerCompose } from '../../src/next-steps.ts';
import { renderApp } from '../../src/render.ts';
import type { AddFlags } from '../../src/update/run.ts';
import { addToApp } from '../../src/update/run.ts';
import { failure } from '../support/failure.ts';
import { apiSpec } from '../support/spec.ts';

const test = suite('add <capability>: the three-way merge of update');

const dirs: string[] = [];
test.after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** An app as the app generator leaves it on disk, in a new temp dir. */
function writeApp(spec: AppSpec, dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twelve-add-'))): string {
  dirs.push(dir);
  for (const [file, contents] of renderApp(buildModel(spec))) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), contents);
  }
  fs.writeFileSync(path.join(dir, '.yo-rc.json'), `${JSON.stringify({ 'create-twelve-app': spec }, null, 2)}\n`);
  return dir;
}

/** `add` as the CLI runs it, with --force (the temp dirs are not git repositories) and no install. */
async function add(dir: string, capability: CapabilityId, flags: AddFlags = {}) {
  const lines: string[] = [];
  const outcome = await addToApp(
    capability,
    { force: true, skipInstall: true, ...flags },
    { cwd: dir, write: (line) => lines.push(line) },
  );
  return { outcome, output: lines.join('\n') };
}

const plain = apiSpec({ capabilities: [] });
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const edit = (dir: string, file: string, change: (text: string) => string) =>
  fs.writeFileSync(path.join(dir, file), change(read(dir, file)));

test('add postgres re-renders every projection from the extended model and saves it', async () => {
  const dir = writeApp(plain);
  const { outcome } = await add(dir, 'postgres');
  assert.is(outcome, 'updated');
  assert.match(read(dir, '.env.example'), /^DATABASE_URL=/m);
  assert.match(read(dir, 'Procfile'), /^release: node dist\/migrate\.js up$/m);
  assert.match(read(dir, 'docker-compose.yml'), /image: postgres:/);
  // The deploy manifests follow the Procfile: the release process becomes a Job, DATABASE_URL a secret reference.
  assert.match(read(dir, 'deploy/kubernetes/base/kustomization.yaml'), /^ {2}- release\.yaml$/m);
  assert.match(read(dir, 'deploy/kubernetes/base/web.yaml'), /key: DATABASE_URL/);
  assert.match(read(dir, 'src/config.ts'), /DATABASE_URL: \{/);
  assert.match(read(dir, 'src/services.ts'), /createDb/);
  assert.ok(fs.existsSync(path.join(dir, 'src/migrate.ts')));
  assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['create-twelve-app'].capabilities, ['postgres']);
  const pkg = JSON.parse(read(dir, 'package.json'));
  assert.ok(pkg.dependencies.kysely && pkg.scripts.migrate);
  // What a new app would have, file for file.
  for (const [file, contents] of renderApp(buildModel({ ...plain, capabilities: ['postgres'] })))
    assert.ok(Buffer.from(contents).equals(fs.readFileSync(path.join(dir, file))), file);
});

test("edits that do not overlap ours are merged: the README note, the team's dependency and script stay next to ours", async () => {
  const dir = writeApp(plain);
  fs.appendFileSync(path.join(dir, 'README.md'), '\nOur team notes.\n');
  const pkg = JSON.parse(read(dir, 'package.json'));
  pkg.dependencies['left-pad'] = '1.3.0';
  pkg.scripts.seed = 'node scripts/seed.ts';
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const { outcome, output } = await add(dir, 'postgres');
  assert.is(outcome, 'updated', output);
  assert.match(read(dir, 'README.md'), /Our team notes\.\n$/);
  assert.match(read(dir, 'README.md'), /migrate/);
  const merged = JSON.parse(read(dir, 'package.json'));
  assert.is(merged.dependencies['left-pad'], '1.3.0');
  assert.is(merged.scripts.seed, 'node scripts/seed.ts');
  assert.ok(merged.dependencies.pg);
  assert.match(output, /^ {2}merge {5}README\.md$/m);
  assert.match(output, /^ {2}create {4}src\/migrate\.ts$/m);
  // Only real conflicts are named; nothing is "forced".
  assert.not.match(output, /force|conflict|Overwrite/i);
});

test("an overlapping edit gets git's conflict markers, is listed, and the outcome is a conflict (exit 1); never a .rej file", async () => {
  const dir = writeApp(plain);
  // The team edits the re-rendered wiring where `add postgres` adds `db`: the same lines, so a real conflict.
  edit(dir, 'src/services.ts', (text) =>
    text.replace(/^export type Services = .*$/m, 'export type Services = { ours: true };'),
  );
  const { outcome, output } = await add(dir, 'postgres');
  assert.is(outcome, 'conflicts', output);
  assert.match(
    read(dir, 'src/services.ts'),
    /^<<<<<<< yours\n[\s\S]*^=======\n[\s\S]*^>>>>>>> create-twelve-app 0\.0\.0 with postgres$/m,
  );
  assert.match(output, /Conflicts in 1 file\(s\)[\s\S]*\n {2}src\/services\.ts/);
  assert.equal(
    (fs.readdirSync(dir, { recursive: true }) as string[]).filter((file) => /\.(rej|orig)$/.test(file)),
    [],
  );
});

test('add worker appends REDIS_URL to a local .env with its comment, leaving every other line as it was', async () => {
  const dir = writeApp(apiSpec());
  const env = '# ours\nDATABASE_URL=postgres://me@localhost/mine\nLOG_LEVEL=debug\n';
  fs.writeFileSync(path.join(dir, '.env'), env);
  const { outcome, output } = await add(dir, 'worker');
  assert.is(outcome, 'updated', output);
  const after = read(dir, '.env');
  assert.ok(after.startsWith(env), after);
  assert.match(after.slice(env.length), /^\n# .+\nREDIS_URL=redis:\/\/\S+\n/);
  assert.match(output, /append {4}\.env {2}\(REDIS_URL/);
  assert.match(output, /Appended REDIS_URL.* to \.env/);
  // Next steps: the new service, the new process and the script that runs it locally.
  assert.match(output, /worker: node dist\/worker\.js {3}\(new\)/);
  // With docker compose the new service starts with it; without (this machine), the step says what instead.
  assert.match(
    output,
    (await hasDockerCompose())
      ? /docker compose up -d {3}\(starts redis\)/
      : /# docker compose is not available: point REDIS_URL in \.env at your own Redis \(README: "Without Docker"\)/,
  );
  assert.match(output, /npm run dev:worker/);
  assert.not.match(output, /cp \.env\.example \.env/);
});

test('without a .env, none is made, and the next steps say to copy .env.example', async () => {
  const dir = writeApp(apiSpec());
  const { output } = await add(dir, 'worker');
  assert.not.ok(fs.existsSync(path.join(dir, '.env')));
  assert.match(output, /cp \.env\.example \.env/);
});

test('adding twice changes nothing and says so', async () => {
  const dir = writeApp(apiSpec({ capabilities: ['postgres', 'redis', 'worker', 'error-reporting'] }));
  const before = read(dir, 'Procfile');
  const { outcome, output } = await add(dir, 'worker', { force: false });
  assert.is(outcome, 'up-to-date');
  assert.match(output, /already has worker: nothing to do/);
  assert.is(read(dir, 'Procfile'), before);
});

test('--dry-run prints the diff and writes nothing', async () => {
  const dir = writeApp(plain);
  const procfile = read(dir, 'Procfile');
  const { outcome, output } = await add(dir, 'postgres', { dryRun: true });
  assert.is(outcome, 'previewed');
  assert.match(output, /^\+release: node dist\/migrate\.js up$/m);
  assert.match(output, /Dry run: nothing was written/);
  assert.is(read(dir, 'Procfile'), procfile);
  assert.not.ok(fs.existsSync(path.join(dir, 'src/migrate.ts')));
});

test('a tree that is not committed is refused without --force, before anything is written', async () => {
  const dir = writeApp(plain);
  const error = await failure(add(dir, 'postgres', { force: false }));
  assert.match(error.message, /is not in a git repository.*or pass --force/);
  assert.not.ok(fs.existsSync(path.join(dir, 'src/migrate.ts')));
});

test('add postgres inside a client app is refused, pointing at its API, and writes nothing', async () => {
  const dir = writeApp(apiSpec({ kind: 'client', capabilities: [] }));
  const before = fs.readdirSync(dir, { recursive: true });
  const error = await failure(add(dir, 'postgres'));
  assert.match(
    error.message,
    /is a client app, which reaches its data through the API it calls: run `create-twelve-app add postgres` inside that API app instead/,
  );
  assert.equal(fs.readdirSync(dir, { recursive: true }), before);
});

test('outside a generated app it refuses, naming --cwd; --cwd points at another app', async () => {
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'twelve-add-'));
  dirs.push(elsewhere);
  const error = await failure(add(elsewhere, 'postgres'));
  assert.match(error.message, /is not an app generated by create-twelve-app .* pass --cwd <dir>/);
  writeApp(plain, path.join(elsewhere, 'apps', 'billing'));
  await add(elsewhere, 'postgres', { cwd: 'apps/billing' });
  assert.ok(fs.existsSync(path.join(elsewhere, 'apps/billing/src/migrate.ts')));
});

test('the Yeoman sub-generator runs the same merge (for generators that compose ours)', async () => {
  await helpers
    .run(PostgresGenerator, { namespace: 'twelve-app:postgres' })
    .withOptions({ flags: { force: true, skipInstall: true }, interactive: false } as never)
    .doInDir((dir) => {
      writeApp(plain, dir);
      fs.appendFileSync(path.join(dir, 'README.md'), '\nmine\n');
    });
  assert.match(read(result.cwd, 'README.md'), /mine\n$/);
  assert.ok(fs.existsSync(path.join(result.cwd, 'src/migrate.ts')));
});

test.run();
