import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/**
 * JSON, one event per line, on stdout: routing and storing logs is the platform's job. An admin
 * command whose stdout is its result (npm run enqueue prints a job id) logs to stderr (fd 2) instead.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, fd: 1 | 2 = 1): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Log pipelines filter on "level":"error" more readily than on pino's numbers.
      formatters: { level: (label) => ({ level: label }) },
    },
    // Synchronous: an event written right before process.exit() is never lost in a buffer.
    pino.destination({ dest: fd, sync: true }),
  );
}
