import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import helpers, { result } from 'yeoman-test';
import { failure } from '../support/failure.ts';
import ErrorReportingGenerator from '../../generators/error-reporting/index.ts';
import PostgresGenerator from '../../generators/postgres/index.ts';
import TracingGenerator from '../../generators/tracing/index.ts';
import type { AddFlags, AddOptions } from '../../generators/add-capability.ts';
import { buildModel } from '../../src/model/build-model.ts';
import type { AppSpec } from '../../src/model/types.ts';
import { renderApp } from '../../src/render.ts';
import { apiSpec } from '../support/spec.ts';

const test = suite('add <capability> sub-generators');

/** An app as the app generator leaves it on disk, written into `dir`. */
function writeApp(dir: string, spec: AppSpec): void {
  for (const [file, contents] of renderApp(buildModel(spec))) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), contents);
  }
  fs.writeFileSync(path.join(dir, '.yo-rc.json'), JSON.stringify({ 'create-twelve-app': spec }, null, 2));
}

function addPostgres(flags: AddFlags, prepare: (dir: string) => void, options: Partial<AddOptions> = {}) {
  return helpers
    .run(PostgresGenerator, { namespace: 'twelve-app:postgres' })
    .withOptions({ flags: { skipInstall: true, ...flags }, interactive: false, ...options } as never)
    .doInDir(prepare);
}

const plain = apiSpec({ capabilities: [] });
const read = (file: string) => fs.readFileSync(path.join(result.cwd, file), 'utf8');

test('add postgres re-renders every projection from the extended model and saves it', async () => {
  await addPostgres({ yes: true }, (dir) => writeApp(dir, plain));
  assert.match(read('.env.example'), /^DATABASE_URL=/m);
  assert.match(read('Procfile'), /^release: node dist\/migrate\.js up$/m);
  assert.match(read('docker-compose.yml'), /image: postgres:/);
  // The deploy manifests follow the Procfile: the release process becomes a Job, DATABASE_URL a secret reference.
  assert.match(read('deploy/kubernetes/base/kustomization.yaml'), /^ {2}- release\.yaml$/m);
  assert.match(read('deploy/kubernetes/base/release.yaml'), /command:\n\s+- node\n\s+- dist\/migrate\.js\n\s+- up/);
  assert.match(read('deploy/kubernetes/base/web.yaml'), /key: DATABASE_URL/);
  assert.match(read('src/config.ts'), /DATABASE_URL: \{/);
  assert.match(read('src/services.ts'), /createDb/);
  assert.ok(fs.existsSync(path.join(result.cwd, 'src/migrate.ts')));
  assert.equal(JSON.parse(read('.yo-rc.json'))['create-twelve-app'].capabilities, ['postgres']);
  const pkg = JSON.parse(read('package.json'));
  assert.ok(pkg.dependencies.kysely && pkg.scripts.migrate);
});

test('add postgres inside a client app is refused, pointing at its API, and writes nothing', async () => {
  let before: string[] = [];
  let app = '';
  const error = await failure(
    addPostgres({ yes: true }, (dir) => {
      writeApp(dir, apiSpec({ kind: 'client', capabilities: [] }));
      before = fs.readdirSync(dir, { recursive: true }) as string[];
      app = dir;
    }),
  );
  assert.match(error.message, /is a client app, which reaches its data through the API it calls: run `create-twelve-app add postgres` inside that API app instead/);
  assert.equal(fs.readdirSync(app, { recursive: true }), before);
});

test('an edited file is kept with --yes and listed, and the user\'s own dependency survives', async () => {
  await addPostgres({ yes: true }, (dir) => {
    writeApp(dir, plain);
    fs.appendFileSync(path.join(dir, 'README.md'), '\nOur team notes.\n');
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    pkg.dependencies['left-pad'] = '1.3.0';
    pkg.scripts.lint = 'eslint .';
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  });
  assert.match(read('README.md'), /Our team notes\./);
  assert.not.match(read('README.md'), /migrate/);
  const pkg = JSON.parse(read('package.json'));
  assert.is(pkg.dependencies['left-pad'], '1.3.0');
  assert.is(pkg.scripts.lint, 'eslint .');
  assert.ok(pkg.dependencies.pg);
});

test('add tracing preloads it in the web process, the Dockerfile and the dev script; add error-reporting adds Sentry', async () => {
  await helpers
    .run(TracingGenerator, { namespace: 'twelve-app:tracing' })
    .withOptions({ flags: { skipInstall: true, yes: true }, interactive: false } as never)
    .doInDir((dir) => writeApp(dir, plain));
  assert.match(read('Procfile'), /^web: node --import \.\/dist\/tracing\.js dist\/server\.js$/m);
  assert.match(read('Dockerfile'), /^CMD \["node","--import","\.\/dist\/tracing\.js","dist\/server\.js"\]$/m);
  const pkg = JSON.parse(read('package.json'));
  assert.is(pkg.scripts.dev, 'node --import ./src/tracing.ts --env-file-if-exists=.env --watch src/server.ts');
  assert.is(pkg.scripts.start, 'node --import ./dist/tracing.js --env-file-if-exists=.env dist/server.js');
  assert.match(read('.env.example'), /^OTEL_EXPORTER_OTLP_ENDPOINT=$/m);
  assert.match(read('src/tracing.ts'), /new PgInstrumentation\(\)/);
  await helpers
    .run(ErrorReportingGenerator, { namespace: 'twelve-app:error-reporting' })
    .withOptions({ flags: { skipInstall: true, yes: true }, interactive: false } as never)
    .doInDir((dir) => writeApp(dir, plain));
  assert.match(read('src/report.ts'), /@sentry\/node-core\/light/);
  assert.match(read('src/config.ts'), /SENTRY_DSN: \{/);
  assert.equal(JSON.parse(read('.yo-rc.json'))['create-twelve-app'].capabilities, ['error-reporting']);
});

test('adding twice duplicates nothing', async () => {
  await addPostgres({ yes: true }, (dir) => writeApp(dir, apiSpec()));
  assert.is(read('Procfile').match(/^release:/gm)?.length, 1);
  assert.is(read('.env.example').match(/^DATABASE_URL=/gm)?.length, 1);
  assert.equal(JSON.parse(read('.yo-rc.json'))['create-twelve-app'].capabilities, ['postgres', 'error-reporting']);
});

test('without a TTY and without --yes, edited files stop the run before anything is written', async () => {
  const context = addPostgres({}, (dir) => {
    writeApp(dir, plain);
    fs.appendFileSync(path.join(dir, 'README.md'), '\nmine\n');
  });
  const error = await failure(context);
  assert.match(error.message, /You edited README\.md, and there is no terminal to ask about them: pass --yes/);
  assert.not.ok(fs.existsSync(path.join(context.targetDirectory!, 'src/migrate.ts')));
});

test('outside a generated app it refuses, naming --cwd', async () => {
  const error = await failure(addPostgres({ yes: true }, (dir) => fs.writeFileSync(path.join(dir, 'package.json'), '{}')));
  assert.match(error.message, /is not an app generated by create-twelve-app .* pass --cwd <dir>/);
});

test('--cwd points at another app', async () => {
  await addPostgres({ yes: true, cwd: 'apps/billing' }, (dir) => writeApp(path.join(dir, 'apps/billing'), plain));
  assert.ok(fs.existsSync(path.join(result.cwd, 'apps/billing/src/migrate.ts')));
});

test.run();
