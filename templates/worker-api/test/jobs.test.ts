import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Queue } from 'bullmq';
import { QUEUE_NAME } from '../src/queue.ts';
import { testService } from './services.ts';
import { reachableServices, setup } from './setup.ts';

test('POST /jobs/example rejects an invalid payload with 400, before touching Redis', async (t) => {
  // requiredEnv points REDIS_URL at a port where nothing listens.
  const { app, close } = setup();
  t.after(close);
  const response = await app.inject({ method: 'POST', url: '/jobs/example', payload: { delayMs: 'soon' } });
  assert.equal(response.statusCode, 400);
  assert.match(response.json().message, /^The payload of job "example" is invalid: delayMs:/);
});

test('POST /jobs/example answers 503 at once while Redis is unreachable', async (t) => {
  const { app, close } = setup();
  t.after(close);
  const response = await app.inject({ method: 'POST', url: '/jobs/example', payload: {} });
  assert.equal(response.statusCode, 503);
});

test('GET /readyz answers 503 when Redis does not answer', async (t) => {
  // Every other service as reachable as the environment makes it, so that only Redis fails the probe.
  const { REDIS_URL: _redis, ...others } = reachableServices();
  const { app, close } = setup(others);
  t.after(close);
  assert.equal((await app.inject('/readyz')).statusCode, 503);
});

const { url: REDIS_URL, skip } = await testService('TEST_REDIS_URL', 'start Redis (docker compose up -d redis, or your own redis-server) and point the variable at it');

test(
  'POST /jobs/example enqueues the job and answers 202 with its id',
  { skip },
  async (t) => {
    const { app, services, close } = setup({ REDIS_URL });
    t.after(close);
    const response = await app.inject({ method: 'POST', url: '/jobs/example', payload: { delayMs: 5 } });
    assert.equal(response.statusCode, 202);
    const { id } = response.json();
    assert.match(id, /^\d+$/);

    const queue = new Queue(QUEUE_NAME, { connection: services.redis });
    t.after(() => queue.close());
    const job = await queue.getJob(id);
    assert.equal(job?.name, 'example');
    assert.deepEqual(job?.data, { delayMs: 5 });
    // A worker may be running against the same database; otherwise the job must not linger.
    await job?.remove().catch(() => {});
  },
);
