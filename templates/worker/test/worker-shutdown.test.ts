import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { createWorkerShutdown, type WorkerShutdownOptions } from '../src/worker-shutdown.ts';

/**
 * A shutdown whose jobs finish when `finishJobs` is called, or once handed back if `settleOnHandBack`
 * (as the worker's jobs do); records every decision it makes.
 */
function start(options: Partial<WorkerShutdownOptions> = {}, settleOnHandBack = false, activeJobs = 1) {
  const events: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => events.push(JSON.parse(line).msg) });
  const state = { shuttingDown: false };
  const jobs = Promise.withResolvers<void>();
  const exit = Promise.withResolvers<number>();
  let handedBack = 0;
  const shutdown = createWorkerShutdown({
    logger,
    state,
    timeoutMs: 200,
    graceMs: 200,
    activeJobs: () => activeJobs,
    drain: () => {
      events.push('drain');
      return jobs.promise;
    },
    handBack: () => {
      handedBack += 1;
      events.push('hand back');
      if (settleOnHandBack) setImmediate(jobs.resolve);
    },
    onClose: async () => {
      events.push('close');
    },
    exit: exit.resolve,
    ...options,
  });
  return { shutdown, state, events, exited: exit.promise, finishJobs: jobs.resolve, handedBack: () => handedBack };
}

test('stops taking jobs and turns readiness off at once; jobs that finish in time complete, exit 0', async () => {
  const { shutdown, state, events, exited, finishJobs, handedBack } = start();
  const started = performance.now();
  shutdown('SIGTERM');
  assert.equal(state.shuttingDown, true);
  assert.deepEqual(events, ['shutdown started', 'drain']);
  shutdown('SIGTERM'); // repeated signals change nothing
  await sleep(50);
  finishJobs();
  assert.equal(await exited, 0);
  assert.ok(performance.now() - started < 150, 'no reason to wait for the deadline');
  assert.equal(handedBack(), 0);
  assert.deepEqual(events, ['shutdown started', 'drain', 'shutdown already in progress, signal ignored', 'close', 'shutdown complete']);
});

test('hands the active jobs back at the deadline, not before, then exits 0', async () => {
  const { shutdown, events, exited, handedBack } = start({}, true);
  const started = performance.now();
  shutdown('SIGINT');
  await sleep(150);
  assert.ok(!events.includes('hand back'), 'jobs keep running until the deadline');
  assert.equal(await exited, 0);
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 195 && elapsed < 350, `exited after ${elapsed} ms`);
  assert.equal(handedBack(), 1);
  assert.deepEqual(events, [
    'shutdown started',
    'drain',
    'shutdown deadline reached, handing 1 job back to the queue',
    'hand back',
    'close',
    'shutdown complete',
  ]);
});

test('gives up with exit 1 when the jobs do not settle within the grace period after the deadline', async () => {
  const { shutdown, events, exited } = start();
  const started = performance.now();
  shutdown('SIGTERM');
  assert.equal(await exited, 1);
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 395 && elapsed < 600, `exited after ${elapsed} ms`);
  assert.equal(events.at(-1), 'shutdown timed out');
  assert.ok(!events.includes('shutdown complete'));
});

test('exits 1 when closing fails', async () => {
  const { shutdown, events, exited, finishJobs } = start({
    onClose: async () => {
      throw new Error('redis quit failed');
    },
  });
  shutdown('SIGTERM');
  finishJobs();
  assert.equal(await exited, 1);
  assert.equal(events.at(-1), 'shutdown failed');
});

test('with no active job at the deadline nothing is handed back and nothing says so', async () => {
  const { shutdown, events, exited, finishJobs, handedBack } = start({}, false, 0);
  shutdown('SIGTERM');
  await sleep(300);
  finishJobs();
  assert.equal(await exited, 0);
  assert.equal(handedBack(), 0);
  assert.deepEqual(events, ['shutdown started', 'drain', 'close', 'shutdown complete']);
});
