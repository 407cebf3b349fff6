import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildModel } from '../../src/app-model.ts';
import { addCapability, assertCanAdd, initialSpec } from '../../src/app-spec.ts';
import { POSTGRES_MAJOR } from '../../src/capabilities/postgres/versions.ts';
import { REDIS_MAJOR } from '../../src/capabilities/redis/versions.ts';
import { renderApp } from '../../src/render.ts';
import { apiSpec } from '../support/spec.ts';

test('an api with postgres has web and release processes, in that order', () => {
  const model = buildModel(apiSpec());
  assert.equal(
    model.processes.map((process) => `${process.name}: ${process.command}`),
    ['web: node dist/server.js', 'release: node dist/migrate.js up'],
  );
});

test('an api without a database has no release process, no DATABASE_URL and no compose service', () => {
  const model = buildModel(apiSpec({ capabilities: [] }));
  assert.equal(
    model.processes.map((process) => process.name),
    ['web'],
  );
  assert.not.ok(model.config.some((variable) => variable.name.startsWith('DATABASE_')));
  assert.equal(model.services, []);
  assert.not.ok('kysely' in model.dependencies);
  assert.not.ok(model.features.postgres);
  assert.equal(model.clients, []);
  assert.equal(model.setupScripts, []);
});

test('every dependency version is exact', () => {
  const model = buildModel(apiSpec());
  for (const [name, version] of Object.entries({ ...model.dependencies, ...model.devDependencies })) {
    assert.match(version, /^\d+\.\d+\.\d+$/, `${name}@${version} is not exact`);
  }
});

test('the node version is one value: image, engines and major derive from it', () => {
  const model = buildModel(apiSpec());
  assert.ok(model.node.image.startsWith(`node:${model.node.version}-`));
  assert.is(model.node.major, 24);
});

test('DATABASE_URL is required and secret; every other variable has a default', () => {
  const model = buildModel(apiSpec());
  const required = model.config.filter((variable) => variable.default === undefined);
  assert.equal(
    required.map((variable) => variable.name),
    ['DATABASE_URL'],
  );
  assert.ok(required[0]?.secret);
});

test('the image runs the web process in exec form and exposes its port', () => {
  const model = buildModel(apiSpec());
  const { healthcheck, ...docker } = model.docker;
  assert.equal(docker, {
    cmd: ['node', 'dist/server.js'],
    warmUp: {
      commands: ['node dist/server.js'],
      env: "LOG_LEVEL='loud'",
      stopsWith: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    },
    health: { variable: 'PORT', port: 3000 },
    expose: 3000,
    sources: ['tsconfig.json', 'build.ts', 'src'],
  });
  assert.match(
    healthcheck?.join(' ') ?? '',
    /^node -e fetch\('http:\/\/127\.0\.0\.1:' \+ \(process\.env\.PORT \|\| 3000\) \+ '\/healthz'\)/,
  );
});

test('a client is a web process on its own port that serves API_URL, and only that, to browsers', () => {
  const model = buildModel(apiSpec({ kind: 'client', capabilities: [] }));
  assert.equal(
    model.processes.map((process) => process.name),
    ['web'],
  );
  assert.equal(model.docker.expose, 5173);
  assert.equal(model.docker.sources, ['tsconfig.json', 'build.ts', 'src', 'vite.config.ts', 'client']);
  assert.equal(
    model.config.filter((variable) => variable.public).map((variable) => variable.name),
    ['API_URL'],
  );
  assert.not.ok(
    model.config.some((variable) => variable.name === 'CORS_ORIGINS'),
    'CORS is the API side of the pair',
  );
  // React and Vite build the pages; the image carries the pages, not them.
  assert.equal(Object.keys(model.dependencies), ['@fastify/static', 'fastify', 'pino', 'zod']);
  assert.ok(model.devDependencies.vite && model.devDependencies.react);
  assert.is(
    model.scripts.find((script) => script.name === 'build')?.command,
    'tsc --noEmit && node build.ts && vite build && node src/release.ts',
  );
});

test('a client app refuses backing services: they belong in its API', () => {
  const spec = apiSpec({ kind: 'client', capabilities: [] });
  assert.throws(() => assertCanAdd(spec, 'postgres'), /client app, which reaches its data through the API/);
  assert.not.throws(() => assertCanAdd(apiSpec(), 'postgres'));
  assert.not.throws(() => assertCanAdd(spec, 'tracing'), 'tracing and error reporting are for every process');
});

test('the package manager version comes from the spec, with a pinned default', () => {
  assert.is(buildModel(apiSpec({ packageManager: 'pnpm@12.0.1' })).packageManager.version, '12.0.1');
  assert.is(buildModel(apiSpec({ packageManager: 'yarn' })).packageManager.lockfile, 'yarn.lock');
});

test('the local database URL is one value for .env.example, compose and CI', () => {
  const model = buildModel(apiSpec({ name: '@acme/billing-api' }));
  const url = model.config.find((variable) => variable.name === 'DATABASE_URL')?.example;
  assert.is(url, 'postgres://postgres:postgres@localhost:5432/billing_api');
  assert.is(model.services[0]?.connection?.url, url);
  assert.is(model.services[0]?.environment.POSTGRES_DB, 'billing_api');
});

test('a worker app runs the worker in the image and probes it on HEALTH_PORT, with nothing exposed', () => {
  const model = buildModel(apiSpec({ kind: 'worker', capabilities: ['redis', 'worker'] }));
  assert.equal(
    model.processes.map((process) => process.name),
    ['worker'],
  );
  const { healthcheck, ...docker } = model.docker;
  assert.equal(docker, {
    cmd: ['node', 'dist/worker.js'],
    warmUp: {
      commands: ['node dist/worker.js'],
      env: "LOG_LEVEL='loud'",
      stopsWith: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    },
    health: { variable: 'HEALTH_PORT', port: 3001 },
    sources: ['tsconfig.json', 'build.ts', 'src'],
  });
  assert.match(healthcheck?.join(' ') ?? '', /process\.env\.HEALTH_PORT \|\| 3001/);
  assert.equal(model.devScripts, ['dev:worker']);
  assert.ok(model.config.some((variable) => variable.name === 'REDIS_URL' && variable.secret));
});

test('an api with a worker keeps web as the image command and declares every process type once', () => {
  const model = buildModel(apiSpec({ capabilities: ['postgres', 'redis', 'worker'] }));
  assert.equal(
    model.processes.map((process) => process.name),
    ['web', 'release', 'worker'],
  );
  assert.equal(model.docker.cmd, ['node', 'dist/server.js']);
  assert.equal(model.devScripts, ['dev', 'dev:worker']);
  // HOST is declared by both the web and the worker capabilities, and kept once.
  assert.is(model.config.filter((variable) => variable.name === 'HOST').length, 1);
  assert.ok(model.templateDirs.includes('worker-api'));
  assert.equal(
    model.routes.map((route) => route.plugin),
    ['notes', 'jobs'],
  );
  assert.equal(
    model.clients.map((client) => client.name),
    ['db', 'redis'],
  );
});

test('a worker with PostgreSQL gets the database, its release process and migrations, but no route and no web test', () => {
  const spec = addCapability(initialSpec({ name: 'w', kind: 'worker', packageManager: 'npm' }, '1.0.0'), 'postgres');
  assert.equal(spec.capabilities, ['postgres', 'redis', 'worker']);
  const model = buildModel(spec);
  assert.equal(
    model.processes.map((process) => process.name),
    ['release', 'worker'],
  );
  assert.equal(model.routes, []);
  assert.equal(model.setupScripts, ['migrate:dev']);
  assert.not.ok(model.templateDirs.includes('postgres-api'));
  assert.not.ok(model.templateDirs.includes('worker-api'));
  const files = [...renderApp(model).keys()];
  assert.ok(files.includes('src/db.ts') && files.includes('src/migrate.ts'));
  assert.not.ok(
    files.some((file) => file.startsWith('src/routes/') || file === 'test/notes.test.ts' || file === 'src/app.ts'),
  );
});

test('the compatibility table: a client refuses backing services, every kind accepts tracing and error reporting', () => {
  const client = apiSpec({ kind: 'client', capabilities: [] });
  for (const id of ['postgres', 'redis', 'worker'] as const)
    assert.throws(() => addCapability(client, id), /client app/);
  for (const kind of ['api', 'worker', 'client'] as const) {
    for (const id of ['tracing', 'error-reporting'] as const)
      assert.ok(addCapability(apiSpec({ kind, capabilities: [] }), id).capabilities.includes(id));
  }
});

test('the queue is named after the app; an app migrated from before keeps `jobs`', () => {
  assert.is(
    buildModel(apiSpec({ name: '@acme/Billing', kind: 'worker', capabilities: ['redis', 'worker'] })).data.queueName,
    'billing-jobs',
  );
  assert.is(
    buildModel(apiSpec({ kind: 'worker', capabilities: ['redis', 'worker'], queue: 'jobs' })).data.queueName,
    'jobs',
  );
  const queueTs = String(
    renderApp(buildModel(apiSpec({ name: 'orders', kind: 'worker', capabilities: ['redis', 'worker'] }))).get(
      'src/queue.ts',
    ),
  );
  assert.match(queueTs, "export const QUEUE_NAME = 'orders-jobs';");
});

test("a new app's spec: the kind's capabilities, the database asked for, an exact package manager", () => {
  assert.equal(initialSpec({ name: 'a', kind: 'api', db: 'postgres', packageManager: 'npm' }, '1.0.0').capabilities, [
    'postgres',
  ]);
  assert.equal(initialSpec({ name: 'a', kind: 'api', db: 'none', packageManager: 'npm' }, '1.0.0').capabilities, []);
  const worker = initialSpec(
    { name: 'w', kind: 'worker', packageManager: 'pnpm', packageManagerVersion: '12.1.0' },
    '1.0.0',
  );
  assert.equal(worker.capabilities, ['redis', 'worker']);
  assert.is(worker.packageManager, 'pnpm@12.1.0');
  assert.match(
    initialSpec({ name: 'a', kind: 'api', packageManager: 'yarn' }, '1.0.0').packageManager,
    /^yarn@\d+\.\d+\.\d+$/,
  );
});

test('tracing preloads itself in long-running processes only; error reporting bakes the release at build', () => {
  const model = buildModel(apiSpec({ capabilities: ['postgres', 'redis', 'worker', 'error-reporting', 'tracing'] }));
  const commands = Object.fromEntries(model.processes.map((process) => [process.name, process.command]));
  assert.equal(commands, {
    web: 'node --import ./dist/tracing.js dist/server.js',
    release: 'node dist/migrate.js up',
    worker: 'node --import ./dist/tracing.js dist/worker.js',
  });
  // The image's compile cache: the preload stops at config like the process, so each also runs without it.
  assert.equal(model.docker.warmUp?.commands, [
    'node --import ./dist/tracing.js dist/server.js',
    'node dist/server.js',
    'node --import ./dist/tracing.js dist/worker.js',
    'node dist/worker.js',
  ]);
  const scripts = Object.fromEntries(model.scripts.map((script) => [script.name, script.command]));
  assert.is(scripts.build, 'tsc --noEmit && node build.ts && node src/release.ts');
  assert.is(scripts['dev:worker'], 'node --import ./src/tracing.ts --env-file-if-exists=.env --watch src/worker.ts');
  assert.is(scripts.migrate, 'node --env-file-if-exists=.env dist/migrate.js up');
  assert.is(scripts['migrate:dev'], 'node --env-file-if-exists=.env src/migrate.ts up --create-database');
  // Reverting runs where the image runs too (no src/ there); the sources' variant is for development.
  assert.is(scripts['migrate:down'], 'node --env-file-if-exists=.env dist/migrate.js down');
  assert.is(scripts['migrate:down:dev'], 'node --env-file-if-exists=.env src/migrate.ts down');
  assert.is(scripts['migration:new'], 'node --env-file-if-exists=.env src/migration-new.ts');
  // What OpenTelemetry patches stays out of the bundle; the entry points come from every capability.
  assert.equal(model.bundle, {
    entryPoints: ['console', 'server', 'migrate', 'migrations/*', 'worker', 'enqueue', 'tracing'],
    externals: ['@opentelemetry/*', 'ioredis', 'pg', 'pino'],
    modulesInDist: true,
  });
  assert.is(scripts['start:worker'], 'node --import ./dist/tracing.js --env-file-if-exists=.env dist/worker.js');
  assert.equal(model.docker.cmd, ['node', '--import', './dist/tracing.js', 'dist/server.js']);
  const secret = Object.fromEntries(model.config.map((variable) => [variable.name, variable.secret]));
  assert.is(secret.SENTRY_DSN, true);
  assert.is(secret.OTEL_EXPORTER_OTLP_ENDPOINT, false);
});

test('without the capabilities nothing changes: no preload, a plain build, nothing left external', () => {
  const model = buildModel(apiSpec({ capabilities: ['postgres'] }));
  assert.is(model.processes.find((process) => process.name === 'web')?.command, 'node dist/server.js');
  assert.is(
    model.scripts.find((script) => script.name === 'build')?.command,
    'tsc --noEmit && node build.ts && node src/release.ts',
  );
  assert.equal(model.bundle.externals, []);
});

test('every FROM names the Node.js image by tag and digest', () => {
  const model = buildModel(apiSpec());
  assert.match(model.node.image, new RegExp(`^node:${model.node.version}-bookworm-slim@sha256:[0-9a-f]{64}$`));
});

test('the expected major of each backing service is one value: compose image and startup check derive from it', () => {
  const model = buildModel(apiSpec({ capabilities: ['postgres', 'redis', 'error-reporting'] }));
  const checks = model.clients.map((client) => client.version);
  assert.equal(
    checks.map((check) => [check?.service, check?.expected]),
    [
      ['postgres', POSTGRES_MAJOR],
      ['redis', REDIS_MAJOR],
    ],
  );
  assert.equal(
    model.services.map((service) => service.image),
    [`postgres:${POSTGRES_MAJOR}`, `redis:${REDIS_MAJOR}`],
  );
  const services = String(renderApp(model).get('src/services.ts'));
  assert.match(
    services,
    `{ service: 'postgres', expected: ${POSTGRES_MAJOR}, read: () => postgresMajor(services.db, signal) }`,
  );
  assert.match(
    services,
    `{ service: 'redis', expected: ${REDIS_MAJOR}, read: () => redisMajor(services.redis, signal) }`,
  );
  assert.match(services, "'backing service version differs'");
  // Without a backing service there is nothing to compare, and the entry points call it all the same.
  const none = String(renderApp(buildModel(apiSpec({ capabilities: [] }))).get('src/services.ts'));
  assert.match(none, 'export async function checkServiceVersions(_services: Services, _logger: Logger)');
});

test('REQUEST_TIMEOUT_MS: a web process variable with a default, applied to Fastify; a worker has none', () => {
  const timeout = buildModel(apiSpec()).config.find((variable) => variable.name === 'REQUEST_TIMEOUT_MS');
  assert.equal([timeout?.default, timeout?.type, timeout?.secret], ['5000', 'number', false]);
  const app = String(renderApp(buildModel(apiSpec())).get('src/app.ts'));
  assert.match(app, 'requestTimeout: config.REQUEST_TIMEOUT_MS');
  assert.match(app, 'handlerTimeout: config.REQUEST_TIMEOUT_MS');
  const worker = buildModel(apiSpec({ kind: 'worker', capabilities: ['redis', 'worker'] }));
  assert.not.ok(worker.config.some((variable) => variable.name === 'REQUEST_TIMEOUT_MS'));
});

test('a client with error reporting serves its own public SENTRY_BROWSER_DSN, never the secret SENTRY_DSN', () => {
  const model = buildModel(apiSpec({ kind: 'client', capabilities: ['error-reporting'] }));
  assert.equal(
    model.config.filter((variable) => variable.public).map((variable) => variable.name),
    ['API_URL', 'SENTRY_ENVIRONMENT', 'SENTRY_BROWSER_DSN'],
  );
  assert.ok(model.config.find((variable) => variable.name === 'SENTRY_DSN')?.secret);
  assert.ok(model.devDependencies['@sentry/react'], 'the SDK is bundled by Vite, not installed in the image');
  const files = renderApp(model);
  assert.match(String(files.get('client/report.tsx')), "await import('./sentry.tsx')");
  assert.match(String(files.get('client/sentry.tsx')), "from '@sentry/react'");
  // An API keeps the browser's variable out, and a client without error reporting keeps a no-op.
  const api = buildModel(apiSpec());
  assert.not.ok(api.config.some((variable) => variable.public || variable.name === 'SENTRY_BROWSER_DSN'));
  const plain = renderApp(buildModel(apiSpec({ kind: 'client', capabilities: [] })));
  assert.not.ok(plain.has('client/sentry.tsx'));
  assert.not.match(String(plain.get('client/report.tsx')), 'sentry');
});

test.run();
