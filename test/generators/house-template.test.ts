import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Generator from 'yeoman-generator';
import helpers, { result } from 'yeoman-test';
import type { AppOptions } from '../../generators/app/generator.ts';
import AppGenerator from '../../generators/app/index.ts';
import WorkerGenerator from '../../generators/worker/index.ts';
import { buildModel } from '../../src/app-model.ts';
import { loadTemplate, templateRef } from '../../src/house-template/load.ts';
import { renderApp } from '../../src/render.ts';
import type { Flags } from '../../src/request.ts';
import { failure } from '../support/failure.ts';
import { apiSpec } from '../support/spec.ts';
import { tree } from '../support/tree.ts';

const test = suite('house templates (--template)');

const MANIFEST = {
  defaults: { kind: 'api', db: 'postgres' },
  locked: ['db'],
  prompts: [{ name: 'team', message: 'Which team owns it?', default: 'platform' }],
  dependencies: { 'left-pad': '1.3.0' },
  config: [{ name: 'ACME_TENANT', description: 'The tenant this service serves.', example: 'acme', default: 'acme' }],
};

/** A house template folder: package.json, the manifest, and `templates/` files (inline, small). */
function house(files: Record<string, string> = {}, manifest: unknown = MANIFEST): string {
  return tree(
    {
      'package.json': JSON.stringify({ name: '@acme/house', version: '1.2.3' }),
      'twelve-template.json': JSON.stringify(manifest),
      'templates/docs/team.md.ejs':
        '<%= name %> (<%= kind %>) belongs to <%= answers.team %>; processes: <%= model.processes.map((p) => p.name).join(", ") %>; <%= template.name %>@<%= template.version %>\n',
      // The company's base image, pinned by digest as every FROM must be (src/house-template/supply-chain.ts).
      'templates/Dockerfile.ejs':
        'FROM acme/node:<%= model.node.major %>@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\n',
      'templates/_acme.yml': 'owner: platform\n',
      ...files,
    },
    'house',
  );
}

function run(flags: Flags, options: Partial<AppOptions> = {}) {
  return helpers
    .run(AppGenerator, { namespace: 'twelve-app:app' })
    .withOptions({ flags: { skipInstall: true, skipGit: true, ...flags }, interactive: false, ...options } as never);
}

const read = (file: string) => fs.readFileSync(path.join(result.cwd, file), 'utf8');

test('house files are added and override built-in ones; the manifest feeds the model; the template is recorded', async () => {
  const template = house();
  await run({ directory: 'svc', yes: true, template, answer: ['team=payments'] });
  assert.is(read('svc/docs/team.md'), 'svc (api) belongs to payments; processes: web, release; @acme/house@1.2.3\n');
  assert.is(
    read('svc/Dockerfile'),
    'FROM acme/node:24@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\n',
  );
  assert.is(read('svc/.acme.yml'), 'owner: platform\n');
  assert.ok(fs.existsSync(path.join(result.cwd, 'svc/src/server.ts')), 'built-in files stay');
  assert.is(JSON.parse(read('svc/package.json')).dependencies['left-pad'], '1.3.0');
  assert.match(
    read('svc/.env.example'),
    /# The tenant this service serves\. Optional; default acme\.\nACME_TENANT=acme/,
  );
  assert.match(read('svc/src/config.ts'), /ACME_TENANT: \{\n\s+schema: z\._default\(z\.string\(\), 'acme'\)/);
  assert.match(read('svc/README.md'), /ACME_TENANT/);
  const saved = JSON.parse(read('svc/.yo-rc.json'))['create-twelve-app'];
  assert.equal(saved.template, {
    name: '@acme/house',
    version: '1.2.3',
    source: path.relative(path.join(result.cwd, 'svc'), template),
    type: 'directory',
    answers: { team: 'payments' },
  });
  assert.equal(saved.capabilities, ['postgres', 'error-reporting']);
});

test('defaults answer the questions with --yes (a worker with Postgres), a flag still wins where not locked', async () => {
  await run({ directory: 'jobs', yes: true, template: house({}, { defaults: { kind: 'worker', db: 'postgres' } }) });
  const saved = JSON.parse(read('jobs/.yo-rc.json'))['create-twelve-app'];
  assert.equal([saved.kind, saved.capabilities], ['worker', ['postgres', 'redis', 'worker', 'error-reporting']]);
  assert.is(saved.template.answers.team, undefined);
  await run({
    directory: 'api',
    yes: true,
    kind: 'api',
    db: 'none',
    template: house({}, { defaults: { kind: 'worker', db: 'postgres' } }),
  });
  assert.equal(JSON.parse(read('api/.yo-rc.json'))['create-twelve-app'].capabilities, ['error-reporting']);
});

test('a client from a template with a default database gets none; its public variables reach /config.json', async () => {
  const manifest = {
    defaults: { kind: 'client', db: 'postgres' },
    config: [
      {
        name: 'ACME_THEME',
        description: 'The colour theme shown to users.',
        example: 'dark',
        default: 'dark',
        public: true,
      },
    ],
  };
  await run({ directory: 'web', yes: true, template: house({}, manifest) });
  const saved = JSON.parse(read('web/.yo-rc.json'))['create-twelve-app'];
  assert.equal([saved.kind, saved.capabilities], ['client', ['error-reporting']]);
  assert.match(
    read('web/src/config.ts'),
    /export const PUBLIC_VARIABLES = \['API_URL', 'SENTRY_ENVIRONMENT', 'SENTRY_BROWSER_DSN', 'ACME_THEME'\] as const;/,
  );
});

test("in a terminal the template's questions are asked after ours, its default kind preselected", async () => {
  await run(
    { directory: 'svc', template: house({}, { ...MANIFEST, defaults: { kind: 'worker' }, locked: [] }) },
    { interactive: true },
  ).withAnswers({ team: 'search' });
  assert.match(read('svc/docs/team.md'), /svc \(worker\) belongs to search/);
});

test("--yes takes the prompts' defaults", async () => {
  await run({ directory: 'svc', yes: true, template: house() });
  assert.match(read('svc/docs/team.md'), /belongs to platform/);
});

test('a flag for a locked option is refused, and nothing is written', async () => {
  const context = run({ directory: 'svc', yes: true, db: 'postgres', template: house() });
  const error = await failure(context);
  assert.is(error.message, '--db is locked to postgres by the house template @acme/house: run without --db.');
  assert.equal(fs.readdirSync(context.targetDirectory!), []);
});

test("without a terminal and without --yes, the template's open questions are named as --answer flags", async () => {
  const error = await failure(run({ directory: 'svc', kind: 'api', errorReporting: 'sentry', template: house() }));
  assert.match(
    error.message,
    /No terminal to ask the house template's questions in: pass --answer team=<value>, or --yes/,
  );
  await run({ directory: 'svc', kind: 'api', errorReporting: 'sentry', template: house(), answer: ['team=ops'] });
  assert.match(read('svc/docs/team.md'), /belongs to ops/);
});

test('a template that fails to render names its file, and nothing is written', async () => {
  const context = run({
    directory: 'svc',
    yes: true,
    template: house({ 'templates/broken.md.ejs': 'line one\n<%= nope.field %>\n' }),
  });
  const error = await failure(context);
  assert.match(
    error.message,
    /^The house template @acme\/house failed to render templates\/broken\.md\.ejs \(line 2: nope is not defined\): nothing was written\.$/,
  );
  assert.equal(fs.readdirSync(context.targetDirectory!), []);
  const syntax = await failure(
    run({ directory: 'svc', yes: true, template: house({ 'templates/bad.md.ejs': '<% if (kind) { %>' }) }),
  );
  assert.match(syntax.message, /failed to render templates\/bad\.md\.ejs \(Unexpected token .* \(a syntax error\)\)/);
});

test('each refusal of a template is one sentence naming the problem, and nothing is written', async () => {
  const cases: Array<[Record<string, string>, unknown, RegExp]> = [
    [
      { 'templates/package.json': '{}' },
      MANIFEST,
      /has templates\/package\.json, but package\.json is rendered from the app model/,
    ],
    [{ 'templates/_./escape.txt': 'x' }, MANIFEST, /has templates\/_\.\/escape\.txt, which would land outside the app/],
    [{}, { ...MANIFEST, createTwelveApp: '>=99.0.0' }, /@acme\/house needs create-twelve-app >=99\.0\.0, and this is /],
    [{}, { ...MANIFEST, locked: 'db' }, /@acme\/house's twelve-template\.json: locked invalid input: expected array/],
    [
      {},
      { ...MANIFEST, config: [{ name: 'PORT', description: 'd', example: '1' }] },
      /config\[0\]\.name PORT is already a variable of the app/,
    ],
  ];
  for (const [files, manifest, expected] of cases) {
    const context = run({ directory: 'svc', yes: true, template: house(files, manifest) });
    assert.match((await failure(context)).message, expected);
    assert.equal(fs.readdirSync(context.targetDirectory!), []);
  }
  const outside = house();
  const linked = house();
  fs.symlinkSync(path.join(outside, 'package.json'), path.join(linked, 'templates/link.json'));
  assert.match(
    (await failure(run({ directory: 'svc', yes: true, template: linked }))).message,
    /templates\/link\.json, which is a symbolic link pointing outside the template/,
  );
  const bare = house();
  fs.rmSync(path.join(bare, 'twelve-template.json'));
  assert.match(
    (await failure(run({ directory: 'svc', yes: true, template: bare }))).message,
    /@acme\/house has no twelve-template\.json, so it is not a create-twelve-app house template/,
  );
});

test('add worker after a house template keeps applying its files, re-rendered from the new model', async () => {
  const template = house();
  await helpers
    .run(WorkerGenerator, { namespace: 'twelve-app:worker' })
    .withOptions({
      flags: { yes: true, force: true, skipInstall: true, trustTemplates: [template] },
      interactive: false,
    } as never)
    .doInDir(async (dir) => {
      const loaded = await loadTemplate(template, dir);
      const spec = { ...apiSpec(), template: templateRef(loaded, dir, { team: 'payments' }) };
      for (const [file, contents] of renderApp(buildModel(spec, loaded))) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), contents);
      }
      fs.writeFileSync(path.join(dir, '.yo-rc.json'), JSON.stringify({ 'create-twelve-app': spec }));
    });
  assert.is(
    read('docs/team.md'),
    'my-api (api) belongs to payments; processes: web, release, worker; @acme/house@1.2.3\n',
  );
  assert.is(
    read('Dockerfile'),
    'FROM acme/node:24@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\n',
  );
  assert.is(JSON.parse(read('package.json')).dependencies['left-pad'], '1.3.0');
  assert.match(read('.env.example'), /^ACME_TENANT=acme$/m);
  assert.match(read('.env.example'), /^REDIS_URL=/m);
  const saved = JSON.parse(read('.yo-rc.json'))['create-twelve-app'];
  assert.equal(
    [saved.capabilities, saved.template.name, saved.template.answers],
    [['postgres', 'redis', 'worker', 'error-reporting'], '@acme/house', { team: 'payments' }],
  );
});

/** What a platform team writes when files are not enough: its own generator, composing ours. */
class AcmeGenerator extends Generator {
  async initializing() {
    await this.composeWith('twelve-app:app', {
      flags: { directory: 'svc', kind: 'worker', yes: true, skipInstall: true, skipGit: true },
      interactive: false,
    } as never);
  }

  writing() {
    this.fs.write(this.destinationPath('svc/ACME.md'), 'Composed by Acme.\n');
  }
}

test('a generator that composes ours (composeWith) gets our app and adds its own files', async () => {
  await helpers
    .run(AcmeGenerator, { namespace: 'acme:app' })
    .withGenerators([[AppGenerator, { namespace: 'twelve-app:app' }]]);
  assert.is(read('svc/ACME.md'), 'Composed by Acme.\n');
  assert.match(read('svc/Procfile'), /^worker: node dist\/worker\.js$/m);
  assert.is(JSON.parse(read('svc/.yo-rc.json'))['create-twelve-app'].kind, 'worker');
});

test.run();
