import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import helpers, { result } from 'yeoman-test';
import type { AppOptions } from '../../generators/app/generator.ts';
import AppGenerator from '../../generators/app/index.ts';
import { buildModel } from '../../src/app-model.ts';
import type { AppSpec } from '../../src/model/types.ts';
import { templatesRoot } from '../../src/paths.ts';
import type { Flags } from '../../src/request.ts';
import { templateFiles } from '../../src/template-files.ts';
import { failure } from '../support/failure.ts';
import { apiSpec } from '../support/spec.ts';

const test = suite('app generator');

/** Run the generator in memory against a fresh temp dir, as the CLI would with these flags. */
function run(flags: Flags, options: Partial<AppOptions> = {}) {
  return helpers
    .run(AppGenerator, { namespace: 'twelve-app:app' })
    .withOptions({ flags: { skipInstall: true, skipGit: true, ...flags }, interactive: false, ...options } as never);
}

test('--yes renders every projection and template of an api with postgres', async () => {
  await run({ directory: 'my-api', yes: true });
  const model = buildModel({
    specVersion: 1,
    name: 'my-api',
    kind: 'api',
    capabilities: ['postgres'],
    packageManager: 'npm@11.19.1',
    generatorVersion: '0',
  });
  const expected = ['package.json', '.env.example', 'Procfile', 'docker-compose.yml', '.yo-rc.json'].concat(
    [
      'base/kustomization.yaml',
      'base/web.yaml',
      'base/release.yaml',
      'overlays/staging/kustomization.yaml',
      'overlays/production/kustomization.yaml',
    ].map((file) => `deploy/kubernetes/${file}`),
    templateFiles(templatesRoot(), model.templateDirs).map((file) => file.destination),
  );
  result.assertFile(expected.map((file) => path.join('my-api', file)));
  result.assertFileContent('my-api/Procfile', 'release: node dist/migrate.js up');
  result.assertFileContent('my-api/.github/workflows/ci.yml', 'kubectl kustomize "$overlay"');
});

test('the choices are saved in .yo-rc.json for later sub-generators', async () => {
  await run({ directory: 'svc', yes: true, name: '@acme/svc', db: 'none' });
  const saved = JSON.parse(fs.readFileSync(path.join(result.cwd, 'svc/.yo-rc.json'), 'utf8'))['create-twelve-app'];
  assert.equal(saved.name, '@acme/svc');
  assert.equal(saved.kind, 'api');
  assert.equal(saved.capabilities, ['error-reporting']);
  assert.match(saved.packageManager, /^npm@\d/);
});

test('--error-reporting none leaves out Sentry; --yes picks it', async () => {
  await run({ directory: 'quiet', yes: true, errorReporting: 'none' });
  result.assertNoFile(['quiet/src/scrub.ts']);
  // Every app bakes its release (the startup event names it); only the reporter differs.
  result.assertFileContent('quiet/package.json', /"build": "tsc --noEmit && node build.ts && node src\/release.ts"/);
  result.assertNoFileContent('quiet/.env.example', 'SENTRY_DSN');
  result.assertNoFileContent('quiet/package.json', '@sentry/node-core');
  await run({ directory: 'loud', yes: true });
  result.assertFileContent('loud/.env.example', /^# .*Secret: never commit it.*\nSENTRY_DSN=$/m);
  result.assertFileContent('loud/package.json', /"build": "tsc --noEmit && node build.ts && node src\/release.ts"/);
  result.assertFileContent('loud/src/report.ts', "await import('@sentry/node-core/light')");
});

test('--db none leaves out migrations, the postgres service and DATABASE_URL', async () => {
  await run({ directory: 'plain', yes: true, db: 'none' });
  result.assertNoFile(['plain/src/migrate.ts', 'plain/src/db.ts', 'plain/deploy/kubernetes/base/release.yaml']);
  result.assertNoFileContent('plain/docker-compose.yml', 'postgres');
  result.assertNoFileContent('plain/.env.example', 'DATABASE_URL');
  result.assertNoFileContent('plain/Procfile', 'release:');
});

test('answers from the prompts are used when flags are absent', async () => {
  await run({ directory: 'asked' }, { interactive: true }).withAnswers({ kind: 'api', db: 'none' });
  result.assertNoFile('asked/src/migrate.ts');
});

test('the directory is asked for when not given', async () => {
  await run({ kind: 'api', db: 'postgres' }, { interactive: true }).withAnswers({ directory: 'from-prompt' });
  result.assertFile('from-prompt/package.json');
  result.assertFileContent('from-prompt/package.json', '"name": "from-prompt"');
});

test('the package manager that ran us is recorded', async () => {
  await run({ directory: 'p', yes: true }, { userAgent: 'pnpm/12.3.4 npm/? node/v24.21.0 linux x64' });
  result.assertFileContent('p/package.json', '"packageManager": "pnpm@12.3.4"');
  result.assertFileContent('p/Dockerfile', 'pnpm install --frozen-lockfile');
});

test('--package-manager yarn renders yarn commands in the Dockerfile and CI and records yarn', async () => {
  await run({ directory: 'y', yes: true, packageManager: 'yarn' });
  result.assertFileContent('y/package.json', /"packageManager": "yarn@\d+\.\d+\.\d+"/);
  result.assertFileContent('y/Dockerfile', 'RUN corepack enable');
  result.assertFileContent('y/Dockerfile', 'COPY package.json yarn.lock ./');
  result.assertFileContent('y/.github/workflows/ci.yml', 'yarn install --immutable');
});

test('CI and the README run create-twelve-app check at the version that rendered the app, never as a dependency', async () => {
  await run({ directory: 'c', yes: true });
  result.assertFileContent('c/.github/workflows/ci.yml', /- run: npx --yes create-twelve-app@\S+ check\n/);
  result.assertFileContent('c/README.md', /npx --yes create-twelve-app@\S+ check --run/);
  result.assertNoFileContent('c/package.json', 'create-twelve-app');
});

test('a --template that is not there is refused, and nothing is written', async () => {
  const context = run({ directory: 't', yes: true, template: './no-such-house' });
  const error = await failure(context);
  assert.match(error.message, /--template \.\/no-such-house: there is no folder at/);
  assert.equal(fs.readdirSync(context.targetDirectory!), []);
});

test('an unknown --db is refused, naming the valid ones', async () => {
  const error = await failure(run({ directory: 'd', yes: true, db: 'mongo' }));
  assert.match(error.message, /--db must be one of postgres, none/);
});

test('a non-empty directory is refused without --force, and its files are untouched', async () => {
  const context = run({ directory: 'busy', yes: true }).doInDir((dir) => {
    fs.mkdirSync(path.join(dir, 'busy'));
    fs.writeFileSync(path.join(dir, 'busy', 'notes.txt'), 'mine');
  });
  const error = await failure(context);
  assert.match(error.message, /busy is not empty: choose an empty or new directory, or pass --force/);
  assert.equal(fs.readdirSync(path.join(context.targetDirectory!, 'busy')), ['notes.txt']);
});

test('--force --yes generates into a non-empty directory and keeps unrelated files', async () => {
  const context = run({ directory: 'busy', yes: true, force: true }).doInDir((dir) => {
    fs.mkdirSync(path.join(dir, 'busy'));
    fs.writeFileSync(path.join(dir, 'busy', 'notes.txt'), 'mine');
  });
  await context;
  result.assertFile(['busy/package.json', 'busy/notes.txt']);
});

test('an invalid directory name as package name is refused, naming --name', async () => {
  const error = await failure(run({ directory: 'Bad Name', yes: true }));
  assert.match(
    error.message,
    /The directory name "bad name" is not a valid npm package name: .*Pass a valid one with --name/,
  );
});

test('without a TTY and without --yes, unanswered questions stop the run', async () => {
  const error = await failure(run({ directory: 'x' }));
  assert.match(error.message, /No terminal to ask questions in: pass --kind, --db, --error-reporting, or --yes/);
});

test('--kind client renders the browser code, the Vite config and a server with /config.json, and no API routes', async () => {
  const result = await run({ directory: 'web', yes: true, kind: 'client' });
  result.assertFile(
    [
      'client/main.tsx',
      'client/App.tsx',
      'client/config.ts',
      'client/index.html',
      'vite.config.ts',
      'src/routes/index.ts',
      'test/client.test.ts',
    ].map((file) => path.join('web', file)),
  );
  result.assertNoFile(['web/src/db.ts', 'web/test/routes.test.ts']);
  result.assertFileContent(
    'web/src/config.ts',
    /export const PUBLIC_VARIABLES = \['API_URL', 'SENTRY_ENVIRONMENT', 'SENTRY_BROWSER_DSN'\] as const;/,
  );
  result.assertFileContent('web/Dockerfile', /COPY vite\.config\.ts \.\/vite\.config\.ts\nCOPY client \.\/client/);
  result.assertFileContent('web/Procfile', 'web: node dist/server.js\n');
  result.assertFileContent('web/client/index.html', /<title>web<\/title>/);
});

test('a file in the way of the directory is refused', async () => {
  const context = run({ directory: 'taken', yes: true }).doInDir((dir) =>
    fs.writeFileSync(path.join(dir, 'taken'), 'x'),
  );
  assert.match((await failure(context)).message, /taken exists and is not a directory/);
});

test('every variable src/config.ts reads is documented in .env.example, and no other module reads process.env', async () => {
  await run({ directory: 'conv', yes: true });
  const read = (file: string) => fs.readFileSync(path.join(result.cwd, 'conv', file), 'utf8');
  const declared = [...read('src/config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]*): \{$/gm)].map((match) => match[1]);
  // TEST_* are read by the tests only (their own databases), not by the app.
  const documented = [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)]
    .map((match) => match[1])
    .filter((name) => !name?.startsWith('TEST_'));
  assert.ok(declared.length > 0);
  assert.equal(declared, documented);
  const sources = (fs.readdirSync(path.join(result.cwd, 'conv', 'src'), { recursive: true }) as string[]).filter(
    (file) => file.endsWith('.ts'),
  );
  const readers = sources.filter((file) => read(`src/${file}`).includes('process.env'));
  assert.equal(readers, ['config.ts']);
});

test('the Dockerfile runs the Procfile web command in exec form, on the .nvmrc Node version', async () => {
  await run({ directory: 'img', yes: true });
  const read = (file: string) => fs.readFileSync(path.join(result.cwd, 'img', file), 'utf8');
  const web = /^web: (.+)$/m.exec(read('Procfile'))?.[1];
  assert.ok(web);
  assert.ok(read('Dockerfile').includes(`CMD ${JSON.stringify(web.split(' '))}`));
  const node = read('.nvmrc').trim();
  assert.ok(read('Dockerfile').includes(`FROM node:${node}-`));
  assert.match(read('Dockerfile'), /^USER node$/m);
  // No config is baked in: the one ENV is where Node keeps the compile cache the build fills, and the only
  // build arguments are the release identity (commit, version, source, time).
  assert.equal(
    [...read('Dockerfile').matchAll(/^ENV (\w+)=/gm)].map((match) => match[1]),
    ['NODE_COMPILE_CACHE'],
  );
  assert.match(
    read('Dockerfile'),
    /^RUN LOG_LEVEL='loud' node dist\/server\.js 2>&1 \| grep -qF 'LOG_LEVEL must be one of /m,
  );
  const args = [...read('Dockerfile').matchAll(/^ARG (\S+)$/gm)].map((match) => match[1]);
  assert.equal([...new Set(args)].sort(), ['BUILD_TIME', 'GIT_COMMIT', 'SOURCE_URL', 'VERSION']);
});

test('every template folder is used by some app, so no template is dead', () => {
  const shapes: Array<Pick<AppSpec, 'kind' | 'capabilities'>> = [
    { kind: 'api', capabilities: ['postgres', 'redis', 'worker', 'error-reporting', 'tracing', 'storage', 'schedule'] },
    { kind: 'api', capabilities: [] },
    { kind: 'worker', capabilities: ['redis', 'worker'] },
    { kind: 'client', capabilities: [] },
    { kind: 'client', capabilities: ['error-reporting'] },
  ];
  const used = new Set(shapes.flatMap((shape) => buildModel({ ...apiSpec(), ...shape }).templateDirs));
  assert.equal(fs.readdirSync(templatesRoot()).sort(), [...used].sort());
});

test.run();
