/**
 * The app `create-twelve-app --kind api --yes` generates, run as a platform runs it: every process
 * is started from its Procfile with a clean environment, against a real Postgres, and talked to
 * over real sockets on 127.0.0.1. Every wait and loop is bounded in count and time.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { POSTGRES_MAJOR } from '../../src/capabilities/postgres/versions.ts';
import { dropDatabases, freshDatabase, query } from '../support/databases.ts';
import {
  freePort,
  halfSentRequest,
  keepAliveLoad,
  type LoadCounts,
  request,
  slowRequest,
  waitForHealthy,
} from '../support/http.ts';
import { assertAppTestsPassed, parseJsonLines, type Running, startProcess } from '../support/processes.ts';
import { type GeneratedApp, generatedApp } from '../support/scaffold.ts';
import { waitUntil, within } from '../support/wait.ts';

const test = suite('generated api app: Procfile processes against Postgres');

/** A valid URL where nothing listens. */
const DEAD_DATABASE_URL = 'postgres://postgres@127.0.0.1:1/nothing';
/** The longest any process may take to exit once it should; far above what any run needs. */
const EXIT_WAIT_MS = 20_000;

let app: GeneratedApp;
/** A migrated database for the web scenarios that only add notes. */
let webDatabaseUrl: string;

// ------------------------------------------------------------------ figures (printed at the end)

const figures = {
  app: {} as Record<string, number>,
  webStartupMs: [] as number[],
  firstHealthyMs: 0,
  idleStopMs: 0,
  idleKeepAliveStopMs: 0,
  migrate: {} as Record<string, number | number[]>,
  load: {} as Record<string, LoadCounts & { before: number; exitMs: number }>,
  npmTestMs: 0,
  /** This suite once the (shared, memoized) app was ready, setup and cleanup included. */
  suiteMs: 0,
};
let suiteStarted = 0;
const ms = (value: number) => Math.round(value);

// ------------------------------------------------------------------ processes

/** stdout of every process run by this suite, for the closing "all lines are JSON" check. */
const runs: Array<{ label: string; lines: () => string[] }> = [];
const running = new Set<Running>();

function start(label: string, type: 'web' | 'release', env: Record<string, string>): Running {
  const proc = startProcess(app.dir, type, env);
  running.add(proc);
  void proc.exited.then(() => running.delete(proc));
  runs.push({ label, lines: proc.lines });
  return proc;
}

interface Finished {
  code: number | null;
  lines: string[];
  stderr: string;
  ms: number;
}

/** Runs a Procfile process type to its end. */
async function runToEnd(label: string, type: 'web' | 'release', env: Record<string, string>): Promise<Finished> {
  const begun = performance.now();
  const proc = start(label, type, env);
  const { code, at } = await within(proc.exited, EXIT_WAIT_MS, `${label} exits`);
  return { code, lines: proc.lines(), stderr: proc.stderr(), ms: at - begun };
}

const copies: string[] = [];

/**
 * A copy of the app's dist/ with one more migration. The release process type cannot run a build
 * with an extra migration, so this is the one place a process is not started from the Procfile: the
 * copy's migrate.js runs with node as the Procfile's release command would run dist/migrate.js. The
 * copy sits inside the app directory so that its imports resolve from the app's node_modules.
 */
function distWithExtraMigration(name: string, body: string): string {
  const dir = path.join(app.dir, `.e2e-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(app.dir, 'dist'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'migrations', `${name}.js`), `import { sql } from 'kysely';\n${body}`);
  copies.push(dir);
  return dir;
}

async function runMigrateCopy(label: string, copy: string, env: Record<string, string>): Promise<Finished> {
  const begun = performance.now();
  const child = spawn(process.execPath, [path.join(copy, 'migrate.js'), 'up'], {
    cwd: app.dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = () => stdout.split('\n').filter((line) => line.length > 0);
  runs.push({ label, lines });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const code = await within(exited, EXIT_WAIT_MS, `${label} exits`);
    return { code, lines: lines(), stderr, ms: performance.now() - begun };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

type Event = Record<string, unknown>;
const events = (lines: string[]): Event[] => parseJsonLines(lines);
const lastEvent = (proc: Running): Event | undefined => events(proc.lines()).at(-1);
const count = (proc: Running, msg: string) => events(proc.lines()).filter((event) => event.msg === msg).length;

interface Web {
  proc: Running;
  port: number;
}

/** Starts the web process type on a free port and waits for its first healthy /healthz. */
async function startWeb(label: string, env: Record<string, string>): Promise<Web & { startupMs: number }> {
  const port = await freePort();
  const begun = performance.now();
  const proc = start(label, 'web', { PORT: String(port), HOST: '127.0.0.1', ...env });
  try {
    await waitForHealthy(port, proc.exited, 10_000);
  } catch (err) {
    proc.child.kill('SIGKILL');
    throw new Error(`${label}: ${(err as Error).message}\nstdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`);
  }
  const startupMs = performance.now() - begun;
  figures.webStartupMs.push(ms(startupMs));
  return { proc, port, startupMs };
}

/** Sends the signal; the exit code and the time from the signal to the exit. */
async function stop(web: Web, signal: NodeJS.Signals = 'SIGTERM') {
  const sent = performance.now();
  web.proc.child.kill(signal);
  const { code, at } = await within(web.proc.exited, EXIT_WAIT_MS, `web exits after ${signal}`);
  return { code, ms: at - sent };
}

/** A migrated database of its own, migrated by the release process type. */
async function migratedDatabase(label: string): Promise<string> {
  const url = await freshDatabase(label);
  const release = await runToEnd(`release for ${label}`, 'release', { DATABASE_URL: url });
  assert.is(release.code, 0, `release for ${label} failed:\n${release.lines.join('\n')}\n${release.stderr}`);
  return url;
}

test.before(async () => {
  app = await generatedApp();
  suiteStarted = performance.now();
  figures.app = app.timings;
  webDatabaseUrl = await migratedDatabase('web');
});

test.after(async () => {
  for (const proc of running) proc.child.kill('SIGKILL');
  await Promise.all(
    [...running].map((proc) => within(proc.exited, 5_000, 'killed process exits').catch(() => undefined)),
  );
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
  await dropDatabases();
  figures.suiteMs = ms(performance.now() - suiteStarted);
  console.log(`\nfigures: ${JSON.stringify(figures)}`);
});

// ------------------------------------------------------------------ release: migrations

let releasedUrl: string | undefined;

test('release on a fresh database applies the one migration, ignores the .map files, exits 0', async () => {
  const maps = fs.readdirSync(path.join(app.dir, 'dist', 'migrations')).filter((file) => file.endsWith('.map'));
  assert.ok(maps.length > 0, 'the build is expected to emit .map files next to the migrations');
  const url = await freshDatabase('release');
  const first = await runToEnd('release on a fresh database', 'release', { DATABASE_URL: url });
  figures.migrate.freshMs = ms(first.ms);
  assert.is(first.code, 0, `${first.lines.join('\n')}\n${first.stderr}`);
  const applied = events(first.lines).filter((event) => event.msg === 'migration' && event.status === 'Success');
  assert.equal(
    applied.map((event) => event.migration),
    ['20260101000000_create_notes'],
  );
  assert.equal(
    await query(url, "select count(*)::int as n from information_schema.tables where table_name = 'notes'"),
    [{ n: 1 }],
  );
  releasedUrl = url;
});

test('release again on the migrated database finds nothing to migrate and exits 0', async () => {
  assert.ok(releasedUrl, 'needs the database of the previous test');
  const again = await runToEnd('release again', 'release', { DATABASE_URL: releasedUrl });
  figures.migrate.againMs = ms(again.ms);
  assert.is(again.code, 0, `${again.lines.join('\n')}\n${again.stderr}`);
  assert.ok(
    events(again.lines).some((event) => event.msg === 'nothing to migrate'),
    again.lines.join('\n'),
  );
  assert.not.ok(
    events(again.lines).some((event) => event.msg === 'migration'),
    'a second release must apply nothing',
  );
});

test('two releases at once on a fresh database: one applies both migrations, the other waits for the lock and finds nothing', async () => {
  // The slow second migration keeps the first process inside its lock long enough that the other
  // one has to wait for it.
  const sleepMs = 2_000;
  const copy = distWithExtraMigration(
    '20260102000000_slow',
    `export async function up(db) {\n  await sql\`select pg_sleep(${sleepMs / 1_000})\`.execute(db);\n}\n`,
  );
  const url = await freshDatabase('race');
  const [a, b] = await Promise.all([
    runMigrateCopy('racing release a', copy, { DATABASE_URL: url }),
    runMigrateCopy('racing release b', copy, { DATABASE_URL: url }),
  ]);
  figures.migrate.raceMs = [ms(a.ms), ms(b.ms)];
  const detail = `a:\n${a.lines.join('\n')}${a.stderr}\nb:\n${b.lines.join('\n')}${b.stderr}`;
  assert.is(a.code, 0, detail);
  assert.is(b.code, 0, detail);
  const applied = (run: Finished) => events(run.lines).filter((event) => event.status === 'Success').length;
  assert.equal([applied(a), applied(b)].sort(), [0, 2], detail);
  const waiter = applied(a) === 0 ? a : b;
  assert.ok(
    events(waiter.lines).some((event) => event.msg === 'nothing to migrate'),
    detail,
  );
  assert.ok(
    Math.min(a.ms, b.ms) > sleepMs,
    `both must have waited for the slow migration: ${ms(a.ms)} ms and ${ms(b.ms)} ms`,
  );
  assert.equal(await query(url, 'select count(*)::int as n from kysely_migration'), [{ n: 2 }]);
  assert.equal(
    await query(url, "select count(*)::int as n from information_schema.tables where table_name = 'notes'"),
    [{ n: 1 }],
  );
});

test('a release whose second migration fails exits 1, rolls back the whole batch and says so', async () => {
  const copy = distWithExtraMigration(
    '20260102000000_broken',
    "export async function up(db) {\n  await db.schema.createTable('half_done').addColumn('id', 'integer').execute();\n  throw new Error('migration bug');\n}\n",
  );
  const url = await freshDatabase('broken');
  const failed = await runMigrateCopy('release with a broken migration', copy, { DATABASE_URL: url });
  figures.migrate.brokenMs = ms(failed.ms);
  const detail = `${failed.lines.join('\n')}\n${failed.stderr}`;
  assert.is(failed.code, 1, detail);
  const logged = events(failed.lines);
  assert.ok(
    logged.some((event) => event.msg === 'migrations failed' && event.level === 'error'),
    detail,
  );
  assert.equal(
    logged.filter((event) => event.msg === 'migration').map((event) => `${event.migration}=${event.status}`),
    ['20260101000000_create_notes=RolledBack', '20260102000000_broken=Error'],
  );
  const tables = await query(
    url,
    "select table_name from information_schema.tables where table_schema = 'public' and table_name in ('notes', 'half_done')",
  );
  assert.equal(tables, [], 'the schema must be left as it was');
  assert.equal(await query(url, 'select count(*)::int as n from kysely_migration'), [{ n: 0 }]);
});

// ------------------------------------------------------------------ web: serving and stopping

let firstWeb: (Web & { startupMs: number }) | undefined;

test('web answers /healthz 200 and /readyz 200 with a live database, round-trips notes and echoes x-request-id', async () => {
  firstWeb = await startWeb('web: serving', { DATABASE_URL: webDatabaseUrl });
  figures.firstHealthyMs = ms(firstWeb.startupMs);
  const { port } = firstWeb;

  const ready = await request(port, '/readyz');
  assert.is(ready.status, 200, ready.body);
  assert.equal(JSON.parse(ready.body), { status: 'ok' });

  const created = await request(port, '/notes', { method: 'POST', body: JSON.stringify({ text: 'hello' }) });
  assert.is(created.status, 201, created.body);
  const note = JSON.parse(created.body) as { id: string; text: string };
  assert.is(note.text, 'hello');
  const listed = await request(port, '/notes');
  assert.is(listed.status, 200, listed.body);
  assert.ok(
    (JSON.parse(listed.body) as Array<{ id: string }>).some((row) => row.id === note.id),
    listed.body,
  );

  const echoed = await request(port, '/healthz', { headers: { 'x-request-id': 'e2e-42' } });
  assert.is(echoed.headers['x-request-id'], 'e2e-42');

  // Dev/prod parity, checked after listening: this server's major against the one compose and CI run.
  const [row] = await query<{ server_version_num: string }>(webDatabaseUrl, 'show server_version_num');
  const actual = Math.floor(Number(row?.server_version_num) / 10_000);
  const differs = () =>
    events(firstWeb!.proc.lines()).filter((event) => event.msg === 'backing service version differs');
  if (actual === POSTGRES_MAJOR) assert.is(differs().length, 0);
  else {
    assert.ok(await waitUntil(() => differs().length > 0, 5_000), firstWeb.proc.stdout());
    assert.equal(
      differs().map(({ level, service, expected, actual }) => ({ level, service, expected, actual })),
      [{ level: 'warn', service: 'postgres', expected: POSTGRES_MAJOR, actual }],
    );
  }
});

test('idle web exits 0 on SIGTERM, having logged one JSON event per request (route, status, time, id), no probes, nothing on stderr', async () => {
  assert.ok(firstWeb, 'needs the server of the previous test');
  const { proc } = firstWeb;
  const { code, ms: exitMs } = await stop(firstWeb);
  figures.idleStopMs = ms(exitMs);
  assert.is(code, 0, `${proc.stdout()}\n${proc.stderr()}`);
  assert.is(proc.stderr(), '');
  const requests = events(proc.lines()).filter((event) => event.msg === 'request completed');
  assert.equal(
    requests.map((event) => `${event.method} ${event.route} ${event.statusCode}`),
    ['POST /notes 201', 'GET /notes 200'],
  );
  for (const event of requests) {
    assert.type(event.requestId, 'string');
    assert.type(event.responseTimeMs, 'number');
  }
  assert.is(lastEvent(proc)?.msg, 'shutdown complete');
});

test('database down: /readyz 503 "backing service unavailable" while /healthz 200; LOG_HEALTH_PROBES=true logs the probes', async () => {
  const web = await startWeb('web: dead database', { DATABASE_URL: DEAD_DATABASE_URL, LOG_HEALTH_PROBES: 'true' });
  const [ready, health] = await Promise.all([request(web.port, '/readyz'), request(web.port, '/healthz')]);
  const { code } = await stop(web);
  assert.is(ready.status, 503, ready.body);
  assert.equal(JSON.parse(ready.body), { status: 'backing service unavailable' });
  assert.is(health.status, 200);
  assert.is(code, 0, web.proc.stderr());
  const probes = events(web.proc.lines()).filter(
    (event) => event.msg === 'request completed' && (event.route === '/healthz' || event.route === '/readyz'),
  );
  assert.ok(
    probes.some((event) => event.route === '/readyz' && event.statusCode === 503),
    JSON.stringify(probes),
  );
  assert.ok(probes.filter((event) => event.route === '/healthz').length >= 2, 'the startup probe and the one above');
});

test('SIGTERM during a slow POST: the request completes with 201 and Connection: close, and the process exits 0 with "shutdown complete" last', async () => {
  const web = await startWeb('web: slow POST', { DATABASE_URL: webDatabaseUrl });
  // A keep-alive client, so that `Connection: close` can only come from the draining server.
  const agent = new http.Agent({ keepAlive: true });
  let signalledAt = 0;
  try {
    const reply = await slowRequest(web.port, '/notes', {
      body: JSON.stringify({ text: 'sent slowly' }),
      pieces: 5,
      intervalMs: 300,
      agent,
      beforePiece: (index) => {
        if (index !== 2) return;
        signalledAt = performance.now();
        web.proc.child.kill('SIGTERM');
      },
    });
    const { code, at } = await within(web.proc.exited, EXIT_WAIT_MS, 'web exits');
    assert.ok(signalledAt > 0, 'SIGTERM was sent mid-body');
    assert.is(reply.status, 201, reply.body);
    assert.is(reply.headers.connection, 'close');
    assert.is(code, 0, web.proc.stderr());
    assert.is(lastEvent(web.proc)?.msg, 'shutdown complete');
    assert.ok(at > signalledAt);
  } finally {
    agent.destroy();
  }
});

test('idle keep-alive connections are closed by the server and do not hold shutdown open (exit 0 long before SHUTDOWN_TIMEOUT_MS=10000)', async () => {
  const web = await startWeb('web: idle keep-alive', { DATABASE_URL: webDatabaseUrl, SHUTDOWN_TIMEOUT_MS: '10000' });
  const sockets = 8;
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  try {
    await Promise.all(Array.from({ length: sockets }, () => request(web.port, '/healthz', { agent })));
    const idle = () => Object.values(agent.freeSockets).flat();
    assert.ok(
      await waitUntil(() => idle().length === sockets, 2_000),
      `${idle().length} idle sockets, expected ${sockets}`,
    );
    let closedBeforeExit = 0;
    for (const socket of idle()) socket?.once('close', () => closedBeforeExit++);
    const { code, ms: exitMs } = await stop(web);
    figures.idleKeepAliveStopMs = ms(exitMs);
    await waitUntil(() => closedBeforeExit === sockets, 2_000);
    assert.is(code, 0, web.proc.stderr());
    assert.is(closedBeforeExit, sockets, 'every idle socket must have been closed by the server');
    assert.ok(exitMs < 2_500, `SIGTERM to exit took ${ms(exitMs)} ms with ${sockets} idle keep-alive connections`);
    assert.is(lastEvent(web.proc)?.msg, 'shutdown complete');
  } finally {
    agent.destroy();
  }
});

for (const delayMs of [0, 500]) {
  test(`SIGTERM under load from 50 keep-alive clients, SHUTDOWN_DELAY_MS=${delayMs}: no resets, no timeouts, only 200s, exit 0, "shutdown complete" last`, async () => {
    const web = await startWeb(`web: load, delay ${delayMs}`, {
      DATABASE_URL: webDatabaseUrl,
      SHUTDOWN_DELAY_MS: String(delayMs),
    });
    const load = keepAliveLoad(web.port, {
      clients: 50,
      paths: ['/notes', '/healthz'],
      maxRequestsPerClient: 5_000,
      maxMs: 20_000,
    });
    // Let every client get going; bounded, and the load is judged whatever the count reached.
    const loadStarted = performance.now();
    await waitUntil(() => load.counts.responses >= 500 && performance.now() - loadStarted >= 500, 5_000);
    const before = load.counts.responses;
    const sent = performance.now();
    web.proc.child.kill('SIGTERM');
    const [{ code, at }, counts] = await within(
      Promise.all([web.proc.exited, load.done]),
      30_000,
      'web exits and the load ends',
    );
    figures.load[`delay${delayMs}`] = { ...counts, before, exitMs: ms(at - sent) };
    const detail = JSON.stringify({ before, ...counts });
    assert.is(code, 0, `${detail}\n${web.proc.stderr()}`);
    assert.ok(before > 0, detail);
    assert.is(counts.resets, 0, detail);
    assert.is(counts.timeouts, 0, detail);
    assert.is(counts.other, 0, detail);
    assert.is(counts.non200, 0, detail);
    assert.is(lastEvent(web.proc)?.msg, 'shutdown complete');
  });
}

test('repeated SIGTERM/SIGINT during SHUTDOWN_DELAY_MS are logged and ignored, requests are still served and /readyz answers 503', async () => {
  // Long enough that the requests below land inside the delay even on a busy machine.
  const web = await startWeb('web: repeated signals', { DATABASE_URL: webDatabaseUrl, SHUTDOWN_DELAY_MS: '1500' });
  web.proc.child.kill('SIGTERM');
  await web.proc.waitForLine(/"msg":"shutdown started"/, 5_000);
  web.proc.child.kill('SIGTERM');
  web.proc.child.kill('SIGINT');
  const ignoredMsg = 'shutdown already in progress, signal ignored';
  await waitUntil(() => count(web.proc, ignoredMsg) >= 2, 5_000);
  const [during, readyz] = await Promise.all([request(web.port, '/notes'), request(web.port, '/readyz')]);
  const { code } = await within(web.proc.exited, EXIT_WAIT_MS, 'web exits');
  assert.is(code, 0, web.proc.stderr());
  assert.is(count(web.proc, ignoredMsg), 2);
  assert.is(count(web.proc, 'shutdown started'), 1);
  assert.is(during.status, 200, during.body);
  assert.is(readyz.status, 503, readyz.body);
  assert.equal(JSON.parse(readyz.body), { status: 'shutting down' });
  assert.is(lastEvent(web.proc)?.msg, 'shutdown complete');
});

test('a client stalled in its request headers is closed as idle: exit 0 before SHUTDOWN_TIMEOUT_MS=2000', async () => {
  const web = await startWeb('web: half-sent headers', { DATABASE_URL: webDatabaseUrl, SHUTDOWN_TIMEOUT_MS: '2000' });
  const stalled = await halfSentRequest(web.port, 'POST /notes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty');
  try {
    // The server must have accepted the connection before the signal, or there is nothing to test.
    await sleep(300);
    const { code, ms: exitMs } = await stop(web);
    assert.is(code, 0, `${web.proc.stdout()}\n${web.proc.stderr()}`);
    assert.ok(exitMs < 2_500, `SIGTERM to exit took ${ms(exitMs)} ms`);
    assert.is(count(web.proc, 'shutdown timed out'), 0);
    assert.is(lastEvent(web.proc)?.msg, 'shutdown complete');
    await within(stalled.closed, 2_000, 'the stalled connection closes');
    assert.ok(stalled.closedByServer(), 'the server must close the stalled connection');
  } finally {
    stalled.destroy();
  }
});

test('a client stalled in its request body holds shutdown until SHUTDOWN_TIMEOUT_MS=2000, then exit 1 with "shutdown timed out"', async () => {
  const web = await startWeb('web: half-sent body', { DATABASE_URL: webDatabaseUrl, SHUTDOWN_TIMEOUT_MS: '2000' });
  const stalled = await halfSentRequest(
    web.port,
    'POST /notes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"text":',
  );
  try {
    // The request must be in progress on the server before the signal.
    await sleep(300);
    const { code, ms: exitMs } = await stop(web);
    assert.is(code, 1, `${web.proc.stdout()}\n${web.proc.stderr()}`);
    assert.ok(
      events(web.proc.lines()).some((event) => event.msg === 'shutdown timed out' && event.level === 'error'),
      web.proc.stdout(),
    );
    assert.ok(exitMs < 2_500, `SIGTERM to exit took ${ms(exitMs)} ms with SHUTDOWN_TIMEOUT_MS=2000`);
  } finally {
    stalled.destroy();
  }
});

test('REQUEST_TIMEOUT_MS=500: a request still arriving after it is answered 408 and closed; the process serves on and drains on SIGTERM', async () => {
  const web = await startWeb('web: request timeout', { DATABASE_URL: webDatabaseUrl, REQUEST_TIMEOUT_MS: '500' });
  const sent = performance.now();
  const stalled = await halfSentRequest(web.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  try {
    // Node checks for expired requests once a second (src/app.ts sets the interval).
    await within(stalled.closed, 3_000, 'the server cuts the slow request off');
    const cutMs = performance.now() - sent;
    assert.ok(stalled.closedByServer(), 'the server must close the slow connection');
    assert.match(stalled.received(), /^HTTP\/1\.1 408 /, stalled.received());
    assert.ok(cutMs >= 450 && cutMs < 2_500, `cut off after ${ms(cutMs)} ms with REQUEST_TIMEOUT_MS=500`);
    assert.is((await request(web.port, '/healthz')).status, 200);
    const { code } = await stop(web);
    assert.is(code, 0, web.proc.stderr());
    assert.is(lastEvent(web.proc)?.msg, 'shutdown complete');
  } finally {
    stalled.destroy();
  }
});

// ------------------------------------------------------------------ configuration and failures

test('without DATABASE_URL the web process exits 1 with one stderr line naming it and no stack trace', async () => {
  const missing = await runToEnd('web: no DATABASE_URL', 'web', {});
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /DATABASE_URL is required/);
  assert.not.match(missing.stderr, /\n\s+at /);
  assert.is(missing.stderr.trim().split('\n').length, 1, missing.stderr);
});

test('an invalid DATABASE_URL exits 1, names the variable and its value appears in no output line', async () => {
  const secret = 'secretvalue123';
  const leaky = await runToEnd('web: invalid config', 'web', { DATABASE_URL: `not-a-url-${secret}`, PORT: 'http' });
  const output = [...leaky.lines, leaky.stderr].join('\n');
  assert.is(leaky.code, 1);
  assert.match(leaky.stderr, /DATABASE_URL/);
  assert.match(leaky.stderr, /PORT/);
  assert.not.ok(output.includes(secret), output);
  assert.not.match(leaky.stderr, /\n\s+at /);
  assert.is(leaky.stderr.trim().split('\n').length, 1, leaky.stderr);
});

test("the generated app's own npm test passes with TEST_DATABASE_URL set: nothing failed, nothing skipped", async () => {
  const url = await freshDatabase('npmtest');
  const begun = performance.now();
  const result = await execa('npm', ['test'], {
    cwd: app.dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TEST_DATABASE_URL: url },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 60_000,
  });
  figures.npmTestMs = ms(performance.now() - begun);
  assertAppTestsPassed(result);
});

test('an unhandled rejection logs one fatal event and exits 1', async () => {
  // Still the Procfile's command: NODE_OPTIONS preloads a hook that rejects a promise nobody
  // handles when the test sends SIGUSR2, i.e. after the server is up.
  const hook = "--import=data:text/javascript,process.on('SIGUSR2',()=>Promise.reject(Error('boom')))";
  const web = await startWeb('web: unhandled rejection', { DATABASE_URL: webDatabaseUrl, NODE_OPTIONS: hook });
  const { code } = await stop(web, 'SIGUSR2');
  const logged = events(web.proc.lines());
  const fatal = logged.filter((event) => event.level === 'fatal');
  assert.is(code, 1, web.proc.stderr());
  // The version check runs in the background after listening (this machine's PostgreSQL differs from
  // the model's major): at most one event, wherever it lands.
  const VERSION = 'backing service version differs';
  assert.ok(logged.filter((event) => event.msg === VERSION).length <= 1, web.proc.stdout());
  assert.equal(
    logged.map((event) => event.msg).filter((msg) => msg !== VERSION),
    ['error reporting off: SENTRY_DSN is not set', 'listening', 'unhandled rejection'],
  );
  assert.is(fatal.length, 1);
  assert.is((fatal[0]?.err as { message?: unknown } | undefined)?.message, 'boom');
});

test('database connections killed under the pool: logged, the process survives and the next query works', async () => {
  const url = await migratedDatabase('pool');
  const web = await startWeb('web: pool errors', { DATABASE_URL: url });
  const first = await request(web.port, '/notes'); // leaves an idle pooled connection
  assert.is(first.status, 200, first.body);
  const [killed] = await query<{ n: number }>(
    url,
    `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
  );
  assert.ok((killed?.n ?? 0) > 0, 'no backend to terminate');
  const lost = await waitUntil(() => count(web.proc, 'database connection lost') > 0, 5_000);
  const after = await request(web.port, '/notes');
  const { code } = await stop(web);
  assert.ok(lost, `"database connection lost" not logged:\n${web.proc.stdout()}`);
  assert.is(after.status, 200, after.body);
  assert.is(code, 0, web.proc.stderr());
  assert.is(lastEvent(web.proc)?.msg, 'shutdown complete');
});

test('every stdout line of every process run above is one JSON object', () => {
  let total = 0;
  const bad: string[] = [];
  for (const run of runs) {
    for (const line of run.lines()) {
      total++;
      try {
        parseJsonLines([line]);
      } catch {
        bad.push(`${run.label}: ${line}`);
      }
    }
  }
  assert.ok(total > 0, 'no stdout lines were collected');
  assert.equal(bad, []);
});

test.run();
