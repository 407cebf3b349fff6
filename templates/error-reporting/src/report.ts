import { secretValues, type Config } from './config.ts';
import type { Logger } from './logger.ts';
import { currentRelease } from './release-info.ts';
import { scrubEvent } from './scrub.ts';

// The process reports its own crashes (src/process.ts) so that the log line and the report carry the
// same id and the report is sent before the exit; Sentry's handlers would exit on their own terms.
// LocalVariables would copy the values of local variables, config among them, into reports.
const REPLACED_INTEGRATIONS = new Set(['OnUncaughtException', 'OnUnhandledRejection', 'LocalVariables']);

type SentrySdk = typeof import('@sentry/node-core/light');

/** The SDK once initialised; loaded only when there is a DSN, so that a process without one starts faster. */
let Sentry: SentrySdk | undefined;

/**
 * Sends unhandled errors to Sentry when SENTRY_DSN is set; without it nothing is sent, and one event
 * says so, so that a missing DSN is visible in the logs rather than discovered after an incident.
 */
export async function initReporting(config: Config, logger: Logger): Promise<void> {
  if (config.SENTRY_DSN === '') {
    logger.info('error reporting off: SENTRY_DSN is not set');
    return;
  }
  const sdk = await import('@sentry/node-core/light');
  const secrets = secretValues(config);
  const release = currentRelease();
  sdk.init({
    dsn: config.SENTRY_DSN,
    environment: config.SENTRY_ENVIRONMENT,
    ...(release === undefined ? {} : { release }),
    // No IP addresses, cookies or user data unless the code adds them on purpose.
    sendDefaultPii: false,
    // The envelope's media type: Sentry does without it, other receivers of its protocol (Spotlight) need it.
    transportOptions: { headers: { 'content-type': 'application/x-sentry-envelope' } },
    integrations: (defaults) => defaults.filter((integration) => !REPLACED_INTEGRATIONS.has(integration.name)),
    beforeSend: (event) => scrubEvent(withoutRequestData(event), secrets),
    beforeSendTransaction: (event) => scrubEvent(event, secrets),
    beforeBreadcrumb: (breadcrumb) => scrubEvent(breadcrumb, secrets),
  });
  Sentry = sdk;
  logger.info({ environment: config.SENTRY_ENVIRONMENT, release }, 'error reporting on');
}

/**
 * A request's body, query string, headers and cookies never leave the process: what the SDK records of
 * a request is replaced by its method; the route, status and request id travel as tags.
 */
function withoutRequestData<T extends { request?: { method?: string } }>(event: T): T {
  if (event.request === undefined) return event;
  const { method } = event.request;
  return { ...event, request: method === undefined ? {} : { method } };
}

/** Reports an error with tags to join it with the log lines (requestId, jobId); returns the report's id. */
export function reportError(err: unknown, tags: Record<string, string | undefined>): string | undefined {
  if (Sentry === undefined) return undefined;
  const defined = Object.fromEntries(Object.entries(tags).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return Sentry.captureException(err, { tags: defined });
}

/** Sends what is still queued, waiting at most `timeoutMs`; before a process exits. */
export async function flushReports(timeoutMs: number): Promise<void> {
  await Sentry?.flush(timeoutMs);
}
