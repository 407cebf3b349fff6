/**
 * Error reporting and tracing end to end, from the packed CLI: an api app with the default error
 * reporting (Sentry), PostgreSQL, `add worker` and `add tracing`, built and started from its Procfile.
 * Reports go to a real Sentry-protocol receiver (Spotlight's sidecar, see test/support/spotlight.ts);
 * each one must carry the id its log line carries, and no secret.
 *
 * Spans: no maintained OTLP receiver installs from the registries reachable here (the OpenTelemetry
 * Collector is a Go binary shipped neither on npm nor in Debian), so the test listens for the
 * exporter's OTLP/HTTP requests with node:http and reads the spans in them; it answers 200 and fakes
 * no behaviour beyond accepting them.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dropDatabases, freshDatabase } from '../support/databases.ts';
import { freePort, HOST, request, waitForHealthy } from '../support/http.ts';
import { parseJsonLines, processTracker, procfile, type Running } from '../support/processes.ts';
import { freshRedis, releaseRedisDatabases } from '../support/redis.ts';
import { runCli, tempDir } from '../support/scaffold.ts';
import { type Receiver, startReceiver } from '../support/spotlight.ts';
import { waitUntil } from '../support/wait.ts';

const test = suite('error reporting to a Sentry-protocol receiver, tracing over OTLP');

const PASSWORD = 'hunter2-db-secret';
const TOKEN = 'Bearer sekrit-token-42';

// The app's own code, as a user would write it: one route that fails with a secret in its message, one
// that leaves a promise rejected after the response.
const FAULT_ROUTES = `import type { FastifyPluginAsync } from 'fastify';

export const faults: FastifyPluginAsync = async (app) => {
  app.get('/boom', async () => {
    throw new Error(\`cannot reach \${process.env.DATABASE_URL}\`);
  });
  app.post('/orders', async () => {
    throw new Error('orders are down');
  });
  app.get('/reject', async () => {
    setTimeout(() => void Promise.reject(new Error('rejected after the response')), 50);
    return { ok: true };
  });
};
`;

let appDir: Promise<string> | undefined;
function app(): Promise<string> {
  appDir ??= (async () => {
    const cwd = tempDir('errors');
    const created = await runCli(['my-api', '--kind', 'api', '--db', 'postgres', '--yes', '--skip-install'], { cwd });
    assert.is(created.exitCode, 0, String(created.stdout) + String(created.stderr));
    const dir = path.join(cwd, 'my-api');
    for (const capability of ['worker', 'tracing']) {
      // --force: the first add leaves its changes uncommitted, which add (like update) refuses otherwise.
      const added = await runCli(['add', capability, '--yes', '--skip-install', '--force'], { cwd: dir });
      assert.is(added.exitCode, 0, String(added.stdout) + String(added.stderr));
    }
    fs.writeFileSync(path.join(dir, 'src/routes/faults.ts'), FAULT_ROUTES);
    const index = path.join(dir, 'src/routes/index.ts');
    const routes = fs.readFileSync(index, 'utf8');
    const root = /^ {2}app\.get\('\/', .*$/m;
    assert.match(routes, root, 'the generated routes answer GET /');
    fs.writeFileSync(
      index,
      `import { faults } from './faults.ts';\n${routes.replace(root, '$&\n  app.register(faults);')}`,
    );
    await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir });
    await execa('npm', ['run', 'build'], { cwd: dir });
    return dir;
  })();
  return appDir;
}

let receiver: Receiver | undefined;
async function sentry(): Promise<Receiver> {
  receiver ??= await startReceiver();
  return receiver;
}

const { start, killAll } = processTracker();

async function stop(proc: Running): Promise<number | null> {
  proc.child.kill('SIGTERM');
  return (await proc.exited).code;
}

let services: Promise<{ DATABASE_URL: string; REDIS_URL: string }> | undefined;
/**
 * A migrated database, reached with a password the reports must never show (the test server trusts
 * any), and a Redis database of its own: every process of this app needs both.
 */
function backing(dir: string): Promise<{ DATABASE_URL: string; REDIS_URL: string }> {
  services ??= (async () => {
    const url = new URL(await freshDatabase('errors'));
    url.password = PASSWORD;
    const env = { DATABASE_URL: url.toString(), REDIS_URL: await freshRedis() };
    await execa(process.execPath, ['dist/migrate.js', 'up'], { cwd: dir, env });
    return env;
  })();
  return services;
}

/**
 * What the image's final stage holds: package.json, the Procfile and dist/, no other node_modules than
 * dist/node_modules, where the build copied the packages the bundle leaves external (tracing's) and
 * all they load.
 */
async function imageLayout(): Promise<string> {
  const dir = await app();
  const image = tempDir('errors-image');
  for (const entry of ['package.json', 'Procfile', 'dist'])
    fs.cpSync(path.join(dir, entry), path.join(image, entry), { recursive: true });
  assert.ok(fs.existsSync(path.join(image, 'dist/node_modules/pg/package.json')), 'pg is copied into dist/');
  return image;
}

async function web(env: Record<string, string> = {}, where?: string): Promise<{ proc: Running; port: number }> {
  const dir = await app();
  const port = await freePort();
  const proc = start(where ?? dir, 'web', { HOST, PORT: String(port), ...(await backing(dir)), ...env });
  await waitForHealthy(port, proc.exited, 20_000);
  return { proc, port };
}

const events = (proc: Running) => parseJsonLines(proc.lines());

function assertNoSecret(raw: string): void {
  for (const secret of [PASSWORD, 'sekrit-token-42', 'session=abc'])
    assert.not.ok(raw.includes(secret), `the report carries ${secret}`);
}

test('the release is baked by the build; the Procfile preloads tracing for web and worker only', async () => {
  const dir = await app();
  const { release } = JSON.parse(fs.readFileSync(path.join(dir, 'dist/release.json'), 'utf8')) as { release: string };
  assert.match(release, /^my-api@0\.1\.0\+[0-9a-f]{12}$/);
  const types = procfile(dir);
  assert.is(types.web, 'node --import ./dist/tracing.js dist/server.js');
  assert.is(types.worker, 'node --import ./dist/tracing.js dist/worker.js');
  assert.is(types.release, 'node dist/migrate.js up');
});

test('a route that throws: reported with the request id of its log lines, no credentials, no config values', async () => {
  const receiver = await sentry();
  const { proc, port } = await web({ SENTRY_DSN: receiver.dsn, SENTRY_ENVIRONMENT: 'e2e' });
  try {
    const reply = await request(port, '/boom', { headers: { authorization: TOKEN, cookie: 'session=abc' } });
    assert.is(reply.status, 500);
    assert.not.ok(reply.body.includes(PASSWORD));
    await proc.waitForLine(/"msg":"request failed"/);
    const failed = events(proc).find((event) => event.msg === 'request failed')!;
    assert.type(failed.requestId, 'string');
    assert.type(failed.errorReportId, 'string');
    const report = await receiver.waitForError((event) => event.eventId === failed.errorReportId);
    assert.is(report.tags.requestId, failed.requestId);
    assert.is(report.tags.route, '/boom');
    assert.is(report.environment, 'e2e');
    assert.match(report.release ?? '', /^my-api@0\.1\.0\+/);
    assert.is(report.messages[0], 'cannot reach [Filtered]');
    assertNoSecret(report.raw);
  } finally {
    assert.is(await stop(proc), 0, proc.stderr());
  }
});

test('request bodies never leave the process; the same failure again is neither logged nor reported again', async () => {
  const receiver = await sentry();
  const { proc, port } = await web({ SENTRY_DSN: receiver.dsn });
  try {
    const body = JSON.stringify({ card: 'card-4242-body-secret', note: 'private user text' });
    for (let i = 0; i < 5; i += 1)
      assert.is((await request(port, '/orders?email=user-query-secret', { method: 'POST', body })).status, 500);
    await proc.waitForLine(/"msg":"request failed"/);
    const failed = events(proc).filter((event) => event.msg === 'request failed');
    assert.is(failed.length, 1, 'one event for five identical failures within the interval');
    const report = await receiver.waitForError((event) => event.eventId === failed[0]!.errorReportId);
    assert.equal(
      [report.tags.method, report.tags.route, report.tags.status, report.tags.requestId],
      ['POST', '/orders', '500', failed[0]!.requestId],
    );
    for (const data of ['card-4242-body-secret', 'private user text', 'user-query-secret'])
      assert.not.ok(report.raw.includes(data), `the report carries ${data}`);
    await waitUntil(() => false, 1_000);
    assert.is(receiver.errors().filter((event) => event.messages[0] === 'orders are down').length, 1, 'reported once');
  } finally {
    assert.is(await stop(proc), 0, proc.stderr());
  }
});

test('an unhandled rejection: reported and sent before the process exits 1, with the id its fatal log line carries', async () => {
  const receiver = await sentry();
  const { proc, port } = await web({ SENTRY_DSN: receiver.dsn });
  assert.is((await request(port, '/reject')).status, 200);
  const { code } = await proc.exited;
  assert.is(code, 1);
  const fatal = events(proc).find((event) => event.msg === 'unhandled rejection');
  assert.ok(fatal, proc.stdout());
  assert.is(fatal.level, 'fatal');
  const report = await receiver.waitForError((event) => event.eventId === fatal.errorReportId, 5_000);
  assert.is(report.tags.crash, 'unhandled rejection');
  assert.is(report.messages[0], 'rejected after the response');
  assertNoSecret(report.raw);
});

test('a crash at startup after the config loaded (port taken): reported before exit 1', async () => {
  const receiver = await sentry();
  const dir = await app();
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, HOST, resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const proc = start(dir, 'web', { HOST, PORT: String(port), ...(await backing(dir)), SENTRY_DSN: receiver.dsn });
    const { code } = await proc.exited;
    assert.is(code, 1, proc.stdout() + proc.stderr());
    const fatal = events(proc).find((event) => event.level === 'fatal');
    assert.ok(fatal, proc.stdout());
    const report = await receiver.waitForError((event) => event.eventId === fatal.errorReportId, 5_000);
    assert.match(report.messages[0] ?? '', /EADDRINUSE/);
    assertNoSecret(report.raw);
  } finally {
    blocker.close();
  }
});

test('a worker job that fails for good: reported once with the job id of its log line', async () => {
  const receiver = await sentry();
  const dir = await app();
  const { REDIS_URL, DATABASE_URL } = await backing(dir);
  const env = { HOST, HEALTH_PORT: String(await freePort()), REDIS_URL, DATABASE_URL, SENTRY_DSN: receiver.dsn };
  const worker = start(dir, 'worker', env);
  try {
    await worker.waitForLine(/"msg":"worker ready"/, 20_000);
    // Past `npm run enqueue`, which would refuse the payload: the worker must cope with what arrives.
    const script = `import { Queue } from 'bullmq';
import { QUEUE_NAME } from './src/queue.ts';
const queue = new Queue(QUEUE_NAME, { connection: { url: process.env.REDIS_URL } });
const job = await queue.add('example', { delayMs: 'soon' });
console.log(job.id);
await queue.close();`;
    const added = await execa(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      env: { REDIS_URL },
    });
    const jobId = added.stdout.trim();
    await worker.waitForLine(new RegExp(`"jobId":"${jobId}".*"msg":"job failed"`), 10_000);
    const failed = events(worker).find((event) => event.msg === 'job failed' && event.jobId === jobId)!;
    assert.is(failed.willRetry, false);
    const report = await receiver.waitForError((event) => event.eventId === failed.errorReportId);
    assert.is(report.tags.jobId, jobId);
    assert.is(report.tags.job, 'example');
    assertNoSecret(report.raw);
  } finally {
    assert.is(await stop(worker), 0, worker.stderr());
  }
});

test('without SENTRY_DSN: one log event says reporting is off, nothing is sent, errors are still logged', async () => {
  const receiver = await sentry();
  const before = receiver.envelopes();
  const { proc, port } = await web();
  try {
    assert.is((await request(port, '/boom')).status, 500);
    await proc.waitForLine(/"msg":"request failed"/);
  } finally {
    assert.is(await stop(proc), 0, proc.stderr());
  }
  const all = events(proc);
  assert.is(all.filter((event) => event.msg === 'error reporting off: SENTRY_DSN is not set').length, 1);
  assert.is(all.find((event) => event.msg === 'request failed')?.errorReportId, undefined);
  await waitUntil(() => false, 500);
  assert.is(receiver.envelopes(), before);
});

test('tracing, from the image layout: a request that queries PostgreSQL gives an HTTP server span and pg spans of one trace, whose id the log line carries', async () => {
  const spans: Array<{ traceId: string; name: string; kind: number; scope: string }> = [];
  const paths: string[] = [];
  const collector = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const parsed = JSON.parse(body) as {
        resourceSpans: Array<{
          scopeSpans: Array<{ scope: { name: string }; spans: Array<{ traceId: string; name: string; kind: number }> }>;
        }>;
      };
      for (const resource of parsed.resourceSpans) {
        for (const scope of resource.scopeSpans)
          for (const span of scope.spans) spans.push({ ...span, scope: scope.scope.name });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, HOST, resolve));
  const endpoint = `http://${HOST}:${(collector.address() as net.AddressInfo).port}`;
  const { proc, port } = await web(
    { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_SERVICE_NAME: 'e2e-api' },
    await imageLayout(),
  );
  try {
    assert.is((await request(port, '/notes')).status, 200);
    await proc.waitForLine(/"route":"\/notes".*"msg":"request completed"/);
    const line = events(proc).find((event) => event.msg === 'request completed' && event.route === '/notes')!;
    assert.match(String(line.trace_id), /^[0-9a-f]{32}$/);
    const ok = await waitUntil(
      () =>
        spans.some((span) => span.traceId === line.trace_id && span.scope.endsWith('instrumentation-pg')) &&
        spans.some((span) => span.traceId === line.trace_id && span.kind === 2),
      10_000,
    );
    assert.ok(ok, `spans of trace ${String(line.trace_id)} did not arrive: ${JSON.stringify(spans)}`);
    assert.ok(
      paths.every((entry) => entry.startsWith('POST /v1/traces application/json')),
      paths.join('\n'),
    );
    // Probes are not traced: /healthz answered above without a span.
    assert.not.ok(spans.some((span) => span.name.includes('healthz')));
  } finally {
    assert.is(await stop(proc), 0, proc.stderr());
    collector.close();
  }
});

test.after(async () => {
  await killAll();
  await receiver?.stop();
  await dropDatabases();
  await releaseRedisDatabases();
});

test.run();
