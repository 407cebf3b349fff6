import { once } from 'node:events';
import type { Server } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from './logger.ts';
import { currentRelease } from './release-info.ts';
import { RepeatedFailures, failureKey } from './failures.ts';
import { checkServices, type Services } from './services.ts';

/** Process-wide state shared with the shutdown logic: from the first signal on, /readyz answers 503. */
export interface ProcessState {
  shuttingDown: boolean;
}

// A backing service that takes longer than this to answer cannot serve real traffic either.
const READY_TIMEOUT_MS = 1_000;

const failures = new RepeatedFailures();

/**
 * Settles by the deadline whatever the check does: a client that ignores its abort signal (a database
 * that hangs rather than refuses, a connection waiting in a pool) must not hold the probe open, or the
 * platform's own probe timeout decides instead of us, and a slow answer may still be a 200.
 */
async function withDeadline(check: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  // The check may still settle after the deadline: nobody waits for it then, so its rejection is handled here.
  check.catch(() => {});
  try {
    await Promise.race([check, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export const health: FastifyPluginAsync<{ services: Services; state: ProcessState }> = async (app, { services, state }) => {
  // Liveness: only says the process can answer. It stays 200 while draining, otherwise the
  // platform would kill a process that is finishing its in-flight requests.
  app.get('/healthz', async () => ({ status: 'ok' }));

  // Readiness: whether to send us traffic. 503 as soon as shutdown begins, so the load balancer
  // stops routing here while we drain, and 503 while a backing service does not answer. The web
  // process serves these on PORT, the worker on HEALTH_PORT.
  app.get('/readyz', async (request, reply) => {
    if (state.shuttingDown) return reply.code(503).send({ status: 'shutting down' });
    try {
      await withDeadline(checkServices(services, AbortSignal.timeout(READY_TIMEOUT_MS)), READY_TIMEOUT_MS);
      return { status: 'ok' };
    } catch (err) {
      // Probes come every few seconds for as long as a service is away: one event per interval, with a count.
      const { log, repeated } = failures.occurred(`readyz ${failureKey(err)}`);
      if (log) request.log.warn({ err, ...(repeated > 0 ? { repeated } : {}) }, 'readiness check failed');
      return reply.code(503).send({ status: 'backing service unavailable' });
    }
  });
};

/**
 * Listens on the node server directly rather than with `app.listen()`, which would log lines of its
 * own, and logs one `listening` event with the address and the release (dist/release.json: which
 * commit this process runs) once connections are accepted.
 */
export async function listen(app: { ready(): PromiseLike<unknown>; server: Server }, options: { host: string; port: number }, logger: Logger): Promise<void> {
  await app.ready();
  app.server.listen(options);
  await once(app.server, 'listening');
  logger.info({ address: app.server.address(), release: currentRelease() }, 'listening');
}
