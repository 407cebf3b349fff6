import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { fastify, LogController } from 'fastify';
import { health, listen } from './health.ts';
import { processors, type JobContext } from './jobs/index.ts';
import { isJobName, logBullmqError, parsePayload, QUEUE_NAME, type JobName, type Jobs } from './queue.ts';
import { closeRedis, createRedis, redisError } from './redis.ts';
import { boot } from './process.ts';
import { flushReports, reportError } from './report.ts';
import { checkServiceVersions, closeServices, createServices } from './services.ts';
import { createWorkerShutdown } from './worker-shutdown.ts';

// Buffered logs: events per job; every exit goes through exitAfterLogs().
const { config, logger } = await boot({ bufferedLogs: true });
const services = createServices(config, logger);
const state = { shuttingDown: false };

// The worker's own connection, with the opposite policy to services.redis: a command waits through
// a Redis outage and runs once Redis is back (maxRetriesPerRequest: null, offline queue on), so
// moving a finished job to completed is delayed, not lost. BullMQ also requires null here for the
// blocking connection it derives from this one.
const connection = createRedis(config.REDIS_URL, logger, 'worker', {
  maxRetriesPerRequest: null,
  enableOfflineQueue: true,
});

// What happens to a job whose worker dies (SIGKILL, OOM, crash): its lock stops being renewed and
// expires, a stalled-job check (run by any live worker) finds it active without a lock and puts it
// back to waiting, and another worker starts it again.
// - lockDuration 10 s, renewed every 5 s: a live process loses a lock only if its event loop is
//   blocked for more than about 5 s. It bounds the recovery time after a kill: at most lockDuration +
//   2 × stalledInterval = 20 s (BullMQ's defaults, 30 s and 30 s, mean up to 90 s).
// - stalledInterval 5 s: one short Lua script per interval for the whole queue, not per worker
//   (BullMQ lets only one worker run each check).
// - maxStalledCount 5: BullMQ's default of 1 fails a job for good at its second stall, yet a kill
//   stalls every job of that worker, including the ones that had nothing to do with it, and a few
//   deploys that each hit the kill timeout in a row are enough. 5 survives that; a job that itself
//   crashes its worker every time is still failed after 6 crashes. Stalls are not attempts:
//   `attempts` counts only errors thrown by the job.
const STALL_SETTINGS = { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 5 };

// The abort reason that tells processJob to hand its job back rather than let it fail.
const HAND_BACK = 'worker shutting down';

const worker = new Worker<Jobs[JobName], unknown, JobName>(QUEUE_NAME, processJob, {
  connection,
  concurrency: config.WORKER_CONCURRENCY,
  ...STALL_SETTINGS,
});

// Jobs this process is running: on SIGTERM with none, there is nothing to wait for or hand back.
let active = 0;

// Three declared parameters, none with a default value: BullMQ creates the AbortSignal only for a
// processor whose `length` is at least 3.
async function processJob(job: Job<Jobs[JobName], unknown, JobName>, token?: string, signal?: AbortSignal) {
  // Not retried: neither problem goes away by trying again.
  if (!isJobName(job.name)) throw new UnrecoverableError(`No processor for job "${job.name}".`);
  const payload = parsePayload(job.name, job.data);
  if (!payload.ok) throw new UnrecoverableError(payload.problem);
  if (signal === undefined) throw new Error('BullMQ passed no AbortSignal to the processor');

  active += 1;
  try {
    return await run(job.name, payload.value, { signal, logger: logger.child({ jobId: job.id }), services });
  } catch (err) {
    if (signal.reason !== HAND_BACK) throw err;
    // BullMQ's documented way to give a job up without spending an attempt: move it back to waiting
    // (at the head of the list) under our lock token, then throw WaitingError so that BullMQ neither
    // completes nor fails it.
    try {
      await job.moveToWait(token);
      logger.info({ jobId: job.id, job: job.name }, 'job handed back');
    } catch (moveErr) {
      // Still active under our lock: the stalled-job check recovers it once the lock has expired.
      logger.error({ jobId: job.id, err: redisError(moveErr) }, 'job hand-back failed');
    }
    throw new WaitingError();
  } finally {
    active -= 1;
  }
}

function run<Name extends JobName>(name: Name, payload: Jobs[Name], context: JobContext): Promise<unknown> {
  return processors[name](payload, context);
}

worker.on('active', (job) => logger.info({ jobId: job.id, job: job.name }, 'job started'));
worker.on('completed', (job) => {
  const durationMs = (job.finishedOn ?? Date.now()) - (job.processedOn ?? Date.now());
  logger.info({ jobId: job.id, job: job.name, durationMs }, 'job completed');
});
worker.on('failed', (job, err) => {
  // `job` is missing when a job that stalled too often was removed at once (removeOnFail).
  // BullMQ never retries an UnrecoverableError, whatever attempts are left.
  const willRetry = job !== undefined && !(err instanceof UnrecoverableError) && job.attemptsMade < (job.opts.attempts ?? 1);
  // Reported once, when the job has failed for good: a retry that succeeds is not an incident.
  const errorReportId = willRetry ? undefined : reportError(err, { jobId: job?.id, job: job?.name });
  logger[willRetry ? 'warn' : 'error'](
    { jobId: job?.id, job: job?.name, attemptsMade: job?.attemptsMade, willRetry, err, errorReportId },
    'job failed',
  );
});
worker.on('stalled', (jobId) => logger.warn({ jobId }, 'job stalled, back to waiting'));
worker.on('error', (err) => logBullmqError(logger, err));
worker.once('ready', () => logger.info({ queue: QUEUE_NAME, concurrency: config.WORKER_CONCURRENCY }, 'worker ready'));

// The same /healthz and /readyz as the web process, on their own port: a platform probes a worker
// like any other process.
const probes = fastify({
  loggerInstance: logger,
  logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
});
probes.register(health, { services, state });

const shutdown = createWorkerShutdown({
  logger,
  state,
  timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  activeJobs: () => active,
  // Worker.close() stops fetching at once and resolves when the active jobs have settled and the
  // connections BullMQ owns are closed. Without Redis and without a job there is nothing to wait
  // for, and an unforced close would wait for a connection until the deadline; with Redis, the
  // unforced close is quick when idle and covers a job BullMQ has just started.
  drain: () => worker.close(active === 0 && connection.status !== 'ready'),
  handBack: () => worker.cancelAllJobs(HAND_BACK),
  onClose: async () => {
    await probes.close();
    await closeRedis(connection);
    await closeServices(services);
    await flushReports(1_000);
  },
});
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

await listen(probes, { host: config.HOST, port: config.HEALTH_PORT }, logger);
// In the background: a warning when a backing service runs another major than development and CI.
void checkServiceVersions(services, logger);
