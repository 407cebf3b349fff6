import { writeSync } from 'node:fs';
import { boot } from './process.ts';
import { flushReports, reportError } from './report.ts';
import { closeServices, createServices } from './services.ts';
import { tasks } from './tasks/index.ts';

/**
 * One scheduled task as a one-off process: `node dist/task.js <name>` (the CronJob's and the Procfile's
 * command), `npm run task -- <name>` in development. Exit 0: done. Exit 1: it failed (one `task failed`
 * event, reported), or it was unknown. SIGTERM or SIGINT: the task's signal aborts, it stops at its next
 * safe point and the process exits 128 + the signal's number (143 for SIGTERM).
 */
const name = process.argv[2];
const task = name !== undefined && Object.hasOwn(tasks, name) ? tasks[name] : undefined;
if (task === undefined) {
  const known = Object.keys(tasks).join(', ') || 'none yet';
  writeSync(2, `${name === undefined ? 'Name the task to run' : `Unknown task "${name}"`}: one of ${known}.\n`);
  process.exit(1);
}

const { config, logger: root } = await boot();
const logger = root.child({ task: name });
const services = createServices(config, root);
const controller = new AbortController();
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
let stoppedBy: string | undefined;

function stop(signal: NodeJS.Signals): void {
  if (stoppedBy !== undefined) {
    logger.warn({ signal }, 'task already stopping, signal ignored');
    return;
  }
  stoppedBy = signal;
  logger.warn({ signal, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'task stopping');
  controller.abort(new Error(`stopped by ${signal}`));
  // A task that reaches no safe point in time is cut off, as the platform would.
  setTimeout(() => {
    logger.error({ signal, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'task did not stop in time');
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

const started = performance.now();
const durationMs = () => Math.round(performance.now() - started);
let exitCode = 0;
logger.info('task started');
try {
  await task({ config, logger, services, signal: controller.signal });
  if (stoppedBy !== undefined) {
    exitCode = SIGNAL_EXIT[stoppedBy] ?? 1;
    logger.warn({ signal: stoppedBy, durationMs: durationMs() }, 'task stopped');
  } else logger.info({ durationMs: durationMs() }, 'task done');
} catch (err) {
  if (stoppedBy !== undefined) {
    exitCode = SIGNAL_EXIT[stoppedBy] ?? 1;
    logger.warn({ signal: stoppedBy, durationMs: durationMs() }, 'task stopped');
  } else {
    exitCode = 1;
    const errorReportId = reportError(err, { task: name });
    logger.error({ err, errorReportId, durationMs: durationMs() }, 'task failed');
  }
}
try {
  await closeServices(services);
} catch (err) {
  logger.warn({ err }, 'closing the services failed');
}
await flushReports(2_000);
process.exit(exitCode);
