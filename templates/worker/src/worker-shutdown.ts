import type { Logger } from './logger.ts';
import { onFirstSignal } from './process.ts';

export interface WorkerShutdownOptions {
  logger: Logger;
  /** Shared with /readyz, which answers 503 from the moment shutdown begins. */
  state: { shuttingDown: boolean };
  /** How long the active jobs may take to finish, counted from the signal. */
  timeoutMs: number;
  /** How many jobs this process is running now: at the deadline, those are handed back. */
  activeJobs: () => number;
  /** Stops taking jobs at once and resolves when no job is active any more. */
  drain: () => Promise<void>;
  /** Tells every job still active at the deadline to stop and hand itself back to the queue. */
  handBack: () => void;
  /** Releases everything else (health listener, clients) once the jobs are settled. */
  onClose: () => Promise<void>;
  /** After the deadline, how long handing back and closing may take before giving up with exit 1. */
  graceMs?: number;
  exit?: (code: number) => void;
}

/**
 * The worker's answer to SIGTERM/SIGINT. Jobs that finish within `timeoutMs` complete normally; the
 * others are handed back to the queue as waiting, so a deploy loses no job and does not spend one of
 * its attempts. Exit 0 in both cases: handing back is a normal outcome. Exit 1 only when that cannot be
 * done in time either (Redis away, a job that ignores its signal): such a job stays active until its
 * lock expires, and then another worker's stalled-job check puts it back in the queue.
 * Returns the signal handler.
 */
export function createWorkerShutdown({
  logger,
  state,
  timeoutMs,
  activeJobs,
  drain,
  handBack,
  onClose,
  graceMs = 2_000,
  exit = (code) => process.exit(code),
}: WorkerShutdownOptions): (signal: string) => void {
  return onFirstSignal(logger, state, { timeoutMs }, () => {
    let over = false;
    const deadline = setTimeout(() => {
      const count = activeJobs();
      if (count === 0) return;
      logger.warn({ jobs: count }, `shutdown deadline reached, handing ${count} ${count === 1 ? 'job' : 'jobs'} back to the queue`);
      handBack();
    }, timeoutMs);
    const giveUp = setTimeout(() => {
      over = true;
      logger.error('shutdown timed out');
      exit(1);
    }, timeoutMs + graceMs);

    void (async () => {
      let code = 0;
      try {
        await drain();
        await onClose();
      } catch (err) {
        logger.error({ err }, 'shutdown failed');
        code = 1;
      }
      clearTimeout(deadline);
      clearTimeout(giveUp);
      if (over) return;
      if (code === 0) logger.info('shutdown complete');
      exit(code);
    })();
  });
}
