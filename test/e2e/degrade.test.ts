/**
 * Issue 21, item 5: the generated API app when PostgreSQL hangs rather than refuses. A cluster of the
 * test's own (test/support/own-postgres.ts: never the shared server) is paused with SIGSTOP: `/readyz`
 * must answer 503 within its 1 s deadline, a route must fail within `DATABASE_STATEMENT_TIMEOUT_MS`,
 * repeated failures are logged once (with a count), and both recover on SIGCONT. Also: U+0000 in a
 * note is a 400, not an incident.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort, request, waitForHealthy } from '../support/http.ts';
import { type OwnPostgres, ownPostgres } from '../support/own-postgres.ts';
import { parseJsonLines, type Running, startProcess } from '../support/processes.ts';
import { type GeneratedApp, generatedApp } from '../support/scaffold.ts';
import { within } from '../support/wait.ts';

const test = suite('generated api app degrades gracefully when PostgreSQL hangs');

const STATEMENT_TIMEOUT_MS = 1_500;
const READY_DEADLINE_MS = 1_000;
// Scheduling slack on a loaded 2-core machine; the failures this guards against took 8–9 s.
const SLACK_MS = 700;

let app: GeneratedApp;
let pg: OwnPostgres | undefined;
let web: Running | undefined;
let port: number;

const timed = async <T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const begun = performance.now();
  const value = await run();
  return { value, ms: performance.now() - begun };
};

test.before(async () => {
  app = await generatedApp();
  pg = await ownPostgres();
  const env = { DATABASE_URL: pg.url, DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) };
  const release = startProcess(app.dir, 'release', env);
  const { code } = await within(release.exited, 30_000, 'release exits');
  assert.is(code, 0, release.stdout() + release.stderr());
  port = await freePort();
  web = startProcess(app.dir, 'web', { ...env, PORT: String(port), HOST: '127.0.0.1' });
  await waitForHealthy(port, web.exited, 15_000);
});

test.after(async () => {
  web?.child.kill('SIGKILL');
  await pg?.stop();
});

test('U+0000 in a note is a 400, not a 500 and not an incident', async () => {
  const reply = await request(port, '/notes', { method: 'POST', body: JSON.stringify({ text: 'a\u0000b' }) });
  assert.is(reply.status, 400, reply.body);
  const ok = await request(port, '/notes', { method: 'POST', body: JSON.stringify({ text: 'fine' }) });
  assert.is(ok.status, 201, ok.body);
  assert.not.ok(
    parseJsonLines(web!.lines()).some((event) => event.msg === 'request failed'),
    'nothing logged as a failure',
  );
});

test('PostgreSQL paused: /readyz is 503 within its deadline, a route fails within the statement timeout; both recover', async () => {
  assert.is((await request(port, '/readyz')).status, 200);
  assert.is((await request(port, '/notes')).status, 200);
  const before = web!.lines().length;
  await pg!.signal('SIGSTOP');
  try {
    const probes = [];
    for (let i = 0; i < 6; i += 1) probes.push(await timed(() => request(port, '/readyz', { timeoutMs: 10_000 })));
    // Probes from several checkers at once, as a platform polls.
    probes.push(
      ...(await Promise.all(
        Array.from({ length: 8 }, () => timed(() => request(port, '/readyz', { timeoutMs: 10_000 }))),
      )),
    );
    for (const probe of probes) {
      assert.is(probe.value.status, 503, probe.value.body);
      assert.ok(probe.ms < READY_DEADLINE_MS + SLACK_MS, `/readyz took ${Math.round(probe.ms)} ms`);
    }
    const routes = await Promise.all(
      Array.from({ length: 8 }, () => timed(() => request(port, '/notes', { timeoutMs: 15_000 }))),
    );
    routes.push(await timed(() => request(port, '/notes', { timeoutMs: 15_000 })));
    for (const route of routes) {
      assert.is(route.value.status, 500, route.value.body);
      assert.ok(route.ms < STATEMENT_TIMEOUT_MS + SLACK_MS, `GET /notes took ${Math.round(route.ms)} ms`);
    }
    const outage = parseJsonLines(web!.lines().slice(before));
    // One event for the first failure of a kind (pool wait, connect, query timeout), not one per request or probe.
    for (const msg of ['readiness check failed', 'request failed']) {
      const logged = outage
        .filter((event) => event.msg === msg)
        .map((event) => (event.err as { message?: string }).message);
      assert.ok(logged.length > 0, `${msg} is logged`);
      assert.equal(logged, [...new Set(logged)], `${msg}: each kind once, not per request:\n${logged.join('\n')}`);
    }
    assert.ok(outage.filter((event) => event.msg === 'request failed').length < routes.length);
  } finally {
    await pg!.signal('SIGCONT');
  }
  const recovered = await timed(async () => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const [ready, notes] = await Promise.all([request(port, '/readyz'), request(port, '/notes')]);
      if (ready.status === 200 && notes.status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('/readyz and GET /notes did not recover within 10 s of SIGCONT');
  });
  console.log(`  recovered ${Math.round(recovered.ms)} ms after SIGCONT`);
  assert.not.match(web!.stderr(), /MaxListenersExceededWarning/);
});

test('Redis away while /readyz is polled hard: every probe 503 within its deadline, one log event, no MaxListenersExceededWarning', async () => {
  const worker = await generatedApp(['--kind', 'worker', '--yes']);
  const healthPort = await freePort();
  // Nothing listens there: ioredis keeps reconnecting for the whole test, as during an outage.
  const proc = startProcess(worker.dir, 'worker', {
    REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    HEALTH_PORT: String(healthPort),
    HOST: '127.0.0.1',
  });
  try {
    await waitForHealthy(healthPort, proc.exited, 15_000);
    for (let round = 0; round < 3; round += 1) {
      const probes = await Promise.all(
        Array.from({ length: 30 }, () => timed(() => request(healthPort, '/readyz', { timeoutMs: 10_000 }))),
      );
      for (const probe of probes) {
        assert.is(probe.value.status, 503, probe.value.body);
        assert.ok(probe.ms < READY_DEADLINE_MS + SLACK_MS, `/readyz took ${Math.round(probe.ms)} ms`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.not.match(proc.stderr(), /MaxListenersExceededWarning/, proc.stderr());
    const failed = parseJsonLines(proc.lines())
      .filter((event) => event.msg === 'readiness check failed')
      .map((event) => (event.err as { message?: string }).message);
    assert.ok(failed.length >= 1, 'the failure is logged');
    assert.equal(failed, [...new Set(failed)], `each kind once for 90 probes:\n${failed.join('\n')}`);
  } finally {
    proc.child.kill('SIGKILL');
  }
});

test.run();
