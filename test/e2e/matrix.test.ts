/**
 * Every combination proven: every kind × every capability set the compatibility rules allow (see
 * test/support/capability-sets.ts), and an app from a house template whose defaults give a worker a
 * database, each rendered, typechecked, linted and its own
 * `npm test` run against a real PostgreSQL database and Redis logical database of its own.
 *
 * One install serves the whole matrix: the union of every rendered package.json's dependencies
 * (one version map, so they agree) is installed once and linked into each app as its node_modules.
 * Two cases run at a time. Sizes and times are printed at the end.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildModel } from '../../src/app-model.ts';
import { initTemplate } from '../../src/house-template/init.ts';
import { renderApp } from '../../src/render.ts';
import { runBounded } from '../support/bounded.ts';
import { validCombinations } from '../support/capability-sets.ts';
import { dropDatabases, freshDatabase } from '../support/databases.ts';
import { freshRedis, releaseRedisDatabase, releaseRedisDatabases } from '../support/redis.ts';
import { type S3Server, s3Server } from '../support/s3.ts';
import { runCli, tempDir } from '../support/scaffold.ts';
import { apiSpec } from '../support/spec.ts';

const test = suite('matrix: every kind × every valid capability set typechecks, lints and passes its own tests');

const WIDTH = 2;
const STEP_TIMEOUT_MS = 180_000;
// The apps' scripts run `node` and `npm` from PATH: the Node.js 24 running this test comes first,
// however the test was started.
const PATH = [path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter);

interface Case {
  label: string;
  dir: string;
}

interface Outcome {
  label: string;
  ms: number;
  steps: Record<string, number>;
  failure?: string;
}

let s3: Promise<S3Server> | undefined;
/** One S3-compatible server for every app with storage (lenient on bucket-level signatures, see test/support/s3.ts). */
const storageServer = () => (s3 ??= s3Server([], { strict: false }));

test.after(async () => {
  await dropDatabases();
  await releaseRedisDatabases();
  if (s3) await (await s3).close();
});

/** An app rendered in-process from its spec, exactly as the CLI writes it. */
function renderCase(root: string, kind: string, capabilities: string[]): Case {
  const label = [kind, ...capabilities].join('-');
  const name = `m-${label}`;
  const dir = path.join(root, label);
  const spec = apiSpec({
    name,
    kind: kind as never,
    capabilities: capabilities as never,
    // A scheduled app has tasks: two, one with a time zone, so the list and its index are exercised.
    ...(capabilities.includes('schedule')
      ? {
          tasks: [
            { name: 'nightly-report', cron: '0 2 * * *', timezone: 'Europe/Paris' },
            { name: 'sweep', cron: '*/5 * * * *' },
          ],
        }
      : {}),
  });
  for (const [file, contents] of renderApp(buildModel(spec))) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), contents);
  }
  fs.writeFileSync(path.join(dir, '.yo-rc.json'), `${JSON.stringify({ 'create-twelve-app': spec }, null, 2)}\n`);
  return { label, dir };
}

/** A house template made by `template init`, whose defaults make a worker with PostgreSQL, rendered by the packed CLI. */
async function houseCase(root: string): Promise<Case> {
  const { directory } = initTemplate('@acme/matrix-house', root);
  const manifestFile = path.join(directory, 'twelve-template.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(
    manifestFile,
    `${JSON.stringify({ ...manifest, defaults: { kind: 'worker', db: 'postgres' } }, null, 2)}\n`,
  );
  const created = await runCli(['house-worker', '--template', directory, '--yes', '--skip-install', '--skip-git'], {
    cwd: root,
  });
  assert.is(created.exitCode, 0, `${String(created.stdout)}\n${String(created.stderr)}`);
  const dir = path.join(root, 'house-worker');
  const saved = JSON.parse(fs.readFileSync(path.join(dir, '.yo-rc.json'), 'utf8'))['create-twelve-app'] as {
    kind: string;
    capabilities: string[];
  };
  return { label: `house-template (${saved.kind}: ${saved.capabilities.join(', ')})`, dir };
}

/** The union of the apps' dependencies, installed once; each app links it as its node_modules. */
async function sharedInstall(
  root: string,
  cases: Case[],
): Promise<{ ms: number; packages: number; kilobytes: number }> {
  const union: Record<string, string> = {};
  for (const { dir, label } of cases) {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      assert.ok(
        union[name] === undefined || union[name] === version,
        `${label} wants ${name}@${version}, another app ${union[name]}`,
      );
      union[name] = version;
    }
  }
  const shared = path.join(root, 'shared');
  fs.mkdirSync(shared);
  fs.writeFileSync(
    path.join(shared, 'package.json'),
    JSON.stringify({ name: 'matrix-shared', private: true, dependencies: union }, null, 2),
  );
  const started = performance.now();
  const installed = await execa('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], {
    cwd: shared,
    reject: false,
    env: { PATH },
    stdin: 'ignore',
    timeout: 600_000,
  });
  assert.is(installed.exitCode, 0, `${String(installed.stdout)}\n${String(installed.stderr)}`);
  const ms = Math.round(performance.now() - started);
  for (const { dir } of cases) fs.symlinkSync(path.join(shared, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const kilobytes = Number(
    execFileSync('du', ['-sk', path.join(shared, 'node_modules')], { encoding: 'utf8' }).split('\t')[0],
  );
  return { ms, packages: Object.keys(union).length, kilobytes };
}

/** typecheck, lint and the app's own tests, with its own database and Redis database. */
async function runCase({ label, dir }: Case): Promise<Outcome> {
  const started = performance.now();
  const steps: Record<string, number> = {};
  const env: Record<string, string> = { PATH, HOME: process.env.HOME ?? '/tmp' };
  const config = fs.readFileSync(path.join(dir, '.env.example'), 'utf8');
  // The app's tests use their own TEST_* URLs (.env.example), which must never skip a test here.
  if (/^DATABASE_URL=/m.test(config)) env.DATABASE_URL = env.TEST_DATABASE_URL = await freshDatabase('matrix');
  if (/^REDIS_URL=/m.test(config)) env.REDIS_URL = env.TEST_REDIS_URL = await freshRedis();
  // A bucket of its own on the shared S3-compatible server, made before the tests start, as compose and CI
  // make it: every test file that finds all its services reachable expects /readyz to answer 200.
  if (/^STORAGE_URL=/m.test(config)) {
    const server = await storageServer();
    const bucket = `${path.basename(dir).slice(0, 50)}-test`;
    server.addBucket(bucket);
    env.TEST_STORAGE_URL = server.url(bucket);
  }
  try {
    for (const script of ['typecheck', 'lint', 'test']) {
      const begun = performance.now();
      const result = await runBounded(
        'npm',
        ['run', script],
        { cwd: dir, env, extendEnv: false, all: true },
        STEP_TIMEOUT_MS,
      );
      steps[script] = Math.round(performance.now() - begun);
      const out = String(result.all ?? '');
      const failed =
        script === 'test'
          ? result.exitCode !== 0 || /ℹ (fail|skipped|todo) [1-9]/.test(out) || !/ℹ pass [1-9]/.test(out)
          : result.exitCode !== 0;
      if (failed)
        return {
          label,
          ms: Math.round(performance.now() - started),
          steps,
          failure: `npm run ${script}${result.timedOut ? ' (timed out)' : ''}:\n${tail(out, 25)}`,
        };
    }
    return { label, ms: Math.round(performance.now() - started), steps };
  } finally {
    if (env.REDIS_URL) await releaseRedisDatabase(env.REDIS_URL);
  }
}

function tail(text: string, lines: number): string {
  return text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `    ${line}`)
    .join('\n');
}

/** Runs `work` over `items`, `width` at a time, in order of start. */
async function pool<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return results;
}

test("every kind × capability set, and a house template's defaults", async () => {
  const suiteStarted = performance.now();
  const root = tempDir('matrix');
  // MATRIX_ONLY=storage,schedule: only the sets with one of those capabilities, for a change's own sets.
  const only = process.env.MATRIX_ONLY?.split(',').filter(Boolean);
  const combinations = validCombinations(apiSpec()).filter(
    ({ capabilities }) => !only || capabilities.some((id) => only.includes(id)),
  );
  const cases = combinations.map(({ kind, capabilities }) => renderCase(root, kind, capabilities));
  if (!only) cases.push(await houseCase(root));
  const install = await sharedInstall(root, cases);
  const outcomes = await pool(cases, WIDTH, async (item) => {
    const outcome = await runCase(item);
    // As each finishes, so a slow run shows where it is.
    console.log(`  matrix: ${outcome.failure ? 'FAIL' : 'ok'} ${outcome.label} (${outcome.ms} ms)`);
    return outcome;
  });
  const failed = outcomes.filter((outcome) => outcome.failure !== undefined);
  const totalMs = Math.round(performance.now() - suiteStarted);
  console.log(
    [
      '',
      `matrix: ${cases.length} apps (${combinations.length} kind × capability sets + 1 house template), ${WIDTH} at a time`,
      `  shared install: ${install.packages} direct dependencies, ${Math.round(install.kilobytes / 1024)} MB node_modules, ${install.ms} ms`,
      `  total ${totalMs} ms; per app (typecheck/lint/test ms):`,
      ...outcomes.map(
        (outcome) =>
          `  ${outcome.failure ? 'FAIL' : 'ok  '} ${outcome.label.padEnd(52)} ${String(outcome.ms).padStart(6)}  ${JSON.stringify(outcome.steps)}`,
      ),
    ].join('\n'),
  );
  assert.equal(
    failed.map((outcome) => outcome.label),
    [],
    failed.map((outcome) => `${outcome.label}: ${outcome.failure}`).join('\n\n'),
  );
});

test.run();
