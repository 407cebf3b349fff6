import type { AppSpec, Contribution } from '../model/types.ts';
import { pinned } from '../model/versions.ts';
import { probes } from './probes.ts';

export const DEFAULT_PORT = 3000;

/** The HTTP API kind: a `web` process type that binds `PORT` and drains on SIGTERM. */
export function api(_spec: AppSpec): Contribution {
  return {
    dependencies: pinned('fastify'),
    scripts: [
      { name: 'start', command: 'node dist/server.js', description: 'Run the compiled web process, as the Procfile does.' },
      {
        name: 'dev',
        command: 'node --env-file-if-exists=.env --watch src/server.ts',
        description: 'Run the web process from the TypeScript sources, restarting on change, with `.env` loaded.',
      },
    ],
    processes: [
      {
        name: 'web',
        command: 'node dist/server.js',
        description: 'Serves HTTP on `PORT`; drains on SIGTERM.',
        health: { variable: 'PORT', port: DEFAULT_PORT },
        // src/shutdown.ts: SHUTDOWN_TIMEOUT_MS counts from the signal and includes SHUTDOWN_DELAY_MS.
        shutdown: { timeoutVariable: 'SHUTDOWN_TIMEOUT_MS', afterTimeoutMs: 0, delayVariable: 'SHUTDOWN_DELAY_MS' },
      },
    ],
    config: [
      ...probes.config!,
      {
        name: 'PORT',
        description: 'TCP port the web process listens on.',
        example: String(DEFAULT_PORT),
        default: String(DEFAULT_PORT),
        secret: false,
        schema: 'integer(1, 65_535)',
        type: 'number',
        error: 'must be an integer between 1 and 65535',
        invalid: '70000',
      },
      {
        name: 'SHUTDOWN_DELAY_MS',
        description:
          'After SIGTERM, keep serving this long with /readyz at 503 so the load balancer stops routing first (a few seconds on Kubernetes).',
        example: '0',
        default: '0',
        secret: false,
        schema: 'integer(0, 2_147_483_647)',
        type: 'number',
        error: 'must be an integer between 0 and 2147483647',
        invalid: '-1',
      },
    ],
    templateDirs: [...probes.templateDirs!, 'api'],
  };
}
