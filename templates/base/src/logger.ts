import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/** JSON, one event per line, on stdout: routing and storing logs is the platform's job. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Log pipelines filter on "level":"error" more readily than on pino's numbers.
      formatters: { level: (label) => ({ level: label }) },
    },
    // Synchronous: an event written right before process.exit() is never lost in a buffer.
    pino.destination({ dest: 1, sync: true }),
  );
}
