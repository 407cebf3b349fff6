import { Queue, type JobsOptions } from 'bullmq';
import { z } from 'zod';
import { isConnectionError, redisError, type EventLogger, type Redis } from './redis.ts';

// The one module that producers (the API, the enqueue script) and the worker share: the queue name,
// every job with its payload type, and the options each job gets. Adding a job is an entry in
// `Jobs` and `payloads` here and a processor in src/jobs/index.ts; TypeScript checks the rest.

/** The queue the worker consumes. Renaming it strands the jobs already waiting under the old name. */
export const QUEUE_NAME = 'jobs';

/** Job name → payload type. */
export interface Jobs {
  example: { delayMs?: number };
}

export type JobName = keyof Jobs;

// The same payloads, checked at run time: enqueue input comes from HTTP bodies and command lines, and
// the worker re-checks what it reads back, since a job may have been queued by an older release.
// Typed against `Jobs`, so the two cannot drift apart.
const payloads: { [Name in JobName]: z.ZodType<Jobs[Name]> } = {
  example: z.strictObject({ delayMs: z.int().min(0).max(3_600_000).optional() }),
};

const jobNames = Object.keys(payloads) as JobName[];

export function isJobName(name: string): name is JobName {
  // Object.hasOwn, not `in`: "constructor" or "__proto__" must not pass as job names.
  return Object.hasOwn(payloads, name);
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Checks a payload against its job's schema; the problem is one sentence that never echoes a value. */
export function parsePayload<Name extends JobName>(name: Name, data: unknown): Parsed<Jobs[Name]> {
  const result = payloads[name].safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  const [issue] = result.error.issues;
  const where = issue === undefined || issue.path.length === 0 ? 'the payload' : issue.path.join('.');
  return { ok: false, problem: `The payload of job "${name}" is invalid: ${where}: ${issue?.message ?? 'invalid'}.` };
}

/** A job to enqueue, with its name and payload checked together. */
export type JobRequest = { [Name in JobName]: { name: Name; payload: Jobs[Name] } }[JobName];

/** The arguments of `npm run enqueue -- <job> [json-payload]`; here so they are tested with the definitions. */
export function parseJobArgs(args: readonly string[]): Parsed<JobRequest> {
  const [name, json = '{}', ...extra] = args;
  if (name === undefined || extra.length > 0) {
    return { ok: false, problem: `Usage: npm run enqueue -- <job> [json-payload], where <job> is one of: ${jobNames.join(', ')}.` };
  }
  if (!isJobName(name)) {
    return { ok: false, problem: `Unknown job "${name}": the jobs are ${jobNames.join(', ')}.` };
  }
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    // JSON.parse's message quotes the input, which may hold personal data: say what to fix instead.
    return { ok: false, problem: `The payload is not valid JSON; pass one JSON object, e.g. '{"delayMs":1000}'.` };
  }
  const payload = parsePayload(name, data);
  return payload.ok ? { ok: true, value: { name, payload: payload.value } as JobRequest } : payload;
}

// Each job is tried 3 times, 1 s then 2 s apart, so a brief outage of what it talks to does not fail it
// for good. Finished jobs are kept for inspection, but bounded: BullMQ keeps every one forever by default.
const defaultJobOptions: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 60 * 60, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 60 * 60, count: 10_000 },
};

export type JobQueue = Queue<Jobs[JobName], unknown, JobName>;

/**
 * The queue as producers see it. It shares `connection` and does not close it. Give it a client that
 * fails fast (services.redis): an HTTP request that enqueues should get an error while Redis is away,
 * not hang until it is back.
 */
export function createQueue(connection: Redis, logger: EventLogger): JobQueue {
  const queue: JobQueue = new Queue(QUEUE_NAME, { connection, defaultJobOptions });
  // BullMQ re-emits its connection's errors here, and prints them to stderr when nobody listens.
  queue.on('error', (err) => logBullmqError(logger, err));
  return queue;
}

/** Adds a job and returns its id; the payload's type follows from the job's name. */
export async function enqueue<Name extends JobName>(queue: JobQueue, name: Name, payload: Jobs[Name]): Promise<string> {
  let id: string | undefined;
  try {
    ({ id } = await queue.add(name, payload));
  } catch (err) {
    // Callers log what they catch: never the command attached to a Redis error (see redisError).
    throw redisError(err);
  }
  if (id === undefined) throw new Error('BullMQ returned a job without an id');
  return id;
}

const lastLogged = new Map<string, number>();

/** For 'error' events of BullMQ objects: connection trouble is already logged once by its client. */
export function logBullmqError(logger: EventLogger, err: Error): void {
  if (isConnectionError(err)) {
    logger.debug({ err: redisError(err) }, 'queue connection error');
    return;
  }
  // Some errors come back on every reconnection attempt, for as long as the cause lasts (a wrong
  // password in REDIS_URL): the same message is logged once a minute at most.
  const now = Date.now();
  if (now - (lastLogged.get(err.message) ?? -Infinity) < 60_000) return;
  if (lastLogged.size >= 100) lastLogged.clear();
  lastLogged.set(err.message, now);
  logger.error({ err: redisError(err) }, 'queue error');
}
