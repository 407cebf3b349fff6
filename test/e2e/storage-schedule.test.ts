/**
 * Issue 20 from the packed tarball: an API gets `add storage` and two `add schedule` tasks through the
 * CLI. Storage: the app's own tests and its running web process make the upload round trip through
 * presigned URLs against a real S3-compatible server over HTTP (test/support/s3.ts), and the compiled
 * client's presigned URLs pass a server that verifies every signature. Schedule: a task run by hand and
 * by its CronJob's command, exit codes 0/1/143 and SIGTERM, bad input refused with nothing written. The
 * manifests (CronJobs included) build with kubectl kustomize and pass the official schemas, and `check`
 * passes the app.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GIT_IDENTITY } from '../support/git.ts';
import { freePort, request } from '../support/http.ts';
import { type KubeObject, kustomize, validateObject } from '../support/kubernetes.ts';
import { assertAppTestsPassed, parseJsonLines, processTracker, startCommand } from '../support/processes.ts';
import { type S3Server, s3Server } from '../support/s3.ts';
import { generatedApp, runCli, tempDir } from '../support/scaffold.ts';
import { within } from '../support/wait.ts';

const test = suite('add storage and add schedule, from the packed tarball');

const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd, env: GIT_IDENTITY, stdin: 'ignore' });
const PATH = [path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter);
const cleanEnv = (extra: Record<string, string> = {}) => ({ PATH, HOME: process.env.HOME ?? '/tmp', ...extra });
const output = (result: { stdout: unknown; stderr: unknown }) =>
  `stdout:\n${String(result.stdout)}\nstderr:\n${String(result.stderr)}`;
const { start, killAll } = processTracker();
const servers: S3Server[] = [];

test.after(async () => {
  await killAll();
  await Promise.all(servers.map((server) => server.close()));
});

// A task the test steers: it fails, waits for a signal at safe points, or completes.
const STEERED_TASK = `import { setTimeout as delay } from 'node:timers/promises';
import type { TaskContext } from './context.ts';

export async function run({ logger, signal, services }: TaskContext): Promise<void> {
  if (!services.storage) throw new Error('no storage client');
  if (process.env.TASK_MODE === 'fail') throw new Error('the sweep failed');
  if (process.env.TASK_MODE === 'wait') {
    logger.info('waiting');
    for (;;) {
      signal.throwIfAborted();
      await delay(50, undefined, { signal }).catch(() => undefined);
    }
  }
  logger.info('swept');
}
`;

let appDir: string | undefined;

/** The shared API (no database), copied, committed, then `add storage` and two `add schedule` through the CLI. */
async function app(): Promise<string> {
  if (appDir) return appDir;
  const shared = await generatedApp(['--kind', 'api', '--db', 'none', '--yes']);
  const dir = path.join(tempDir('i20'), 'my-api');
  fs.cpSync(shared.dir, dir, { recursive: true, verbatimSymlinks: true });
  if (!fs.existsSync(path.join(dir, '.git'))) await git(dir, 'init', '-q', '-b', 'main');
  const commit = async (message: string) => {
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-q', '--allow-empty', '-m', message);
  };
  await commit('start');
  for (const args of [
    ['add', 'storage'],
    ['add', 'schedule', '--name', 'nightly-report', '--cron', '0 2 * * *', '--timezone', 'Europe/Paris'],
    ['add', 'schedule', '--name', 'sweep', '--cron', '*/5 * * * *'],
  ]) {
    const added = await runCli(args, { cwd: dir, env: cleanEnv() });
    assert.is(added.exitCode, 0, `${args.join(' ')}\n${output(added)}`);
    await commit(args.join(' '));
  }
  fs.writeFileSync(path.join(dir, 'src/tasks/sweep.ts'), STEERED_TASK);
  await commit('the sweep task');
  await execa('npm', ['run', 'build'], { cwd: dir, env: cleanEnv() });
  appDir = dir;
  return dir;
}

test('add schedule refuses a bad name, cron expression or time zone with one sentence, exit 2, nothing written', async () => {
  const dir = await app();
  for (const [flags, said] of [
    [['--name', '../evil', '--cron', '0 2 * * *'], /not a task name/],
    [['--name', 'Bad.Name', '--cron', '0 2 * * *'], /not a task name/],
    [
      ['--name', 'late', '--cron', '61 * * * *'],
      /not a cron expression a CronJob accepts \(Invalid value for minute: 61\)/,
    ],
    [['--name', 'late', '--cron', '0 0 0 2 * *'], /6 field\(s\)/],
    [['--name', 'never', '--cron', '0 0 31 2 *'], /it never runs/],
    [['--name', 'late', '--cron', '0 2 * * *', '--timezone', 'Mars/Base'], /is not a time zone/],
    [['--name', 'sweep', '--cron', '0 2 * * *'], /already has a task named sweep/],
    [['--cron', '0 2 * * *'], /needs --name/],
  ] as const) {
    const refused = await runCli(['add', 'schedule', ...flags], { cwd: dir, env: cleanEnv() });
    assert.is(refused.exitCode, 2, `${flags.join(' ')}\n${output(refused)}`);
    const stderr = String(refused.stderr).trim();
    assert.match(stderr, said);
    assert.is(stderr.split('\n').length, 1, stderr);
    assert.not.match(stderr, /\n\s+at /);
    assert.is(String((await git(dir, 'status', '--porcelain')).stdout), '', `${flags.join(' ')} wrote something`);
  }
  const refused = await runCli(['add', 'storage', '--cron', '0 2 * * *'], { cwd: dir, env: cleanEnv() });
  assert.is(refused.exitCode, 2, output(refused));
  assert.match(String(refused.stderr), /add storage takes no --cron/);
});

test("the app's own tests pass with the S3-compatible server, the upload round trip included (no skip)", async () => {
  const dir = await app();
  // Bucket-level requests need the lenient server (see test/support/s3.ts); presigned URLs are checked strictly below.
  const server = await s3Server(['my-api-files-test'], { strict: false });
  servers.push(server);
  const tested = await execa('npm', ['test'], {
    cwd: dir,
    env: cleanEnv({ TEST_STORAGE_URL: server.url('my-api-files-test') }),
    reject: false,
  });
  assertAppTestsPassed(tested);
  assert.match(String(tested.stdout), /✔ an upload round trip through presigned URLs/);
});

test('the web process: POST /uploads, PUT to the presigned URL, GET /uploads/:key redirects to the object; /readyz checks the bucket', async () => {
  const dir = await app();
  const server = await s3Server(['my-api-files'], { strict: false });
  servers.push(server);
  const port = await freePort();
  const web = start(dir, 'web', { PORT: String(port), STORAGE_URL: server.url('my-api-files'), LOG_LEVEL: 'warn' });
  await within(
    (async () => {
      for (;;) {
        const ready = await request(port, '/readyz').catch(() => undefined);
        if (ready?.status === 200) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })(),
    15_000,
    `the web process gets ready:\n${web.stderr()}`,
  );
  const created = await fetch(`http://127.0.0.1:${port}/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contentType: 'image/png' }),
  });
  assert.is(created.status, 201);
  const { key, url, method } = (await created.json()) as { key: string; url: string; method: string };
  const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  const put = await fetch(url, { method, body: bytes, headers: { 'content-type': 'image/png' } });
  assert.is(put.status, 200, await put.text());
  const found = await fetch(`http://127.0.0.1:${port}/uploads/${key}`, { redirect: 'manual' });
  assert.is(found.status, 302);
  const download = await fetch(found.headers.get('location')!);
  assert.is(download.status, 200);
  assert.equal(Buffer.from(await download.arrayBuffer()), bytes);
  web.child.kill('SIGTERM');
  assert.is((await within(web.exited, 15_000, 'web exits')).code, 0);
});

test('presigned PUT and GET URLs from the app storage module pass a server that verifies every signature', async () => {
  const dir = await app();
  const server = await s3Server(['strict-bucket'], { strict: true });
  servers.push(server);
  const script = `
    const { createStorage, presignUpload, presignDownload, objectExists } = await import('./src/storage.ts');
    const logger = { warn() {}, error() {} };
    const storage = createStorage({ STORAGE_URL: process.env.STORAGE_URL, STORAGE_URL_EXPIRES_SECONDS: 60 }, logger);
    const put = await fetch(await presignUpload(storage, 'k-1', 'text/plain'), { method: 'PUT', body: 'strict', headers: { 'content-type': 'text/plain' } });
    const tampered = new URL(await presignDownload(storage, 'k-1'));
    tampered.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    const denied = await fetch(tampered);
    const get = await fetch(await presignDownload(storage, 'k-1'));
    console.log(JSON.stringify({ put: put.status, denied: denied.status, get: get.status, body: await get.text(), exists: await objectExists(storage, 'k-1') }));
    storage.client.destroy();
  `;
  const ran = await execa(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dir,
    env: cleanEnv({ STORAGE_URL: server.url('strict-bucket') }),
  });
  assert.equal(JSON.parse(String(ran.stdout)), { put: 200, denied: 403, get: 200, body: 'strict', exists: true });
});

/** The base's objects, built as `kubectl apply -k` would. */
function manifests(dir: string): KubeObject[] {
  return kustomize(path.join(dir, 'deploy/kubernetes/base'));
}

test('a CronJob per task from the model: valid against the official schemas, cron and time zone parse, the app image, Secrets, non-root, Forbid', async () => {
  const dir = await app();
  const base = manifests(dir);
  for (const environment of ['staging', 'production']) {
    // Each deploy's own values come from its git-ignored config.env, which a deploy writes from the example.
    const overlay = path.join(dir, 'deploy/kubernetes/overlays', environment);
    const example = path.join(overlay, 'config.env.example');
    fs.writeFileSync(path.join(overlay, 'config.env'), fs.existsSync(example) ? fs.readFileSync(example) : '');
    for (const object of kustomize(overlay)) validateObject(object);
  }
  for (const object of base) validateObject(object);
  const cronJobs = base.filter((object) => object.kind === 'CronJob');
  assert.equal(cronJobs.map((job) => job.metadata.name).sort(), ['my-api-task-nightly-report', 'my-api-task-sweep']);
  const deployments = base.filter((object) => object.kind === 'Deployment');
  const image = deployments[0]!.spec.template.spec.containers[0].image;
  for (const job of cronJobs) {
    const spec = job.spec;
    new Cron(spec.schedule, { paused: true, ...(spec.timeZone ? { timezone: spec.timeZone } : {}) });
    assert.is(spec.concurrencyPolicy, 'Forbid');
    assert.ok(spec.startingDeadlineSeconds > 0);
    assert.ok(spec.jobTemplate.spec.activeDeadlineSeconds > 0);
    assert.ok(spec.successfulJobsHistoryLimit >= 1 && spec.failedJobsHistoryLimit >= 1);
    const pod = spec.jobTemplate.spec.template.spec;
    assert.is(pod.restartPolicy, 'Never');
    assert.is(pod.securityContext.runAsNonRoot, true);
    const [container] = pod.containers;
    assert.is(container.image, image);
    assert.ok(container.envFrom.some((source: any) => source.configMapRef));
    const storageUrl = container.env.find((entry: any) => entry.name === 'STORAGE_URL');
    assert.ok(storageUrl?.valueFrom?.secretKeyRef, 'STORAGE_URL comes from the Secret');
  }
  assert.is(cronJobs.find((job) => job.metadata.name.endsWith('nightly-report'))!.spec.timeZone, 'Europe/Paris');
  const compose = fs.readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8');
  assert.match(compose, /task-sweep:\n(?:.*\n)*?\s+profiles:\n\s+- tasks/);
  assert.match(compose, /minio\/minio:RELEASE\./);
});

/** Runs the CronJob's own command (argv, as the kubelet does) in the app folder; resolves with the process. */
function runCronJobCommand(dir: string, task: string, env: Record<string, string>) {
  const job = manifests(dir).find((object) => object.kind === 'CronJob' && object.metadata.name.endsWith(task))!;
  const command = job.spec.jobTemplate.spec.template.spec.containers[0].command as string[];
  assert.equal(command, ['node', 'dist/task.js', task]);
  return startCommand(dir, command, { STORAGE_URL: 'http://key:secret@127.0.0.1:1/my-api-files', ...env });
}

test('a task by hand (npm run task) and by its CronJob command: 0 done, 1 failed with one reported log event, unknown task 1', async () => {
  const dir = await app();
  const byHand = await execa('npm', ['run', 'task', '--', 'nightly-report'], {
    cwd: dir,
    env: cleanEnv({ STORAGE_URL: 'http://key:secret@127.0.0.1:1/my-api-files', LOG_LEVEL: 'debug' }),
    reject: false,
  });
  assert.is(byHand.exitCode, 0, output(byHand));
  assert.match(String(byHand.stdout), /"msg":"task done"/);

  const done = runCronJobCommand(dir, 'sweep', {});
  assert.is((await within(done.exited, 15_000, 'sweep exits')).code, 0, done.stderr());
  const events = parseJsonLines(done.lines());
  assert.ok(events.some((event) => event.msg === 'swept' && event.task === 'sweep'));
  assert.ok(events.some((event) => event.msg === 'task done'));

  // Error reporting on, pointed where nothing listens: the report gets an id, its sending fails quietly.
  const failed = runCronJobCommand(dir, 'sweep', { TASK_MODE: 'fail', SENTRY_DSN: 'http://public@127.0.0.1:1/1' });
  assert.is((await within(failed.exited, 15_000, 'failing sweep exits')).code, 1);
  const failures = parseJsonLines(failed.lines()).filter((event) => event.level === 'error' || event.level === 'fatal');
  assert.is(failures.length, 1, failed.stdout());
  assert.is(failures[0]!.msg, 'task failed');
  assert.match(JSON.stringify(failures[0]!.err), /the sweep failed/);
  assert.ok('errorReportId' in failures[0]!, 'the failure is handed to error reporting');

  const unknown = startCommand(dir, ['node', 'dist/task.js', 'nope'], {});
  assert.is((await within(unknown.exited, 15_000, 'unknown task exits')).code, 1);
  assert.match(unknown.stderr(), /Unknown task "nope": one of nightly-report, sweep/);
});

test('SIGTERM stops a task at its next safe point: one `task stopped` event, exit 143', async () => {
  const dir = await app();
  const waiting = runCronJobCommand(dir, 'sweep', { TASK_MODE: 'wait' });
  await waiting.waitForLine(/"msg":"waiting"/, 15_000);
  const signalled = performance.now();
  waiting.child.kill('SIGTERM');
  const exited = await within(waiting.exited, 15_000, 'stopped sweep exits');
  assert.is(exited.code, 143, waiting.stderr());
  assert.ok(exited.at - signalled < 5_000, `stopped in ${Math.round(exited.at - signalled)} ms`);
  const events = parseJsonLines(waiting.lines());
  assert.is(events.filter((event) => event.msg === 'task stopped').length, 1);
  assert.not.ok(events.some((event) => event.msg === 'task failed'));
});

test('check passes the app with storage and scheduled tasks', async () => {
  const dir = await app();
  // As `add schedule` wrote it: the steered task reads TASK_MODE, which check rightly wants in .env.example.
  fs.writeFileSync(
    path.join(dir, 'src/tasks/sweep.ts'),
    String((await git(dir, 'show', 'HEAD~1:src/tasks/sweep.ts')).stdout),
  );
  const checked = await runCli(['check', dir], { env: cleanEnv() });
  await git(dir, 'checkout', '--', 'src/tasks/sweep.ts');
  assert.is(checked.exitCode, 0, output(checked));
  // The README tells how to run the tasks on Heroku Scheduler from the Procfile.
  const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  assert.match(readme, /Heroku Scheduler/);
  assert.match(fs.readFileSync(path.join(dir, 'Procfile'), 'utf8'), /^task-sweep: node dist\/task\.js sweep$/m);
  execFileSync('git', ['diff', '--quiet'], { cwd: dir });
});

test.run();
