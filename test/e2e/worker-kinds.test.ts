/**
 * Kinds and capabilities meeting, end to end from the packed CLI: a `--kind worker` app gets
 * PostgreSQL with `add postgres` (the database, no web route, no web-only test) and passes its own
 * build, typecheck, lint and tests; two worker apps on one Redis each run only their own jobs, since
 * each queue is named after its app. Real installs, a real PostgreSQL and a real Redis.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { POSTGRES_MAJOR } from '../../src/capabilities/postgres/versions.ts';
import { REDIS_MAJOR } from '../../src/capabilities/redis/versions.ts';
import { dropDatabases, freshDatabase, query } from '../support/databases.ts';
import { freePort, HOST, statusWithin, waitForHealthy } from '../support/http.ts';
import { assertAppTestsPassed, parseJsonLines, processTracker, type Running } from '../support/processes.ts';
import { freshRedis, redisCommands, releaseRedisDatabases } from '../support/redis.ts';
import { runCli, tempDir } from '../support/scaffold.ts';
import { waitUntil, within } from '../support/wait.ts';

const test = suite('kinds x capabilities: a worker with PostgreSQL, two worker apps on one Redis');

const { start, killAll } = processTracker();
const cleanEnv = (env: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  ...env,
});
const quiet = { reject: false, stdin: 'ignore' as const, timeout: 300_000 };
const out = (result: { stdout: unknown; stderr: unknown }) => `${String(result.stdout)}\n${String(result.stderr)}`;

/** A worker app from the packed CLI, with its real install, named `name`. */
async function workerApp(name: string): Promise<string> {
  const cwd = tempDir(name);
  const created = await runCli([name, '--kind', 'worker', '--yes'], { cwd, timeout: 300_000 });
  assert.is(created.exitCode, 0, out(created));
  return path.join(cwd, name);
}

let orders: string | undefined;
/** The same app once built, for the next test even when the app's own tests failed. */
let built: string | undefined;

test('--kind worker, then add postgres: the database and its release process, no route and no web test; build, typecheck, lint and npm test pass', async () => {
  const dir = await workerApp('orders');
  const added = await runCli(['add', 'postgres', '--yes'], { cwd: dir, timeout: 300_000 });
  assert.is(added.exitCode, 0, out(added));
  assert.not.match(fs.readFileSync(path.join(dir, 'src', 'services.ts'), 'utf8'), '<<<<<<<');
  for (const file of ['src/db.ts', 'src/migrate.ts', 'src/migrations'])
    assert.ok(fs.existsSync(path.join(dir, file)), `${file} missing`);
  for (const file of ['src/routes', 'src/app.ts', 'test/notes.test.ts', 'test/setup.ts'])
    assert.not.ok(fs.existsSync(path.join(dir, file)), `${file} in a worker`);
  assert.match(fs.readFileSync(path.join(dir, 'Procfile'), 'utf8'), /^release: node dist\/migrate\.js up$/m);

  for (const script of ['build', 'typecheck', 'lint']) {
    const result = await execa('npm', ['run', script], { ...quiet, cwd: dir });
    assert.is(result.exitCode, 0, `npm run ${script}:\n${out(result)}`);
  }
  built = dir;
  const DATABASE_URL = await freshDatabase('workerdb');
  const REDIS_URL = await freshRedis();
  const env = cleanEnv({ DATABASE_URL, REDIS_URL, TEST_DATABASE_URL: DATABASE_URL, TEST_REDIS_URL: REDIS_URL });
  const migrated = await execa('npm', ['run', 'migrate'], { ...quiet, cwd: dir, env, extendEnv: false });
  assert.is(migrated.exitCode, 0, out(migrated));
  assert.equal(await query(DATABASE_URL, "select to_regclass('public.notes')::text as notes"), [{ notes: 'notes' }]);
  assertAppTestsPassed(await execa('npm', ['test'], { ...quiet, cwd: dir, env, extendEnv: false }));

  // Its readiness now includes the database, on the worker's own probe port.
  const port = await freePort();
  const worker = start(dir, 'worker', { HOST, HEALTH_PORT: String(port), DATABASE_URL, REDIS_URL });
  await waitForHealthy(port, worker.exited, 10_000);
  assert.is(await statusWithin(port, '/readyz', 5_000), 200, worker.stdout());
  // Dev/prod parity: the servers here are compared with the majors compose and CI run. This machine's
  // PostgreSQL (15) differs from the model's, so the warning is real; Redis is checked the same way.
  await worker.waitForLine(/"msg":"worker ready"/, 15_000);
  const actual = {
    postgres: Math.floor(
      Number(
        (await query<{ server_version_num: string }>(DATABASE_URL, 'show server_version_num'))[0]?.server_version_num,
      ) / 10_000,
    ),
    redis: Number(/^redis_version:(\d+)\./m.exec(String((await redisCommands(0, [['INFO', 'server']]))[0]))?.[1]),
  };
  const expected = { postgres: POSTGRES_MAJOR, redis: REDIS_MAJOR };
  await waitUntil(
    () => parseJsonLines(worker.lines()).some((event) => event.msg === 'backing service version differs'),
    5_000,
  );
  const differs = parseJsonLines(worker.lines()).filter((event) => event.msg === 'backing service version differs');
  for (const service of ['postgres', 'redis'] as const) {
    const events = differs.filter((event) => event.service === service);
    if (actual[service] === expected[service]) assert.is(events.length, 0, worker.stdout());
    else
      assert.equal(
        events.map((event) => ({ level: event.level, expected: event.expected, actual: event.actual })),
        [{ level: 'warn', expected: expected[service], actual: actual[service] }],
        worker.stdout(),
      );
  }
  assert.ok(differs.length > 0, `this machine's PostgreSQL ${actual.postgres} differs from ${POSTGRES_MAJOR}`);
  worker.child.kill('SIGTERM');
  assert.is((await within(worker.exited, 20_000, 'worker exits')).code, 0, worker.stdout());

  // The console waits for Redis (and PostgreSQL) before it evaluates input piped in at once.
  const session = await execa('npm', ['run', '--silent', 'console'], {
    reject: false,
    timeout: 60_000,
    cwd: dir,
    env: { ...env, LOG_LEVEL: 'warn' },
    extendEnv: false,
    input: ['await redis.ping()', "(await db.selectFrom('notes').select('id').execute()).length", ''].join('\n'),
  });
  assert.is(session.exitCode, 0, out(session));
  assert.match(String(session.stdout), /'PONG'/, out(session));
  assert.not.match(out(session), /Error/, out(session));
  orders = dir;
});

test('the admin scripts run where the image runs: with dist/, package.json and no node_modules or src/, npm run migrate, enqueue and console work against PostgreSQL and Redis', async () => {
  assert.ok(built, 'needs the worker app of the test above');
  // What the Dockerfile's final stage holds for an app with nothing left external (build.ts).
  const image = tempDir('image');
  for (const entry of ['package.json', 'Procfile', 'dist'])
    fs.cpSync(path.join(built, entry), path.join(image, entry), { recursive: true });
  assert.not.ok(fs.existsSync(path.join(image, 'node_modules')) || fs.existsSync(path.join(image, 'src')));
  const DATABASE_URL = await freshDatabase('imagedb');
  const REDIS_URL = await freshRedis();
  const env = cleanEnv({ DATABASE_URL, REDIS_URL, LOG_LEVEL: 'warn' });
  const run = (args: string[], input?: string) =>
    execa('npm', ['run', '--silent', ...args], {
      ...quiet,
      cwd: image,
      env,
      extendEnv: false,
      ...(input === undefined ? {} : { stdin: undefined, input }),
    });

  const migrated = await run(['migrate']);
  assert.is(migrated.exitCode, 0, out(migrated));
  assert.equal(await query(DATABASE_URL, "select to_regclass('public.notes')::text as notes"), [{ notes: 'notes' }]);

  const enqueued = await run(['enqueue', '--', 'example', '{"delayMs":0}']);
  assert.is(enqueued.exitCode, 0, out(enqueued));
  assert.match(String(enqueued.stdout).trim(), /^\S+$/);

  await query(DATABASE_URL, "insert into notes (text) values ('from the image')");
  const session = await run(
    ['console'],
    ['config.WORKER_CONCURRENCY', "(await db.selectFrom('notes').select('text').execute())[0].text", ''].join('\n'),
  );
  assert.is(session.exitCode, 0, out(session));
  assert.match(String(session.stdout), /from the image/);
});

test("two worker apps on one Redis never take each other's jobs: each queue is named after its app", async () => {
  assert.ok(orders, 'needs the worker app of the test above');
  const billing = await workerApp('billing');
  for (const dir of [orders, billing]) {
    const built = await execa('npm', ['run', 'build'], { ...quiet, cwd: dir });
    assert.is(built.exitCode, 0, out(built));
  }
  const REDIS_URL = await freshRedis();
  const DATABASE_URL = await freshDatabase('ordersjobs');
  const startWorker = async (dir: string) => {
    const port = await freePort();
    const proc = start(dir, 'worker', { HOST, HEALTH_PORT: String(port), REDIS_URL, DATABASE_URL });
    await proc.waitForLine(/"msg":"worker ready"/, 15_000);
    return proc;
  };
  const workers = { orders: await startWorker(orders), billing: await startWorker(billing) };
  const ready = (proc: Running) => parseJsonLines(proc.lines()).find((event) => event.msg === 'worker ready');
  assert.is(ready(workers.orders)?.queue, 'orders-jobs');
  assert.is(ready(workers.billing)?.queue, 'billing-jobs');

  // Five jobs to each app, through each app's own enqueue command.
  const JOBS = 5;
  for (const [dir, count] of [
    [orders, JOBS],
    [billing, JOBS],
  ] as const) {
    for (let index = 0; index < count; index++) {
      const enqueued = await execa(process.execPath, ['dist/enqueue.js', 'example', '{"delayMs":50}'], {
        ...quiet,
        cwd: dir,
        // The orders app has PostgreSQL too: its config (read by every process) requires both URLs.
        env: cleanEnv({ REDIS_URL, DATABASE_URL }),
        extendEnv: false,
      });
      assert.is(enqueued.exitCode, 0, out(enqueued));
    }
  }
  const completed = (proc: Running) =>
    parseJsonLines(proc.lines()).filter((event) => event.msg === 'job completed').length;
  const started = (proc: Running) => parseJsonLines(proc.lines()).filter((event) => event.msg === 'job started').length;
  const done = await waitUntil(() => completed(workers.orders) === JOBS && completed(workers.billing) === JOBS, 20_000);
  assert.ok(done, `each worker completes its own jobs:\n${workers.orders.stdout()}\n${workers.billing.stdout()}`);
  // A shared queue would have spread the ten jobs over both workers in some other split.
  assert.is(started(workers.orders), JOBS);
  assert.is(started(workers.billing), JOBS);
  for (const proc of Object.values(workers)) proc.child.kill('SIGTERM');
  for (const proc of Object.values(workers)) assert.is((await within(proc.exited, 20_000, 'worker exits')).code, 0);
});

test.after(async () => {
  await killAll();
  await releaseRedisDatabases();
  await dropDatabases();
});

test.run();
