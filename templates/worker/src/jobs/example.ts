import { setTimeout } from 'node:timers/promises';
import type { Jobs } from '../queue.ts';
import type { JobContext } from './context.ts';

/**
 * The example job: replace it with your own work (send an email, resize an image, call a slow API).
 * It only waits `delayMs` milliseconds, which stands in for slow work, and shows the one thing every
 * job must do: hand its signal to whatever it waits on, so a shutdown can interrupt it.
 */
export async function example({ delayMs = 0 }: Jobs['example'], { signal, logger }: JobContext): Promise<void> {
  // Rejects with an AbortError as soon as the signal aborts: the worker then hands the job back. No
  // timer for 0 ms: even setTimeout(0) waits a millisecond, which would cap the worker at ~1,000 jobs/s.
  if (delayMs > 0) await setTimeout(delayMs, undefined, { signal });
  else signal.throwIfAborted();
  logger.debug({ delayMs }, 'example job waited');
}
