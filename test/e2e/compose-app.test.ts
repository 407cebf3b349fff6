/**
 * The docker-compose.yml `app` profile, run the way compose would run it where no container engine is
 * available: the app's services are read from the rendered file, started in compose's order (the release
 * process first, to completion; the others after it), each with its exec-form command in the built app
 * and the environment compose gives it. Only what a container network provides is mapped: backing
 * services' host names become 127.0.0.1 with the test's own fresh database and Redis database, and each
 * probe port is a free one (every container would have its own network namespace; here they share one).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseYaml } from 'yaml';
import { dropDatabases, freshDatabase, query } from '../support/databases.ts';
import { freePort, request, statusWithin, waitForHealthy } from '../support/http.ts';
import { parseJsonLines, type Running, startCommand } from '../support/processes.ts';
import { freshRedis, releaseRedisDatabases } from '../support/redis.ts';
import { generatedApp, runCli, tempDir } from '../support/scaffold.ts';
import { within } from '../support/wait.ts';

const test = suite('compose app profile: every Procfile process from the compose file, against Postgres and Redis');

const EXIT_WAIT_MS = 20_000;

interface ComposeService {
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const running = new Set<Running>();
test.after(async () => {
  for (const proc of running) proc.child.kill('SIGKILL');
  await Promise.all(
    [...running].map((proc) => within(proc.exited, 5_000, 'killed process exits').catch(() => undefined)),
  );
  await dropDatabases();
  await releaseRedisDatabases();
});

function readCompose(dir: string): Record<string, ComposeService> {
  return (
    parseYaml(fs.readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, ComposeService>;
    }
  ).services;
}

/** The `app` profile's services in the order compose starts them: each after everything it depends on. */
function startOrder(services: Record<string, ComposeService>): string[] {
  const app = Object.keys(services).filter((name) => services[name]!.profiles?.includes('app'));
  const order: string[] = [];
  for (let round = 0; round < app.length && order.length < app.length; round++) {
    for (const name of app) {
      const waitsFor = Object.keys(services[name]!.depends_on ?? {}).filter((dependency) => app.includes(dependency));
      if (!order.includes(name) && waitsFor.every((dependency) => order.includes(dependency))) order.push(name);
    }
  }
  assert.is(order.length, app.length, `a dependency cycle in ${app.join(', ')}`);
  return order;
}

/**
 * The service's environment as compose gives it, with each URL that names a backing service by its
 * compose host name pointed at this machine and the test's own database instead.
 */
function localEnvironment(service: ComposeService, backing: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => {
      const url = URL.canParse(value) ? new URL(value) : undefined;
      const local = url && backing[url.hostname];
      if (!url || !local) return [name, value];
      const target = new URL(local);
      Object.assign(url, {
        hostname: target.hostname,
        port: target.port,
        pathname: target.pathname,
        username: target.username,
        password: target.password,
      });
      return [name, url.toString()];
    }),
  );
}

const cleanEnv = (env: Record<string, string>) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  ...env,
});
const output = (proc: Running) => `stdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`;

interface Started {
  proc: Running;
  port: number;
  env: Record<string, string>;
}

/**
 * Runs the app profile of the app in `dir`: one-shot services to exit 0, the long-running ones until
 * healthy and ready (their probes answer on the port their environment names). Returns them by name.
 */
async function runAppProfile(dir: string, backing: Record<string, string>): Promise<Map<string, Started>> {
  const services = readCompose(dir);
  const started = new Map<string, Started>();
  for (const name of startOrder(services)) {
    const service = services[name]!;
    assert.ok(service.command, `${name} has no command`);
    const env = localEnvironment(service, backing);
    const waitedBy = Object.values(services).some(
      (other) => other.depends_on?.[name]?.condition === 'service_completed_successfully',
    );
    if (waitedBy) {
      const result = await execa(service.command[0]!, service.command.slice(1), {
        cwd: dir,
        env: cleanEnv(env),
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
        timeout: 60_000,
      });
      assert.is(result.exitCode, 0, `${name}: ${String(result.stdout)}\n${String(result.stderr)}`);
      parseJsonLines(String(result.stdout).split('\n').filter(Boolean));
      continue;
    }
    const probeVariable = /process\.env\.(\w+)/.exec(service.healthcheck?.test.join(' ') ?? '')?.[1];
    assert.ok(probeVariable, `${name} has no healthcheck naming its port variable`);
    const port = await freePort();
    env[probeVariable] = String(port);
    const proc = startCommand(dir, service.command, env);
    running.add(proc);
    try {
      await waitForHealthy(port, proc.exited, 15_000);
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}\n${output(proc)}`);
    }
    assert.is(await statusWithin(port, '/readyz', 10_000), 200, `${name} /readyz:\n${output(proc)}`);
    // The service's own compose healthcheck, run as the engine would inside the container.
    const [marker, file, ...args] = service.healthcheck!.test;
    assert.is(marker, 'CMD');
    const check = await execa(file!, args, {
      cwd: dir,
      env: cleanEnv(env),
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: 10_000,
    });
    assert.is(check.exitCode, 0, `${name} healthcheck: ${String(check.stderr)}`);
    started.set(name, { proc, port, env });
  }
  return started;
}

/** SIGTERM as `docker compose down` sends it; each exits 0 with "shutdown complete" last, stderr empty. */
async function stopAll(started: Map<string, Started>): Promise<void> {
  for (const { proc } of started.values()) proc.child.kill('SIGTERM');
  for (const [name, { proc }] of started) {
    const { code } = await within(proc.exited, EXIT_WAIT_MS, `${name} exits after SIGTERM`);
    running.delete(proc);
    assert.is(code, 0, `${name}:\n${output(proc)}`);
    assert.is(parseJsonLines(proc.lines()).at(-1)?.msg, 'shutdown complete', output(proc));
    assert.is(proc.stderr(), '', name);
  }
}

test('api + postgres + worker (`add worker`): release migrates the fresh database, then web and worker come up ready; a note is stored and a job enqueued by web is completed by the worker', async () => {
  const shared = await generatedApp();
  const dir = path.join(tempDir('compose-app'), 'my-api');
  fs.cpSync(shared.dir, dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !path.basename(source).startsWith('.e2e-'),
  });
  const added = await runCli(['add', 'worker', '--yes'], { cwd: dir, timeout: 300_000 });
  assert.is(added.exitCode, 0, `${String(added.stdout)}\n${String(added.stderr)}`);
  const build = await execa('npm', ['run', 'build'], { cwd: dir, reject: false, stdin: 'ignore', timeout: 180_000 });
  assert.is(build.exitCode, 0, `${String(build.stdout)}\n${String(build.stderr)}`);
  assert.equal(startOrder(readCompose(dir)), ['release', 'web', 'worker']);

  const databaseUrl = await freshDatabase('compose');
  const started = await runAppProfile(dir, { postgres: databaseUrl, redis: await freshRedis() });
  // The release process ran the migrations against this database.
  assert.ok(
    (await query<{ name: string }>(databaseUrl, "SELECT to_regclass('notes')::text AS name"))[0]?.name,
    'no notes table after release',
  );
  assert.equal([...started.keys()], ['web', 'worker']);
  const web = started.get('web')!;
  const worker = started.get('worker')!;

  const created = await request(web.port, '/notes', {
    method: 'POST',
    body: JSON.stringify({ text: 'from the compose app profile' }),
  });
  assert.is(created.status, 201, created.body);
  const listed = await request(web.port, '/notes');
  assert.match(listed.body, /from the compose app profile/);

  const enqueued = await request(web.port, '/jobs/example', { method: 'POST', body: JSON.stringify({ delayMs: 0 }) });
  assert.is(enqueued.status, 202, enqueued.body);
  const { id } = JSON.parse(enqueued.body) as { id: string };
  await worker.proc.waitForLine(new RegExp(`"jobId":"${id}".*"msg":"job completed"`), 15_000);

  await stopAll(started);
});

test('--kind api --db none: the web service alone comes up ready with the environment compose gives it', async () => {
  const { dir } = await generatedApp(['--kind', 'api', '--db', 'none', '--yes']);
  assert.equal(startOrder(readCompose(dir)), ['web']);
  const started = await runAppProfile(dir, {});
  assert.is((await request(started.get('web')!.port, '/healthz')).status, 200);
  await stopAll(started);
});

test('--kind client: the web service comes up ready and serves the API_URL compose gives it at /config.json', async () => {
  const { dir } = await generatedApp(['--kind', 'client', '--name', 'shop-web', '--yes']);
  assert.equal(startOrder(readCompose(dir)), ['web']);
  const started = await runAppProfile(dir, {});
  const web = started.get('web')!;
  const config = await request(web.port, '/config.json');
  assert.is(config.status, 200, config.body);
  // The deploy's API_URL, beside what error reporting adds (the release, the browser's DSN and environment).
  const served = JSON.parse(config.body) as Record<string, unknown>;
  assert.is(served.API_URL, web.env.API_URL);
  assert.is(served.SENTRY_ENVIRONMENT, web.env.SENTRY_ENVIRONMENT ?? 'production');
  assert.match(String(served.release), /^shop-web@0\.1\.0\+/);
  await stopAll(started);
});

test('--kind worker: no release service; the worker comes up ready against its Redis database and completes a job', async () => {
  const { dir } = await generatedApp(['--kind', 'worker', '--yes']);
  assert.equal(startOrder(readCompose(dir)), ['worker']);
  const redisUrl = await freshRedis();
  const started = await runAppProfile(dir, { redis: redisUrl });
  const worker = started.get('worker')!;
  const enqueued = await execa(process.execPath, ['dist/enqueue.js', 'example', '{}'], {
    cwd: dir,
    env: cleanEnv({ REDIS_URL: worker.env.REDIS_URL! }),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 30_000,
  });
  assert.is(enqueued.exitCode, 0, String(enqueued.stderr));
  await worker.proc.waitForLine(
    new RegExp(`"jobId":"${String(enqueued.stdout).trim()}".*"msg":"job completed"`),
    15_000,
  );
  await stopAll(started);
});

test.run();
