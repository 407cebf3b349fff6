import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

export interface LoggerOptions {
  /** stdout (1) by default; an admin command whose stdout is its result (npm run enqueue prints a job id) logs to stderr (2). */
  fd?: 1 | 2;
  /**
   * Buffered: events are written in the background, several lines per write, for the processes that log
   * one event per request or job (the web process, the worker); they must end through exitAfterLogs().
   * Otherwise every event is on stdout before the next statement runs, which one-off processes rely on.
   */
  buffered?: boolean;
}

/** JSON, one event per line, on stdout: routing and storing logs is the platform's job. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, { fd = 1, buffered = false }: LoggerOptions = {}): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Log pipelines filter on "level":"error" more readily than on pino's numbers.
      formatters: { level: (label) => ({ level: label }) },
    },
    buffered
      ? // minLength 1, not 0: with 0, logger.flush(callback) calls back at once even while a write is
        // still in flight, and exitAfterLogs() could then cut off the last lines.
        pino.destination({ dest: fd, sync: false, minLength: 1 })
      : pino.destination({ dest: fd, sync: true }),
  );
}

/** How long an exit waits for stdout to take the last lines: a reader that has stopped must not hold the process. */
const LOG_FLUSH_MS = 1_000;

/**
 * Ends the process once every event logged so far has been written. A buffered logger may have a write in
 * flight, and process.exit() at that moment loses or reorders the last lines: pino's own flush on exit
 * writes only what is queued behind that write.
 */
export function exitAfterLogs(logger: Logger, code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), LOG_FLUSH_MS).unref();
  logger.flush(() => process.exit(code));
}
