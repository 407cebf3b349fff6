import type { Logger } from './logger.ts';

/**
 * After an unexpected error the process state is unknown: record it once and let the process manager
 * start a fresh one. Both handlers are needed: --unhandled-rejections=warn (settable through
 * NODE_OPTIONS) would otherwise keep a process running after a rejection.
 */
export function exitOnCrash(logger: Logger): void {
  const crash = (err: unknown, msg: string) => {
    logger.fatal({ err }, msg);
    process.exit(1);
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
