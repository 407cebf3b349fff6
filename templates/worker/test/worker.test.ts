import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { createLogger } from '../src/logger.ts';
import { createQueue, enqueue } from '../src/queue.ts';
import { closeRedis, createRedis } from '../src/redis.ts';
import { requiredEnv } from './env.ts';
import { testService } from './services.ts';

const { url: REDIS_URL, skip } = await testService('TEST_REDIS_URL', 'start Redis (docker compose up -d redis, or your own redis-server) and point the variable at it');

interface LogEvent {
  msg: string;
  jobId?: string;
  [key: string]: unknown;
}

/**
 * The real worker process (src/worker.ts), with its stdout parsed as JSON events. Several jobs at a
 * time, so that a job left waiting in the scratch database by an earlier run cannot hold up the test.
 */
async function startWorker(env: NodeJS.ProcessEnv) {
  const port = await freePort();
  const child = spawn(process.execPath, ['src/worker.ts'], {
    cwd: path.join(import.meta.dirname, '..'),
    env: {
      ...process.env,
      // Required variables point nowhere (never at the development services .env names); the worker
      // needs only Redis: the tests' own.
      ...requiredEnv,
      REDIS_URL,
      WORKER_CONCURRENCY: '4',
      ...env,
      HEALTH_PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const events: LogEvent[] = [];
  const waiters: { match: (event: LogEvent) => boolean; resolve: (event: LogEvent) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const event = JSON.parse(line) as LogEvent; // throws, and fails the test, on a line that is not JSON
    events.push(event);
    for (const waiter of waiters.filter((w) => w.match(event))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const waitFor = (match: (event: LogEvent) => boolean, timeoutMs = 10_000) => {
    const found = events.find(match);
    if (found) return Promise.resolve(found);
    const { promise, resolve, reject } = Promise.withResolvers<LogEvent>();
    waiters.push({ match, resolve });
    const timer = setTimeout(() => reject(new Error('timed out waiting for a worker event')), timeoutMs);
    return promise.finally(() => clearTimeout(timer));
  };
  try {
    // Generous: a busy machine (CI runners, parallel test files) can take seconds to load the sources.
    await waitFor((e) => e.msg === 'listening', 30_000);
  } catch (err) {
    // A worker left running would hold the test process open after the failure.
    child.kill('SIGKILL');
    throw err;
  }
  return { child, events, exited, waitFor, port };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

function connect() {
  const logger = createLogger({ LOG_LEVEL: 'silent' });
  const redis = createRedis(REDIS_URL ?? '', logger, 'test');
  const queue = createQueue(redis, logger);
  return {
    queue,
    close: async () => {
      await queue.close();
      await closeRedis(redis);
    },
  };
}

test('a real worker runs a job, answers its probes and drains on SIGTERM', { skip }, async (t) => {
  const { queue, close } = connect();
  t.after(close);
  // Bounded, in case a long job left in the scratch database is among the ones it picks up.
  const worker = await startWorker({ SHUTDOWN_TIMEOUT_MS: '2000' });
  t.after(() => worker.child.kill('SIGKILL'));

  const health = await fetch(`http://127.0.0.1:${worker.port}/healthz`);
  assert.equal(health.status, 200);

  const id = await enqueue(queue, 'example', { delayMs: 10 });
  const completed = await worker.waitFor((e) => e.msg === 'job completed' && e.jobId === id);
  assert.equal(typeof completed.durationMs, 'number');
  assert.equal(await (await queue.getJob(id))?.getState(), 'completed');

  worker.child.kill('SIGTERM');
  assert.equal(await worker.exited, 0);
  assert.equal(worker.events.at(-1)?.msg, 'shutdown complete');
});

test('a job still running at the shutdown deadline goes back to waiting without spending an attempt', { skip }, async (t) => {
  const { queue, close } = connect();
  t.after(close);
  const worker = await startWorker({ SHUTDOWN_TIMEOUT_MS: '300' });
  t.after(() => worker.child.kill('SIGKILL'));

  const id = await enqueue(queue, 'example', { delayMs: 60_000 });
  await worker.waitFor((e) => e.msg === 'job started' && e.jobId === id);
  worker.child.kill('SIGTERM');
  assert.equal(await worker.exited, 0);
  assert.ok(worker.events.some((e) => e.msg === 'job handed back' && e.jobId === id));

  const job = await queue.getJob(id);
  try {
    assert.equal(await job?.getState(), 'waiting');
    assert.equal(job?.attemptsMade, 0);
  } finally {
    await job?.remove(); // a minute-long job must not be left for the next worker
  }
});
