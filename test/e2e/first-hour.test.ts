import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ADMIN_URL, query } from '../support/databases.ts';
import { freePort, HOST, request, waitForHealthy } from '../support/http.ts';
import { assertAppTestsPassed, parseJsonLines, startProcess } from '../support/processes.ts';
import { freshRedis, releaseRedisDatabases } from '../support/redis.ts';
import { generatedApp, tempDir } from '../support/scaffold.ts';
import { within } from '../support/wait.ts';

/**
 * What a new user does in the first hour, on a machine with PostgreSQL and Redis but no Docker, as the
 * printed next steps and the README say: `cp .env.example .env`, point its URLs at the local servers,
 * `npm run migrate:dev` (which creates the database), `npm run dev`, `npm start` after a build, `npm test`.
 * Every command runs with a bare environment (PATH and HOME): `.env` is the only config.
 */
const test = suite('the first hour: .env, a database that does not exist yet, dev, start, test');

const databases: string[] = [];
const bare = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' });

/** A database name on the test server that does not exist yet; dropped after the suite. */
function missingDatabase(label: string): string {
  const name = `twelve_${label}_${randomBytes(4).toString('hex')}`;
  databases.push(name, `${name}_test`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

test.after(async () => {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    for (const name of databases.splice(0)) await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
  await releaseRedisDatabases();
});

/** A copy of a generated app, so that its `.env` reaches no other suite sharing the original. */
async function copyOf(flags: string[]): Promise<{ dir: string; stdout: string }> {
  const app = await generatedApp(flags);
  const dir = path.join(tempDir('first-hour'), 'my-api');
  fs.cpSync(app.dir, dir, { recursive: true, verbatimSymlinks: true });
  return { dir, stdout: app.stdout };
}

/** `.env.example` copied to `.env` with some lines replaced, as a user edits it. */
function writeEnv(dir: string, values: Record<string, string>): string {
  let text = fs.readFileSync(path.join(dir, '.env.example'), 'utf8');
  for (const [name, value] of Object.entries(values)) {
    assert.match(text, new RegExp(`^${name}=`, 'm'), `.env.example has ${name}`);
    text = text.replace(new RegExp(`^${name}=.*$`, 'm'), `${name}=${value}`);
  }
  fs.writeFileSync(path.join(dir, '.env'), text);
  return text;
}

/** `npm run <script>` in its own process group, so that the processes npm starts are stopped with it. */
function startScript(dir: string, script: string) {
  const child = spawn('npm', ['run', script], {
    cwd: dir,
    env: bare(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  return { exited, output: () => output, signal };
}

test('API: cp .env.example .env; migrate creates the database; dev and start answer on the .env port; npm test skips nothing', async () => {
  const { dir, stdout } = await copyOf(['--kind', 'api', '--yes']);
  // The next steps this machine (no Docker) was given.
  assert.match(stdout, /Next steps:\n {2}cd my-api\n {2}cp \.env\.example \.env\n/);
  const docker = await execa('docker', ['compose', 'version'], { reject: false });
  if (docker.exitCode !== 0) {
    assert.match(
      stdout,
      / {2}# docker compose is not available: point DATABASE_URL in \.env at your own PostgreSQL \(README: "Without Docker"\)\n {2}npm run migrate:dev {3}# creates the database when it does not exist\n {2}npm run dev\n/,
    );
  }
  const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  assert.match(readme, /### Without Docker/);

  const DATABASE_URL = missingDatabase('firsthour');
  const TEST_DATABASE_URL = `${DATABASE_URL}_test`;
  const port = await freePort();
  writeEnv(dir, { DATABASE_URL, TEST_DATABASE_URL, PORT: String(port), HOST });

  const migrate = await execa('npm', ['run', '--silent', 'migrate:dev'], {
    cwd: dir,
    env: bare(),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  assert.is(migrate.exitCode, 0, `${migrate.stdout}\n${migrate.stderr}`);
  const events = parseJsonLines(String(migrate.stdout).split('\n').filter(Boolean));
  const name = new URL(DATABASE_URL).pathname.slice(1);
  assert.ok(
    events.some((event) => event.msg === `database "${name}" did not exist: created it`),
    String(migrate.stdout),
  );
  assert.is(events.at(-1)?.msg, 'migrations complete');
  assert.equal(await query(DATABASE_URL, "select to_regclass('public.notes') is not null as present"), [
    { present: true },
  ]);
  // A second run finds the database: nothing to create, nothing to migrate.
  const again = await execa('npm', ['run', '--silent', 'migrate:dev'], {
    cwd: dir,
    env: bare(),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  assert.is(again.exitCode, 0, String(again.stderr));
  assert.not.match(String(again.stdout), /created it/);

  for (const script of ['dev', 'start']) {
    const run = startScript(dir, script);
    try {
      await waitForHealthy(port, run.exited, 30_000).catch((error: Error) =>
        assert.unreachable(`${script}: ${error.message}\n${run.output()}`),
      );
      assert.is((await request(port, '/readyz')).status, 200, `${script}: the database from .env answers`);
    } finally {
      run.signal('SIGTERM');
      await within(run.exited, 20_000, `npm run ${script} stops`).catch(() => run.signal('SIGKILL'));
    }
  }

  // The tests' own database (TEST_DATABASE_URL, `<name>_test`) does not exist yet either: created.
  const tests = await execa('npm', ['test'], {
    cwd: dir,
    env: bare(),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 180_000,
  });
  assertAppTestsPassed(tests);
  assert.equal(await query(TEST_DATABASE_URL, "select to_regclass('public.notes') is not null as present"), [
    { present: true },
  ]);

  // A real variable wins over .env; a server that does not answer skips its tests, saying what to do.
  const away = await execa('npm', ['test'], {
    cwd: dir,
    env: { ...bare(), TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 180_000,
  });
  assert.is(away.exitCode, 0, `${away.stdout}\n${away.stderr}`);
  assert.match(String(away.stdout), /ℹ skipped 1\n/);
  assert.match(
    String(away.stdout),
    /nothing answers at 127\.0\.0\.1:1 \(TEST_DATABASE_URL\): start PostgreSQL \(docker compose up -d postgres, or your own server\)/,
  );
});

test('migrate: an unreachable server is one line naming host and port; a release never creates a database', async () => {
  const { dir } = await generatedApp(['--kind', 'api', '--yes']);
  const unreachable = await execa('npm', ['run', '--silent', 'migrate'], {
    cwd: dir,
    env: { ...bare(), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  assert.is(unreachable.exitCode, 1);
  const [line, ...rest] = String(unreachable.stdout).split('\n').filter(Boolean);
  assert.equal(rest, [], String(unreachable.stdout));
  assert.match(
    String(JSON.parse(line ?? '{}').msg),
    /^Cannot reach PostgreSQL at 127\.0\.0\.1:1: start it .* or point DATABASE_URL at a server that runs\.$/,
  );
  assert.not.match(`${unreachable.stdout}${unreachable.stderr}`, /\n\s+at |"stack"/);

  const DATABASE_URL = missingDatabase('release');
  const release = startProcess(dir, 'release', { DATABASE_URL });
  const { code } = await within(release.exited, 30_000, 'release exits');
  assert.is(code, 1);
  assert.match(release.stdout(), /Database \\?"twelve_release_[0-9a-f]+\\?" does not exist on 127\.0\.0\.1:5432/);
  assert.not.match(release.stdout() + release.stderr(), /"stack"|\n\s+at /);
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [
      new URL(DATABASE_URL).pathname.slice(1),
    ]);
    assert.is(found.rowCount, 0, 'the release process created a database');
  } finally {
    await client.end();
  }
});

test('worker: npm start runs it from .env; with REDIS_URL unreachable it stops on SIGTERM at once with exit 0', async () => {
  const { dir } = await copyOf(['--kind', 'worker', '--yes']);
  const healthPort = await freePort();
  writeEnv(dir, { REDIS_URL: await freshRedis(), HEALTH_PORT: String(healthPort), HOST });
  const run = startScript(dir, 'start');
  try {
    await waitForHealthy(healthPort, run.exited, 30_000).catch((error: Error) =>
      assert.unreachable(`${error.message}\n${run.output()}`),
    );
  } finally {
    run.signal('SIGTERM');
    await within(run.exited, 20_000, 'npm start stops').catch(() => run.signal('SIGKILL'));
  }
  assert.match(run.output(), /"msg":"shutdown complete"/);

  // The Procfile's worker (no .env: a platform's environment only), Redis never reached.
  const worker = startProcess(dir, 'worker', {
    REDIS_URL: 'redis://127.0.0.1:1',
    HEALTH_PORT: String(await freePort()),
    HOST,
  });
  await worker.waitForLine(/"msg":"listening"/, 30_000);
  const signalled = performance.now();
  worker.child.kill('SIGTERM');
  const { code, at } = await within(worker.exited, 10_000, 'worker exits after SIGTERM');
  const stoppedMs = Math.round(at - signalled);
  console.log(`  worker with unreachable Redis stopped ${stoppedMs} ms after SIGTERM`);
  assert.is(code, 0, worker.stdout() + worker.stderr());
  // The bound is 1 s; a loaded test machine gets slack, the measured figure is printed above.
  assert.ok(stoppedMs < 5_000, `stopped ${stoppedMs} ms after SIGTERM`);
  assert.not.match(worker.stdout(), /handing/);
  assert.is(parseJsonLines(worker.lines()).at(-1)?.msg, 'shutdown complete');
});

test.run();
