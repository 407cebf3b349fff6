import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Services } from '../services.ts';

/** What every task gets: the app's config, a logger with the task's name on every event, its services. */
export interface TaskContext {
  config: Config;
  logger: Logger;
  services: Services;
  /**
   * Aborted on SIGTERM (a deploy, the CronJob's deadline, Ctrl-C): pass it on to everything that waits
   * (fetch, timers, queries) and check it between steps with `signal.throwIfAborted()`.
   */
  signal: AbortSignal;
}

export type Task = (context: TaskContext) => Promise<void>;
