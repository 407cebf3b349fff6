/**
 * Issue 17: with packages left external (tracing), the image's final stage holds only their runtime
 * closure, copied by the rendered build.ts into dist/node_modules, not the production install. Read from
 * rendered apps; the closure function is imported from a rendered build.ts (importing it does not build).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildModel } from '../../src/app-model.ts';
import { renderApp } from '../../src/render.ts';
import { apiSpec } from '../support/spec.ts';

const test = suite('image: only the externals and what they load');

const TRACED = ['postgres', 'redis', 'worker', 'error-reporting', 'tracing'];
const render = (capabilities: string[], packageManager = 'npm@11.19.1') => {
  const model = buildModel(apiSpec({ capabilities, packageManager }));
  const files = renderApp(model);
  const text = (file: string) => String(files.get(file));
  return { model, text };
};
/** The Dockerfile's final stage. */
const runStage = (dockerfile: string) => dockerfile.split(/^FROM /m).at(-1) ?? '';

test('with tracing (npm): build.ts copies the closure into dist/node_modules; the final stage copies no node_modules', () => {
  const { model, text } = render(TRACED);
  assert.ok(model.bundle.modulesInDist);
  const dockerfile = text('Dockerfile');
  assert.not.match(dockerfile, /node_modules \.\/node_modules/);
  assert.not.match(dockerfile, /npm prune/);
  assert.match(dockerfile, /^RUN npm run build$/m);
  assert.match(runStage(dockerfile), /^COPY --from=build \/app\/dist \.\/dist$/m);
  assert.equal(
    [...runStage(dockerfile).matchAll(/^COPY (?:--from=build \/app\/)?(\S+)/gm)].map((match) => match[1]),
    ['package.json', 'dist', 'Procfile'],
  );
  assert.match(text('README.md'), /: no other `node_modules` than `dist\/node_modules`\./);
  assert.match(text('README.md'), /dependencies per `package-lock\.json`/);
  const build = text('build.ts');
  assert.match(build, /const external: string\[\] = \['@opentelemetry\/\*', 'ioredis', 'pg', 'pino'\];/);
  assert.match(build, /runtimeClosure\(lock\.packages, \[\.\.\.imported\]\)/);
  assert.match(build, /cpSync\(folder, path\.join\('dist', folder\)/);
});

test('without externals: no closure code, and the final stage holds package.json, dist/ and the Procfile', () => {
  const { model, text } = render(['postgres', 'error-reporting']);
  assert.not.ok(model.bundle.modulesInDist);
  assert.not.match(text('build.ts'), /runtimeClosure|cpSync|package-lock/);
  assert.not.match(text('Dockerfile'), /^COPY .*node_modules|prune/m);
  assert.match(text('README.md'), /`dist\/` and the `Procfile`: no `node_modules`\./);
});

test('with tracing and pnpm (no package-lock.json): the pruned production install still ships', () => {
  const { model, text } = render(TRACED, 'pnpm@12.21.0');
  assert.not.ok(model.bundle.modulesInDist);
  assert.not.match(text('build.ts'), /runtimeClosure/);
  assert.match(text('Dockerfile'), /^RUN pnpm run build && pnpm prune --prod$/m);
  assert.match(runStage(text('Dockerfile')), /^COPY --from=build \/app\/node_modules \.\/node_modules$/m);
  assert.match(text('README.md'), /the production `node_modules`, `dist\/` and the `Procfile`\./);
});

type Closure = (packages: Record<string, object>, names: string[]) => string[];
/** The functions of a rendered build.ts, imported (not run) beside this repository's esbuild. */
async function renderedBuild(): Promise<{
  runtimeClosure: Closure;
  unloaded: (file: string) => boolean;
  packageName: (specifier: string) => string;
}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twelve-build-ts-'));
  // From this file, not the working directory: yeoman-test moves it while the generator tests run first.
  fs.symlinkSync(path.join(import.meta.dirname, '..', '..', 'node_modules'), path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, 'build.ts'), render(TRACED).text('build.ts'));
  try {
    return await import(pathToFileURL(path.join(dir, 'build.ts')).href);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('runtimeClosure: each dependency where Node finds it, transitively, once; optional and peer ones when locked', async () => {
  const { runtimeClosure } = await renderedBuild();
  const packages = {
    '': { dependencies: { pg: '8', fastify: '5' } },
    'node_modules/pg': {
      dependencies: { 'pg-types': '2', 'pg-pool': '3' },
      optionalDependencies: { 'pg-cloudflare': '1' },
      peerDependencies: { 'pg-native': '3' },
    },
    // pg's own copy of pg-types wins over the hoisted one; pg-types's dependency is found by walking up.
    'node_modules/pg/node_modules/pg-types': { dependencies: { 'postgres-array': '2' } },
    'node_modules/pg-types': { dependencies: { 'postgres-array': '3' } },
    'node_modules/pg-pool': { peerDependencies: { pg: '8' } },
    'node_modules/postgres-array': {},
    'node_modules/@opentelemetry/instrumentation': { dependencies: { 'import-in-the-middle': '1', semver: '7' } },
    'node_modules/@opentelemetry/instrumentation/node_modules/semver': {},
    'node_modules/import-in-the-middle': { dependencies: { 'cjs-module-lexer': '1' } },
    'node_modules/cjs-module-lexer': {},
    'node_modules/semver': {},
    // Bundled: never reached from the externals.
    'node_modules/fastify': { dependencies: { semver: '7' } },
    // Declarations only: never loaded, nor what they need.
    'node_modules/@opentelemetry/instrumentation-pg': { dependencies: { '@types/pg': '8', pg: '8' } },
    'node_modules/@types/pg': { dependencies: { '@types/node': '24' } },
    'node_modules/@types/node': { dependencies: { 'undici-types': '7' } },
    'node_modules/undici-types': {},
  };
  assert.equal(
    runtimeClosure(packages, ['pg', '@opentelemetry/instrumentation', '@opentelemetry/instrumentation-pg']),
    [
      'node_modules/@opentelemetry/instrumentation',
      'node_modules/@opentelemetry/instrumentation-pg',
      'node_modules/@opentelemetry/instrumentation/node_modules/semver',
      'node_modules/cjs-module-lexer',
      'node_modules/import-in-the-middle',
      'node_modules/pg',
      'node_modules/pg-pool',
      'node_modules/pg/node_modules/pg-types',
      'node_modules/postgres-array',
    ],
  );
  // An optional dependency that is not installed is left out (pg-cloudflare, pg-native above); a required
  // one that is missing fails the build.
  assert.throws(
    () => runtimeClosure({ 'node_modules/pino': { dependencies: { 'thread-stream': '3' } } }, ['pino']),
    /thread-stream, needed by node_modules\/pino, is not in package-lock\.json/,
  );
  // An import the bundle leaves unresolved (a `require()` inside `try`, an optional peer) may be missing.
  assert.equal(runtimeClosure({ 'node_modules/pg': {} }, ['pg', '@valkey/valkey-glide']), ['node_modules/pg']);
});

test('unloaded: declarations, TypeScript, source maps and docs are not copied; code, JSON and licenses are', async () => {
  const { unloaded } = await renderedBuild();
  for (const file of ['a/index.d.ts', 'a/index.d.mts', 'a/index.d.cts', 'a/src/x.ts', 'a/index.js.map', 'a/README.md'])
    assert.ok(unloaded(file), file);
  for (const file of ['a/index.js', 'a/index.mjs', 'a/index.cjs', 'a/package.json', 'a/LICENSE.md', 'a/hook.mjs'])
    assert.not.ok(unloaded(file), file);
});

test('packageName: the package of an import specifier', async () => {
  const { packageName } = await renderedBuild();
  assert.is(packageName('pg'), 'pg');
  assert.is(packageName('pino/file'), 'pino');
  assert.is(packageName('@opentelemetry/api'), '@opentelemetry/api');
  assert.is(packageName('@opentelemetry/instrumentation/hook.mjs'), '@opentelemetry/instrumentation');
});

test.run();
