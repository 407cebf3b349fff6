/**
 * The worker capability end to end, from the packed CLI: `add worker` on a committed API app (twice),
 * and `--kind worker` generated fresh. Every process is started from the app's Procfile with a clean
 * environment, against a real Redis (a database of its own per scenario) and a real Postgres; queue
 * state is read through the app's own BullMQ. Every wait and loop is bounded in count and time.
 *
 * The stall-recovery scenario mostly waits on BullMQ's clocks (lock 10 s, stalled check every 5 s), so
 * it starts in the background as soon as the worker app is built and the scenarios in between run
 * meanwhile; its own test further down awaits its outcome.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseYaml } from 'yaml';
import { dropDatabases, freshDatabase } from '../support/databases.ts';
import { freePort, HOST, request, statusWithin, waitForHealthy } from '../support/http.ts';
import { assertAppTestsPassed, parseJsonLines, processTracker, procfile, type Running } from '../support/processes.ts';
import { freshRedis, releaseRedisDatabases } from '../support/redis.ts';
import { generatedApp, runCli, tempDir } from '../support/scaffold.ts';
import { waitUntil, within } from '../support/wait.ts';

const test = suite('worker capability: add worker, Procfile workers against Redis and Postgres');

const WORKER_FLAGS = ['--kind', 'worker', '--yes'];
/** The longest any process may take to exit once it should; far above what any run needs. */
const EXIT_WAIT_MS = 20_000;
/** BullMQ recovers a killed worker's job in lockDuration + up to 2 × stalledInterval (10 + 10 s). */
const STALL_RECOVERY_WAIT_MS = 30_000;
const BENCHMARK_JOBS = 1_000;

// ------------------------------------------------------------------ figures (printed at the end)

const figures = {
  addWorker: {} as Record<string, number>,
  workerApp: {} as Record<string, number>,
  /** SIGTERM to exit with one job in flight, SHUTDOWN_TIMEOUT_MS=100: the job is handed back. */
  sigtermExitOneInFlightMs: 0,
  /** SIGKILL of the worker running a job to "job completed" by the other worker. */
  stallRecoveryMs: 0,
  /** Example job, delayMs 0, from the first "job started" to the last "job completed". */
  jobsPerSecond: {} as Record<string, number>,
  suiteMs: 0,
};
let suiteStarted = 0;
const ms = (value: number) => Math.round(value);

// ------------------------------------------------------------------ processes

const { start, killAll } = processTracker();

/** A clean environment plus what the test sets, for the app's npm scripts and one-off commands. */
const cleanEnv = (env: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  ...env,
});

type Event = Record<string, unknown>;
const events = (proc: Running): Event[] => parseJsonLines(proc.lines());
const jobEvents = (procs: Running[], msg: string, jobId?: string) =>
  procs.flatMap(events).filter((event) => event.msg === msg && (jobId === undefined || event.jobId === jobId));
const completions = (procs: Running[], jobId: string) => jobEvents(procs, 'job completed', jobId).length;
const output = (proc: Running) => `stdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`;

interface Worker {
  proc: Running;
  port: number;
}

/** Starts the worker process type with its probes on a free port, and waits for "worker ready". */
async function startWorker(dir: string, env: Record<string, string>): Promise<Worker> {
  const port = await freePort();
  const proc = start(dir, 'worker', { HOST, HEALTH_PORT: String(port), ...env });
  try {
    await waitForHealthy(port, proc.exited, 10_000);
    await proc.waitForLine(/"msg":"worker ready"/, 10_000);
  } catch (err) {
    proc.child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output(proc)}`);
  }
  return { proc, port };
}

/** Sends the signal; the exit code and the time from the signal to the exit. */
async function stop(worker: Worker, signal: NodeJS.Signals = 'SIGTERM') {
  const sent = performance.now();
  worker.proc.child.kill(signal);
  const { code, at } = await within(worker.proc.exited, EXIT_WAIT_MS, `worker exits after ${signal}`);
  return { code, ms: at - sent };
}

/**
 * Runs an enqueue admin command in `dir`, asserts that its stdout is the job id alone, and waits until
 * the worker logs that job as completed. Returns the id.
 */
async function enqueueAndComplete(
  worker: Running,
  dir: string,
  command: [string, ...string[]],
  env: Record<string, string>,
): Promise<string> {
  const [file, ...args] = command;
  const enqueued = await execa(file, args, {
    cwd: dir,
    env: cleanEnv(env),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 30_000,
  });
  assert.is(enqueued.exitCode, 0, String(enqueued.stderr));
  const id = String(enqueued.stdout);
  assert.match(id, /^\d+$/, `stdout must be the job id alone: ${JSON.stringify(id)}`);
  await worker.waitForLine(new RegExp(`"jobId":"${id}".*"msg":"job completed"`), 10_000);
  return id;
}

// ------------------------------------------------------------------ the queue, through the app's own BullMQ

/**
 * Run with `cwd` the app, so `bullmq` and the app's modules resolve as in the app: the queue is the app's
 * own (`createQueue` from src/queue.ts, with the job options every producer uses). The sources, not dist/:
 * the production bundle keeps only its entry points.
 */
const QUEUE_SCRIPT = `
import { createLogger } from './src/logger.ts';
import { createQueue } from './src/queue.ts';
import { closeRedis, createRedis } from './src/redis.ts';
const [op, ...args] = process.argv.slice(1);
const logger = createLogger({ LOG_LEVEL: 'warn' }, 2);
const redis = createRedis(process.env.REDIS_URL, logger, 'e2e', { maxRetriesPerRequest: null, enableOfflineQueue: true });
const queue = createQueue(redis, logger);
let out;
if (op === 'add') {
  const [count, delayMs] = args.map(Number);
  const jobs = await queue.addBulk(Array.from({ length: count }, () => ({ name: 'example', data: { delayMs } })));
  out = jobs.map((job) => job.id);
} else if (op === 'state') {
  out = {};
  for (const id of args) {
    const job = await queue.getJob(id);
    out[id] = job === undefined ? null : {
      state: await job.getState(), attemptsMade: job.attemptsMade, attemptsStarted: job.attemptsStarted,
      stalledCounter: job.stalledCounter, failedReason: job.failedReason ?? null,
    };
  }
}
console.log(JSON.stringify(out));
await queue.close();
await closeRedis(redis);
`;

interface JobInfo {
  state: string;
  attemptsMade: number;
  attemptsStarted: number;
  stalledCounter: number;
  failedReason: string | null;
}

async function queueScript<T>(dir: string, redisUrl: string, args: (string | number)[]): Promise<T> {
  const result = await execa(process.execPath, ['--input-type=module', '-e', QUEUE_SCRIPT, '--', ...args.map(String)], {
    cwd: dir,
    env: cleanEnv({ REDIS_URL: redisUrl }),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 30_000,
  });
  if (result.exitCode !== 0)
    throw new Error(`queue script ${args[0]} failed (${result.exitCode}): ${String(result.stderr).slice(0, 1_000)}`);
  return JSON.parse(String(result.stdout)) as T;
}

/** Adds `count` example jobs in one addBulk; their ids, in order. */
const addJobs = (dir: string, redisUrl: string, count: number, delayMs: number) =>
  queueScript<string[]>(dir, redisUrl, ['add', count, delayMs]);

async function jobStates(dir: string, redisUrl: string, ids: string[]): Promise<Record<string, JobInfo | null>> {
  return queueScript<Record<string, JobInfo | null>>(dir, redisUrl, ['state', ...ids]);
}

async function jobState(dir: string, redisUrl: string, id: string): Promise<JobInfo> {
  const info = (await jobStates(dir, redisUrl, [id]))[id];
  if (!info) throw new Error(`job ${id} does not exist in ${redisUrl}`);
  return info;
}

// ------------------------------------------------------------------ the apps

/** The shared API app with `add worker` applied, by the first test; the following ones use it. */
let added: { dir: string; root: string } | undefined;
const needAdded = () => {
  assert.ok(added, 'needs the app of the "add worker" test');
  return added.dir;
};

/** The database every worker of the added app gets: its config requires DATABASE_URL. */
let addedDatabaseUrl = '';

// The stall scenario, started in `before` once the worker app is built; awaited by its test.
interface StallOutcome {
  id: string;
  killedPid: number | undefined;
  recoveryMs: number;
  info: JobInfo;
  victimLines: string[];
  rescuer: Running;
  rescuerExit: number | null;
  procs: Running[];
}
let stall: Promise<StallOutcome> | undefined;

async function stallScenario(dir: string): Promise<StallOutcome> {
  const REDIS_URL = await freshRedis();
  const env = { REDIS_URL, WORKER_CONCURRENCY: '1' };
  const workers = await Promise.all([startWorker(dir, env), startWorker(dir, env)]);
  const procs = workers.map((worker) => worker.proc);
  const [id] = await addJobs(dir, REDIS_URL, 1, 3_000);
  if (id === undefined) throw new Error('no job was added');
  const startedBy = () => workers.find((worker) => jobEvents([worker.proc], 'job started', id).length > 0);
  if (!(await waitUntil(() => startedBy() !== undefined, 10_000))) throw new Error(`neither worker started job ${id}`);
  const victim = startedBy()!;
  const rescuer = workers.find((worker) => worker !== victim)!;
  await sleep(500);
  victim.proc.child.kill('SIGKILL');
  const { at: killedAt } = await within(victim.proc.exited, EXIT_WAIT_MS, 'the killed worker exits');
  await rescuer.proc.waitForLine(new RegExp(`"jobId":"${id}".*"msg":"job completed"`), STALL_RECOVERY_WAIT_MS);
  const recoveryMs = performance.now() - killedAt;
  await sleep(500); // room for a duplicate completion to show up
  const info = await jobState(dir, REDIS_URL, id);
  const { code } = await stop(rescuer);
  return {
    id,
    killedPid: victim.proc.child.pid,
    recoveryMs,
    info,
    victimLines: victim.proc.lines(),
    rescuer: rescuer.proc,
    rescuerExit: code,
    procs,
  };
}

test.before(() => {
  suiteStarted = performance.now();
  const built = generatedApp(WORKER_FLAGS);
  stall = built.then((app) => stallScenario(app.dir));
  // Judged in its own test; until then a failure must not surface as an unhandled rejection.
  stall.catch(() => undefined);
});

test.after(async () => {
  await stall?.catch(() => undefined);
  await killAll();
  if (added) fs.rmSync(added.root, { recursive: true, force: true });
  await dropDatabases();
  await releaseRedisDatabases();
  figures.suiteMs = ms(performance.now() - suiteStarted);
  console.log(`\nworker figures: ${JSON.stringify(figures)}`);
});

// ------------------------------------------------------------------ add worker to an existing API

const git = (dir: string, args: string[]) =>
  execa('git', ['-c', 'user.name=twelve e2e', '-c', 'user.email=e2e@example.invalid', ...args], {
    cwd: dir,
    stdin: 'ignore',
  });

/** Every file git would see (tracked and untracked, not ignored) with its content, for "changed nothing". */
async function worktree(dir: string): Promise<Map<string, string>> {
  const listed = await git(dir, ['ls-files', '--cached', '--others', '--exclude-standard', '-z']);
  const files = String(listed.stdout).split('\0').filter(Boolean).sort();
  return new Map(
    files
      .filter((file) => fs.existsSync(path.join(dir, file)))
      .map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')]),
  );
}

async function timed<T>(name: string, record: Record<string, number>, fn: () => Promise<T>): Promise<T> {
  const begun = performance.now();
  try {
    return await fn();
  } finally {
    record[name] = ms(performance.now() - begun);
  }
}

test("add worker twice on a committed API app with the team's edits: edits merged, nothing duplicated, second run changes nothing; npm ci, build, typecheck and npm test pass", async () => {
  const shared = await generatedApp();
  const root = tempDir('add-worker');
  const dir = path.join(root, 'my-api');
  // A copy, so the shared app stays as generated for the other test files.
  fs.cpSync(shared.dir, dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !path.basename(source).startsWith('.e2e-'),
  });
  added = { dir, root };
  if (!fs.existsSync(path.join(dir, '.git'))) await git(dir, ['init', '-q', '-b', 'main']);
  // One file `add worker` re-renders (README.md), one it leaves alone (src/app.ts); committed, as add
  // (like update) wants a tree it can show as one diff.
  const readmeEdit = '\nOur own note: ask the on-call channel before changing the deploy.\n';
  const appEdit = '\n// Our own change, which add must leave alone.\n';
  fs.appendFileSync(path.join(dir, 'README.md'), readmeEdit);
  fs.appendFileSync(path.join(dir, 'src', 'app.ts'), appEdit);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '--allow-empty', '-m', 'the API as generated, with our edits']);

  const first = await timed('firstAddMs', figures.addWorker, () =>
    runCli(['add', 'worker', '--yes'], { cwd: dir, timeout: 300_000 }),
  );
  const firstOut = `${String(first.stdout)}\n${String(first.stderr)}`;
  assert.is(first.exitCode, 0, firstOut);
  assert.ok(fs.readFileSync(path.join(dir, 'README.md'), 'utf8').endsWith(readmeEdit), 'the README edit was lost');
  assert.ok(fs.readFileSync(path.join(dir, 'src', 'app.ts'), 'utf8').endsWith(appEdit), 'the src/app.ts edit was lost');
  // The README edit and the worker's section are merged, not a file kept back.
  assert.match(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'), /dev:worker/, 'the README did not get the worker');
  assert.match(String(first.stdout), /^ {2}merge {5}README\.md$/m, firstOut);
  assert.not.match(firstOut, /conflict|force/i, firstOut);
  for (const file of ['src/worker.ts', 'src/enqueue.ts', 'src/queue.ts'])
    assert.ok(fs.existsSync(path.join(dir, file)), `${file} missing`);

  const before = await git(dir, ['status', '--porcelain']);
  const treeBefore = await worktree(dir);
  const second = await timed('secondAddMs', figures.addWorker, () =>
    runCli(['add', 'worker', '--yes'], { cwd: dir, timeout: 300_000 }),
  );
  const secondOut = `${String(second.stdout)}\n${String(second.stderr)}`;
  assert.is(second.exitCode, 0, secondOut);
  assert.match(String(second.stdout), /nothing to do/, secondOut);
  assert.is(
    String((await git(dir, ['status', '--porcelain'])).stdout),
    String(before.stdout),
    'the second run changed git status',
  );
  const treeAfter = await worktree(dir);
  assert.equal([...treeAfter.keys()], [...treeBefore.keys()], 'the second run added or removed files');
  const changed = [...treeAfter].filter(([file, content]) => treeBefore.get(file) !== content).map(([file]) => file);
  assert.equal(changed, [], 'the second run changed file contents');

  // Nothing duplicated, whichever run wrote it.
  const lines = fs.readFileSync(path.join(dir, 'Procfile'), 'utf8').split('\n');
  assert.is(lines.filter((line) => line.startsWith('worker:')).length, 1, lines.join('\n'));
  assert.equal(Object.keys(procfile(dir)), ['web', 'release', 'worker']);
  const envExample = fs.readFileSync(path.join(dir, '.env.example'), 'utf8');
  assert.is(envExample.split('\n').filter((line) => line.startsWith('REDIS_URL=')).length, 1, envExample);
  const compose = parseYaml(fs.readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { image?: string }>;
  };
  const redisServices = Object.entries(compose.services).filter(
    ([name, service]) => name === 'redis' || service.image?.startsWith('redis'),
  );
  assert.equal(
    redisServices.map(([name]) => name),
    ['redis'],
  );
  const yoRc = JSON.parse(fs.readFileSync(path.join(dir, '.yo-rc.json'), 'utf8')) as Record<
    string,
    { capabilities?: string[] }
  >;
  assert.equal(yoRc['create-twelve-app']?.capabilities, ['postgres', 'redis', 'worker', 'error-reporting']);

  // As CI and the Dockerfile would: from the lockfile add wrote. In this machine's environment, as
  // generatedApp() runs them: npm needs its TLS and proxy settings to reach the registry.
  const quiet = { cwd: dir, reject: false, stdin: 'ignore' as const, timeout: 180_000 };
  const ci = await timed('npmCiMs', figures.addWorker, () => execa('npm', ['ci', '--no-audit', '--no-fund'], quiet));
  assert.is(ci.exitCode, 0, `${String(ci.stdout)}\n${String(ci.stderr)}`);
  const build = await timed('buildMs', figures.addWorker, () => execa('npm', ['run', 'build'], quiet));
  assert.is(build.exitCode, 0, `${String(build.stdout)}\n${String(build.stderr)}`);
  const typecheck = await timed('typecheckMs', figures.addWorker, () => execa('npm', ['run', 'typecheck'], quiet));
  assert.is(typecheck.exitCode, 0, `${String(typecheck.stdout)}\n${String(typecheck.stderr)}`);

  const env = cleanEnv({ TEST_DATABASE_URL: await freshDatabase('addworker'), TEST_REDIS_URL: await freshRedis() });
  const tests = await timed('npmTestMs', figures.addWorker, () =>
    execa('npm', ['test'], { ...quiet, env, extendEnv: false, timeout: 120_000 }),
  );
  assertAppTestsPassed(tests);
});

// ------------------------------------------------------------------ the added worker, from the Procfile

test('the added worker starts from the Procfile: /healthz and /readyz 200; `npm run enqueue` prints only the job id and the worker completes it; every stdout line is JSON', async () => {
  const dir = needAdded();
  addedDatabaseUrl = await freshDatabase('worker');
  const REDIS_URL = await freshRedis();
  const worker = await startWorker(dir, { REDIS_URL, DATABASE_URL: addedDatabaseUrl });
  assert.is((await request(worker.port, '/healthz')).status, 200);
  assert.is(await statusWithin(worker.port, '/readyz', 5_000), 200, output(worker.proc));

  const id = await enqueueAndComplete(
    worker.proc,
    dir,
    ['npm', 'run', '--silent', 'enqueue', '--', 'example', '{"delayMs":0}'],
    {
      REDIS_URL,
      DATABASE_URL: addedDatabaseUrl,
    },
  );
  const started = jobEvents([worker.proc], 'job started', id);
  assert.is(started.length, 1);
  assert.is(started[0]?.job, 'example');

  const { code } = await stop(worker);
  assert.is(code, 0, output(worker.proc));
  assert.is(worker.proc.stderr(), '');
  // Throws on the first line that is not one JSON object.
  const logged = events(worker.proc);
  for (const msg of [
    'listening',
    'worker ready',
    'job started',
    'job completed',
    'shutdown started',
    'shutdown complete',
  ]) {
    assert.ok(
      logged.some((event) => event.msg === msg),
      `no "${msg}" event:\n${worker.proc.stdout()}`,
    );
  }
  assert.is(logged.at(-1)?.msg, 'shutdown complete');
});

test('SIGTERM with a job in flight (SHUTDOWN_TIMEOUT_MS=100): it is handed back with attemptsMade 0, exit 0; after a restart each of the 12 jobs completes exactly once, none failed', async () => {
  // 12 jobs of 300 ms at concurrency 1: SIGTERM right after the 4th starts, so that job is in flight
  // and cannot finish within the 100 ms deadline; the jobs before it completed, the ones after it wait.
  const dir = needAdded();
  const REDIS_URL = await freshRedis();
  const env = { REDIS_URL, DATABASE_URL: addedDatabaseUrl, WORKER_CONCURRENCY: '1', SHUTDOWN_TIMEOUT_MS: '100' };
  const ids = await addJobs(dir, REDIS_URL, 12, 300);
  assert.is(new Set(ids).size, 12);

  const first = await startWorker(dir, env);
  const startedCount = () => jobEvents([first.proc], 'job started').length;
  assert.ok(await waitUntil(() => startedCount() >= 4, 15_000), `the 4th job did not start:\n${output(first.proc)}`);
  const inFlight = String(jobEvents([first.proc], 'job started').at(-1)?.jobId);
  const { code, ms: exitMs } = await stop(first);
  figures.sigtermExitOneInFlightMs = ms(exitMs);
  assert.is(code, 0, output(first.proc));
  assert.is(events(first.proc).at(-1)?.msg, 'shutdown complete');
  assert.equal(
    jobEvents([first.proc], 'job handed back').map((event) => event.jobId),
    [inFlight],
    output(first.proc),
  );
  assert.is(completions([first.proc], inFlight), 0);
  const handedBack = await jobState(dir, REDIS_URL, inFlight);
  assert.is(handedBack.state, 'waiting', JSON.stringify(handedBack));
  assert.is(handedBack.attemptsMade, 0, JSON.stringify(handedBack));

  const second = await startWorker(dir, { ...env, SHUTDOWN_TIMEOUT_MS: '5000' });
  const procs = [first.proc, second.proc];
  assert.ok(
    await waitUntil(() => ids.every((id) => completions(procs, id) > 0), 20_000),
    `not all 12 completed:\n${output(second.proc)}`,
  );
  await sleep(500); // room for a duplicate completion to show up
  const counts = ids.map((id) => completions(procs, id));
  assert.equal(
    counts,
    ids.map(() => 1),
    `completions per job: ${counts.join(' ')}`,
  );
  assert.ok(
    completions([first.proc], ids[0]!) === 1 && completions([second.proc], inFlight) === 1,
    'the first run did some, the second the rest',
  );
  assert.equal(jobEvents(procs, 'job failed'), []);
  const states = await jobStates(dir, REDIS_URL, ids);
  for (const id of ids) {
    const info = states[id];
    assert.is(info?.state, 'completed', `job ${id}: ${JSON.stringify(info)}`);
    assert.is(info?.failedReason, null, `job ${id}: ${JSON.stringify(info)}`);
  }
  // The hand-back spent no attempt: the job ends with the same count as one that ran once.
  assert.is(states[inFlight]?.attemptsMade, states[ids[0]!]?.attemptsMade, JSON.stringify(states));

  const again = await stop(second);
  assert.is(again.code, 0, output(second.proc));
  for (const proc of procs) assert.is(proc.stderr(), '');
});

test('the worker without REDIS_URL exits 1 with one stderr line naming REDIS_URL, no stack trace, nothing on stdout', async () => {
  const dir = needAdded();
  const proc = start(dir, 'worker', {
    HOST,
    HEALTH_PORT: String(await freePort()),
    DATABASE_URL: addedDatabaseUrl || 'postgres://127.0.0.1:1/none',
  });
  const { code } = await within(proc.exited, EXIT_WAIT_MS, 'the misconfigured worker exits');
  const stderr = proc.stderr();
  assert.is(code, 1, output(proc));
  assert.is(stderr.trimEnd().split('\n').length, 1, stderr);
  assert.match(stderr, /REDIS_URL/);
  assert.not.match(stderr, /^\s+at /m);
  assert.is(proc.stdout(), '');
});

// ------------------------------------------------------------------ --kind worker, generated fresh

test('--kind worker: only a worker process type; npm test passes with TEST_REDIS_URL, nothing skipped; the Procfile worker completes a job from `node dist/enqueue.js` and exits 0 on SIGTERM', async () => {
  const app = await generatedApp(WORKER_FLAGS);
  figures.workerApp = app.timings;
  assert.equal(Object.keys(procfile(app.dir)), ['worker']);

  const tests = await execa('npm', ['test'], {
    cwd: app.dir,
    env: cleanEnv({ TEST_REDIS_URL: await freshRedis() }),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 120_000,
  });
  assertAppTestsPassed(tests);

  const REDIS_URL = await freshRedis();
  const worker = await startWorker(app.dir, { REDIS_URL });
  assert.is((await request(worker.port, '/healthz')).status, 200);
  assert.is(await statusWithin(worker.port, '/readyz', 5_000), 200, output(worker.proc));
  // The production form of the admin command, as `heroku run` or `kubectl exec` would run it.
  const _id = await enqueueAndComplete(worker.proc, app.dir, [process.execPath, 'dist/enqueue.js', 'example', '{}'], {
    REDIS_URL,
  });
  const { code } = await stop(worker);
  assert.is(code, 0, output(worker.proc));
  assert.is(events(worker.proc).at(-1)?.msg, 'shutdown complete');
  assert.is(worker.proc.stderr(), '');
});

// ------------------------------------------------------------------ stall recovery (started in `before`)

test('SIGKILL of the worker running a job: the other worker takes it over after stall detection (within 30 s) and completes it once; it is not failed', async () => {
  assert.ok(stall, 'the stall scenario was not started');
  const outcome = await stall;
  figures.stallRecoveryMs = ms(outcome.recoveryMs);
  const { id, info, rescuer } = outcome;
  const detail = `${JSON.stringify(info)}\nkilled worker:\n${outcome.victimLines.join('\n')}\nother worker:\n${output(rescuer)}`;
  assert.is(completions(outcome.procs, id), 1, detail);
  assert.is(completions([rescuer], id), 1, detail);
  assert.is(jobEvents([rescuer], 'job stalled, back to waiting', id).length, 1, detail);
  assert.is(jobEvents(outcome.procs, 'job failed').length, 0, detail);
  assert.is(info.state, 'completed', detail);
  assert.is(info.failedReason, null, detail);
  assert.is(info.stalledCounter, 1, detail);
  assert.is(outcome.rescuerExit, 0, detail);
  // The killed worker's output was cut off, but every line it did write is JSON.
  parseJsonLines(outcome.victimLines);
  parseJsonLines(rescuer.lines());
});

// ------------------------------------------------------------------ benchmark (figures only)

test(`benchmark (reported, not asserted): ${BENCHMARK_JOBS} example jobs with delayMs 0 at WORKER_CONCURRENCY 1 and 10`, async () => {
  const { dir } = await generatedApp(WORKER_FLAGS);
  const REDIS_URL = await freshRedis();
  for (const concurrency of [1, 10]) {
    const ids = await addJobs(dir, REDIS_URL, BENCHMARK_JOBS, 0);
    assert.is(ids.length, BENCHMARK_JOBS);
    const worker = await startWorker(dir, { REDIS_URL, WORKER_CONCURRENCY: String(concurrency) });
    const done = () => worker.proc.lines().filter((line) => line.includes('"msg":"job completed"')).length;
    assert.ok(await waitUntil(() => done() >= BENCHMARK_JOBS, 90_000), `${done()} of ${BENCHMARK_JOBS} completed`);
    const { code } = await stop(worker);
    assert.is(code, 0, worker.proc.stderr());
    const logged = events(worker.proc);
    const times = (msg: string) =>
      logged.filter((event) => event.msg === msg).map((event) => Date.parse(String(event.time)));
    const seconds = (Math.max(...times('job completed')) - Math.min(...times('job started'))) / 1_000;
    figures.jobsPerSecond[`concurrency${concurrency}`] = Math.round(BENCHMARK_JOBS / Math.max(seconds, 0.001));
  }
});

test.run();
