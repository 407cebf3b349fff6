import type { Logger } from '../logger.ts';
import type { JobName, Jobs } from '../queue.ts';
import type { Services } from '../services.ts';

/** What every processor gets besides its payload. */
export interface JobContext {
  /**
   * Aborted when the worker shuts down and this job has not finished within SHUTDOWN_TIMEOUT_MS.
   * Pass it on to everything that waits (fetch, timers, database queries) and let the abort error
   * propagate: the worker then hands the job back to the queue, and another worker starts it again
   * from the beginning. So a job must be safe to run again: make its effects idempotent.
   */
  signal: AbortSignal;
  /** The worker's logger, with the job's id on every event. */
  logger: Logger;
  /** The worker's backing-service clients (`services.db`, `services.storage`, …), shared by its jobs. */
  services: Services;
}

export type Processor<Name extends JobName> = (payload: Jobs[Name], context: JobContext) => Promise<unknown>;
