import { loadConfig, type Config } from './config.ts';
import { createLogger, exitAfterLogs, type Logger } from './logger.ts';
import { flushReports, initReporting, reportError } from './report.ts';

/**
 * How every long-running process begins: the config validated (or exit 1), the logger, the crash
 * handlers and error reporting, before anything else can fail: a crash after this is reported.
 * `bufferedLogs` for a process that logs an event per request or job (see createLogger).
 */
export async function boot({ bufferedLogs = false } = {}): Promise<{ config: Config; logger: Logger }> {
  const config = loadConfig();
  const logger = createLogger(config, { buffered: bufferedLogs });
  exitOnCrash(logger);
  await initReporting(config, logger);
  return { config, logger };
}

/** How long a crashing process waits for its error report to be sent. */
const CRASH_FLUSH_MS = 2_000;

/**
 * After an unexpected error the process state is unknown: record it once and let the process manager
 * start a fresh one. Both handlers are needed: --unhandled-rejections=warn (settable through
 * NODE_OPTIONS) would otherwise keep a process running after a rejection. The error is reported (the
 * log line carries the report's id) and the report sent before the exit; a second crash meanwhile
 * changes nothing.
 */
export function exitOnCrash(logger: Logger): void {
  let crashed = false;
  const crash = (err: unknown, msg: string) => {
    if (crashed) return;
    crashed = true;
    process.exitCode = 1;
    const errorReportId = reportError(err, { crash: msg });
    logger.fatal({ err, errorReportId }, msg);
    void flushReports(CRASH_FLUSH_MS).finally(() => exitAfterLogs(logger, 1));
  };
  process.on('uncaughtException', (err) => crash(err, 'uncaught exception'));
  process.on('unhandledRejection', (reason) => crash(reason, 'unhandled rejection'));
}

/**
 * The SIGTERM/SIGINT handler of a long-running process. The first signal turns readiness off, logs
 * `shutdown started` with `details` and calls `begin`; platforms often signal more than once, and a
 * later signal is logged and ignored, since an abrupt exit would cut off the work still in progress.
 */
export function onFirstSignal(
  logger: Logger,
  state: { shuttingDown: boolean },
  details: Record<string, unknown>,
  begin: () => void,
): (signal: string) => void {
  let started = false;
  return (signal) => {
    if (started) {
      logger.warn({ signal }, 'shutdown already in progress, signal ignored');
      return;
    }
    started = true;
    state.shuttingDown = true;
    logger.info({ signal, ...details }, 'shutdown started');
    begin();
  };
}
