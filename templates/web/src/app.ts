import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { fastify, LogController, type FastifyError } from 'fastify';
import type { Config } from './config.ts';
import { RepeatedFailures, failureKey } from './failures.ts';
import { health, type ProcessState } from './health.ts';
import type { Logger } from './logger.ts';
import { reportError } from './report.ts';
import { routes } from './routes/index.ts';
import type { Services } from './services.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  services: Services;
  state: ProcessState;
}

const PROBE_ROUTES = new Set(['/healthz', '/readyz']);

const failures = new RepeatedFailures();

// An id from upstream (load balancer, another service) ties our events to theirs, but only if it
// cannot smuggle anything odd into log lines or response headers.
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The app without a listening socket: the entry point owns the server, tests use `app.inject`. */
export function buildApp({ config, logger, services, state }: AppDeps) {
  const app = fastify({
    // REQUEST_TIMEOUT_MS twice: Node's requestTimeout answers 408 to a client that takes too long to send
    // its request (checked every second, not Node's default 30 s), and Fastify's handlerTimeout answers
    // 503 to a route that takes too long, aborting `request.signal` for the work it started.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    handlerTimeout: config.REQUEST_TIMEOUT_MS,
    http: { connectionsCheckingInterval: 1_000 },
    loggerInstance: logger,
    // Fastify would log two events per request; the onResponse hook below writes one.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: (req) => {
      const id = req.headers['x-request-id'];
      return typeof id === 'string' && SANE_REQUEST_ID.test(id) ? id : randomUUID();
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    // Probes arrive every few seconds from every checker; they would drown the useful events.
    if (!config.LOG_HEALTH_PROBES && route !== undefined && PROBE_ROUTES.has(route)) return;
    request.log.info(
      {
        method: request.method,
        route,
        statusCode: reply.statusCode,
        responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request completed',
    );
  });

  app.setErrorHandler<FastifyError>((error, request, reply) => {
    const statusCode = error.statusCode ?? 500;
    if (statusCode < 500) {
      return reply.code(statusCode).send({ statusCode, error: STATUS_CODES[statusCode], message: error.message });
    }
    // Details stay in the log (and the error report): an internal message can reveal queries, hosts or data.
    // During an outage every request fails alike: one report per run of failures, one event per interval.
    const route = request.routeOptions.url;
    const { log, report, repeated } = failures.occurred(`${request.method} ${route} ${failureKey(error)}`);
    const errorReportId = report
      ? reportError(error, { requestId: request.id, method: request.method, route, status: String(statusCode) })
      : undefined;
    if (log) request.log.error({ err: error, errorReportId, ...(repeated > 0 ? { repeated } : {}) }, 'request failed');
    return reply.code(statusCode).send({ statusCode, error: STATUS_CODES[statusCode] });
  });

  app.register(health, { services, state });
  app.register(routes, { config, services });
  return app;
}
