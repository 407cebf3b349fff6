import { once } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import type { BaseLogger } from 'pino';

export type { Redis };

/** What these helpers log through: the app's pino logger or a Fastify instance's `app.log`. */
export type EventLogger = Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

/**
 * A client for REDIS_URL. By default it fails fast: while Redis is unreachable a command is rejected
 * at once instead of waiting in ioredis's offline queue, so an HTTP request or a readiness probe gets
 * an answer. It still reconnects by itself (ioredis backs off up to 5 s between attempts). The worker
 * asks for the opposite with its own options: see src/worker.ts.
 */
export function createRedis(url: string, logger: EventLogger, label: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, ...options });
  // ioredis emits 'error' for every failed reconnection attempt, for as long as Redis is away, and
  // prints them to stderr when nobody listens. One event when the connection is lost and one when
  // it is back tell the operator everything without flooding the log.
  let lost = false;
  client.on('error', (err: Error) => {
    if (lost) return;
    lost = true;
    logger.warn({ connection: label, err: redisError(err) }, 'redis unavailable');
  });
  client.on('ready', () => {
    if (!lost) return;
    lost = false;
    logger.info({ connection: label }, 'redis connection restored');
  });
  return client;
}

/** One wait for 'ready' per client, shared by everyone waiting (see whenReady). */
const readiness = new WeakMap<Redis, Promise<void>>();

/**
 * Resolves once the client is connected. A fail-fast client rejects commands while it is still
 * connecting, so whoever runs one soon after startup waits here first, within the signal's time.
 * Rejects at once on the client's next 'error' (a refused connection, a wrong password). Every caller
 * shares one pair of listeners on the client: readiness probes polled during an outage would otherwise
 * add two each and trip Node's MaxListenersExceededWarning.
 */
export async function whenReady(client: Redis, signal: AbortSignal): Promise<void> {
  if (client.status === 'ready') return;
  let ready = readiness.get(client);
  if (ready === undefined) {
    ready = once(client, 'ready').then(
      () => undefined,
      (err: unknown) => {
        throw redisError(err);
      },
    );
    const settled = ready.finally(() => readiness.delete(client));
    // Whoever gave up waiting (aborted) does not leave the rejection unhandled.
    settled.catch(() => {});
    readiness.set(client, ready);
  }
  await untilAborted(ready, signal);
}

/** `promise`, or the signal's reason as soon as it aborts, with no listener left behind either way. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  const { promise: aborted, reject } = Promise.withResolvers<never>();
  const onAbort = () => reject(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** QUIT lets Redis answer what is in flight first; without a connection there is nothing to wait for. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // The connection dropped while quitting: nothing is left to wait for.
    }
  }
  client.disconnect();
}

/**
 * A copy of a Redis error that is safe to log: name, message, code and stack only. ioredis attaches
 * the failed command to some errors, arguments included, and the AUTH/HELLO arguments are the
 * password from REDIS_URL.
 */
export function redisError(err: unknown): Error {
  if (!(err instanceof Error)) return new Error(String(err));
  const copy: Error & { code?: string } = new Error(err.message);
  copy.name = err.name;
  copy.stack = err.stack;
  const { code } = err as NodeJS.ErrnoException;
  if (code !== undefined) copy.code = code;
  return copy;
}

/**
 * Errors about the connection itself (refused, reset, timed out, closed). BullMQ re-emits them from
 * every connection it holds, on every reconnection attempt; the client that lost its connection has
 * already logged the outage.
 */
export function isConnectionError(err: Error): boolean {
  return (
    'syscall' in err ||
    err.message === 'Connection is closed.' ||
    err.name === 'ConnectionClosedError' ||
    err.name === 'MaxRetriesPerRequestError'
  );
}

/** Resolves when Redis answers PING within the signal's time: what /readyz asks of it. */
export async function pingRedis(redis: Redis, signal: AbortSignal): Promise<void> {
  // ioredis takes no AbortSignal: a server that accepted the connection but stopped answering would
  // otherwise hold the probe open.
  const ping = whenReady(redis, signal).then(() => redis.ping());
  ping.catch(() => {});
  try {
    await untilAborted(ping, signal);
  } catch (err) {
    throw redisError(err);
  }
}

/** The major version of the Redis server: 7 for 7.2.4, from `INFO server`, within the signal's time. */
export async function redisMajor(redis: Redis, signal: AbortSignal): Promise<number | undefined> {
  const info = whenReady(redis, signal).then(() => redis.info('server'));
  info.catch(() => {});
  try {
    return parseRedisMajor(await untilAborted(info, signal));
  } catch (err) {
    throw redisError(err);
  }
}

/** The major of `redis_version:7.2.4` in an `INFO server` answer (Valkey reports its Redis compatibility there). */
export function parseRedisMajor(info: string): number | undefined {
  const match = /^redis_version:(\d+)\./m.exec(info);
  return match ? Number(match[1]) : undefined;
}
