import { kubernetesName } from '../../model/deploy.ts';
import type { AppSpec, Contribution } from '../../model/types.ts';
import { probes } from '../probes.ts';
import { defineCapability, type KindTraits } from '../types.ts';
import { readme } from './readme.ts';
import { dependencies } from './versions.ts';

export const DEFAULT_HEALTH_PORT = 3001;

/**
 * After the shutdown deadline, how long the worker may take to hand its jobs back and close: the
 * generated src/worker-shutdown.ts's `graceMs`, and part of the grace period of its Deployment.
 */
export const WORKER_HAND_BACK_MS = 2_000;

/**
 * The queue's name: the app's, so that two apps sharing one Redis never take each other's jobs. Apps
 * made before this keep `jobs` (saved in the spec by a migration): renaming strands waiting jobs.
 */
export function queueName(spec: AppSpec): string {
  return spec.queue ?? `${kubernetesName(spec.name)}-jobs`;
}

/** A `worker` process type: BullMQ jobs from Redis, probes on `HEALTH_PORT`, jobs handed back on SIGTERM. */
export const worker = defineCapability({
  id: 'worker',
  help: 'a worker process (BullMQ on Redis; adds redis)',
  requires: ['redis'],
  kinds: ['api', 'worker'],
  contribute,
});

function contribute(spec: AppSpec, { api }: KindTraits): Contribution {
  return {
    dependencies: { ...dependencies, ...probes.dependencies },
    scripts: [
      {
        // `start` of a worker app; next to an API's web process, `start:worker`.
        name: spec.kind === 'worker' ? 'start' : 'start:worker',
        command: 'node --env-file-if-exists=.env dist/worker.js',
        description:
          'Run the compiled worker, as the Procfile does, with `.env` loaded (real environment variables win).',
      },
      {
        name: 'dev:worker',
        command: 'node --env-file-if-exists=.env --watch src/worker.ts',
        description: 'Run the worker from the TypeScript sources, restarting on change, with `.env` loaded.',
      },
      {
        name: 'enqueue',
        command: 'node --env-file-if-exists=.env dist/enqueue.js',
        description:
          'Enqueue a job and print its id: `npm run enqueue -- example \'{"delayMs":100}\'` (an admin process; runs the build in `dist/`, as in the image).',
      },
      {
        name: 'enqueue:dev',
        command: 'node --env-file-if-exists=.env src/enqueue.ts',
        description: 'Enqueue a job from the TypeScript sources, without a build.',
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
    data: { queueName: queueName(spec), handBackMs: String(WORKER_HAND_BACK_MS) },
    // Routes that enqueue jobs exist only where there is an API to hold them.
    routes: api ? [{ plugin: 'jobs', module: './jobs.ts', options: '{ redis: services.redis }' }] : [],
    templateDirs: [...probes.templateDirs!, 'worker', ...(api ? ['worker-api'] : [])],
    entryPoints: ['worker', 'enqueue'],
    ownership: [
      { path: 'src/queue.ts', owner: 'yours', what: 'the jobs and their payloads' },
      { path: 'src/jobs/', owner: 'yours', what: 'one processor per job, listed in `src/jobs/index.ts`' },
    ],
    readme,
  };
}
