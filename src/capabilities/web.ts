import { millisecondsVar } from '../model/config-vars.ts';
import type { Contribution } from '../model/types.ts';
import { pinned } from '../model/versions.ts';
import { probes } from './probes.ts';

/**
 * What every kind with a `web` process shares (the API and the client's server): the process that
 * binds `PORT`, answers the probes and drains on SIGTERM, and the Fastify app, server and shutdown
 * modules in `templates/web/`. Each kind says its own default port, so an API and its client can run
 * side by side in development with no `.env` at all.
 */
export function webProcess(defaultPort: number): Contribution {
  return {
    dependencies: pinned('fastify'),
    scripts: [
      {
        name: 'start',
        command: 'node --env-file-if-exists=.env dist/server.js',
        description:
          'Run the compiled web process, as the Procfile does, with `.env` loaded (real environment variables win).',
      },
    ],
    processes: [
      {
        name: 'web',
        command: 'node dist/server.js',
        description: 'Serves HTTP on `PORT`; drains on SIGTERM.',
        health: { variable: 'PORT', port: defaultPort },
        // src/shutdown.ts: SHUTDOWN_TIMEOUT_MS counts from the signal and includes SHUTDOWN_DELAY_MS.
        shutdown: { timeoutVariable: 'SHUTDOWN_TIMEOUT_MS', afterTimeoutMs: 0, delayVariable: 'SHUTDOWN_DELAY_MS' },
      },
    ],
    config: [
      ...probes.config!,
      {
        name: 'PORT',
        description: 'TCP port the web process listens on.',
        example: String(defaultPort),
        default: String(defaultPort),
        secret: false,
        schema: 'integer(1, 65_535)',
        type: 'number',
        error: 'must be an integer between 1 and 65535',
        invalid: '70000',
      },
      millisecondsVar(
        'REQUEST_TIMEOUT_MS',
        'Longest a request may take, from its first byte to the response (ms): 408 while it is still arriving, 503 once routed; 0 for no limit. Keep it within SHUTDOWN_TIMEOUT_MS minus SHUTDOWN_DELAY_MS, so draining never cuts a request short.',
        5000,
        '5s',
      ),
      millisecondsVar(
        'SHUTDOWN_DELAY_MS',
        'After SIGTERM, keep serving this long with /readyz at 503 so the load balancer stops routing first (a few seconds on Kubernetes).',
        0,
        '-1',
      ),
    ],
    templateDirs: [...probes.templateDirs!, 'web'],
    entryPoints: ['server'],
    ownership: [
      { path: 'src/routes/index.ts', owner: 'yours', what: 'your routes; register your route modules here' },
      { path: 'src/app.ts', owner: 'rendered', what: 'the Fastify app: probes, request log, error handler' },
    ],
    readme: (
      model,
    ) => `The web process answers \`GET ${model.facts.liveness}\` (liveness: 200 while the process is up) and \`GET ${model.facts.readiness}\` (readiness:
${model.clients.length > 0 ? `200 only while its backing services (${model.clients.map((client) => client.name).join(', ')}) answer, ` : '200 until '}503 once shutdown has begun).

On SIGTERM or SIGINT it turns \`${model.facts.readiness}\` to 503 at once, keeps serving for \`SHUTDOWN_DELAY_MS\` so a load
balancer can stop routing to it, stops accepting connections, answers requests already on open connections
with \`Connection: close\`, lets in-flight requests finish, closes its connections to backing services, logs
\`shutdown complete\` and exits 0. If that takes longer than \`SHUTDOWN_TIMEOUT_MS\` it exits 1. A second
signal does not cut the drain short.

No request runs longer than \`REQUEST_TIMEOUT_MS\` (default 5000): one still arriving is answered 408 and
its connection closed, a route still working is answered 503 and its \`request.signal\` aborted (pass it on
to \`fetch\` and the like, so the work stops too). Keep it within \`SHUTDOWN_TIMEOUT_MS\` minus
\`SHUTDOWN_DELAY_MS\`, so draining never cuts short a request the timeout would let finish.
`,
  };
}
