import type { AppSpec, Contribution } from '../model/types.ts';
import { pinned } from '../model/versions.ts';
import { probes } from './probes.ts';

export const DEFAULT_HEALTH_PORT = 3001;

/** The default `graceMs` of templates/worker/src/worker-shutdown.ts: handing jobs back after the deadline. */
export const WORKER_HAND_BACK_MS = 2_000;

/** A `worker` process type: BullMQ jobs from Redis, probes on `HEALTH_PORT`, jobs handed back on SIGTERM. */
export function worker(spec: AppSpec): Contribution {
  return {
    dependencies: { ...pinned('bullmq'), ...probes.dependencies },
    scripts: [
      {
        // `start` of a worker app; next to an API's web process, `start:worker`.
        name: spec.kind === 'worker' ? 'start' : 'start:worker',
        command: 'node --env-file-if-exists=.env dist/worker.js',
        description: 'Run the compiled worker, as the Procfile does, with `.env` loaded (real environment variables win).',
      },
      {
        name: 'dev:worker',
        command: 'node --env-file-if-exists=.env --watch src/worker.ts',
        description: 'Run the worker from the TypeScript sources, restarting on change, with `.env` loaded.',
      },
      {
        name: 'enqueue',
        command: 'node --env-file-if-exists=.env src/enqueue.ts',
        description: 'Enqueue a job and print its id: `npm run enqueue -- example \'{"delayMs":100}\'` (an admin process).',
      },
    ],
    processes: [
      {
        name: 'worker',
        command: 'node dist/worker.js',
        description: 'Runs queued jobs; on SIGTERM finishes them or hands them back to the queue.',
        health: { variable: 'HEALTH_PORT', port: DEFAULT_HEALTH_PORT },
        // src/worker-shutdown.ts: jobs still running at the deadline are handed back within its graceMs.
        shutdown: { timeoutVariable: 'SHUTDOWN_TIMEOUT_MS', afterTimeoutMs: WORKER_HAND_BACK_MS },
      },
    ],
    config: [
      ...probes.config!,
      {
        name: 'WORKER_CONCURRENCY',
        description: 'How many jobs one worker process runs at once.',
        example: '1',
        default: '1',
        secret: false,
        schema: 'integer(1)',
        type: 'number',
        error: 'must be an integer of at least 1',
        invalid: '0',
      },
      {
        name: 'HEALTH_PORT',
        description: 'TCP port where the worker answers /healthz and /readyz (it serves no other traffic).',
        example: String(DEFAULT_HEALTH_PORT),
        default: String(DEFAULT_HEALTH_PORT),
        secret: false,
        schema: 'integer(1, 65_535)',
        type: 'number',
        error: 'must be an integer between 1 and 65535',
        invalid: '70000',
      },
    ],
    // Routes that enqueue jobs exist only where there is an API to hold them.
    templateDirs: [...probes.templateDirs!, 'worker', ...(spec.kind === 'api' ? ['worker-api'] : [])],
  };
}
