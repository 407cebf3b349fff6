/**
 * Every rule `check` can report, by id `<factor-id>/<rule>`: a one-line description (what the rule
 * wants) and a help text (how to fix a finding). SARIF's `tool.driver.rules`, `check --rules` and the
 * waiver validation all read this one table; a finding's own `hint` is the specific advice.
 */
export const RULE_CATALOG = {
  'codebase/version-control': {
    description: 'The app is committed to a git repository.',
    help: 'Run `git init` and commit the app; every deploy is then a commit of one codebase.',
  },
  'codebase/shared-code': {
    description: 'No code is taken from another app’s folder.',
    help: 'Publish shared code as a versioned package (or use workspaces of one repository) and depend on a version.',
  },
  'codebase/unread-files': {
    description: 'Files check could not judge fully (too large to parse, special files, links out of the repository).',
    help: 'Nothing to fix: a note of what was skipped, so a clean report is not mistaken for a full one.',
  },

  'dependencies/lockfile': {
    description: 'A lockfile is committed, so every install resolves the same versions.',
    help: 'Install once with the project’s package manager and commit the lockfile; install with its frozen mode (npm ci) in CI and images.',
  },
  'dependencies/lockfile-in-sync': {
    description: 'The lockfile matches package.json, so a frozen install accepts it.',
    help: 'Run the install again with the project’s package manager and commit the updated lockfile.',
  },
  'dependencies/exact-versions': {
    description: 'Dependencies are locked to exact versions (exact specs, or ranges a committed lockfile locks).',
    help: 'Commit the lockfile and install from it (npm ci); pin exact versions to make package.json say it too.',
  },
  'dependencies/runtime-version': {
    description: 'The Node.js version is declared, with an upper bound or an exact version.',
    help: 'Add "engines": { "node": "^24.11.0" } (or a .nvmrc with the exact version you test on).',
  },
  'dependencies/base-image': {
    description: 'Dockerfiles build from a pinned base image, not a moving tag.',
    help: 'Use a versioned tag such as node:24.11-slim (or a digest), never latest, lts or a bare name.',
  },
  'dependencies/frozen-install': {
    description: 'Images install dependencies from the lockfile (npm ci), not with npm install.',
    help: 'Use `RUN npm ci` (yarn install --immutable, pnpm install --frozen-lockfile) in the Dockerfile.',
  },

  'config/tracked-secret-file': {
    description: 'No env file, key or credentials file is committed.',
    help: 'git rm --cached the file, add it to .gitignore, and rotate what it held.',
  },
  'config/hard-coded-credential': {
    description: 'No credential is written in the source.',
    help: 'Read it from an environment variable (documented in .env.example without the real value) and rotate the exposed one.',
  },
  'config/secret-fallback': {
    description: 'A secret has no literal fallback that silently applies when its variable is unset.',
    help: 'Fail at startup when the variable is missing instead of falling back to a committed value.',
  },
  'config/env-example': {
    description: 'Every environment variable the app reads is documented in .env.example.',
    help: 'Add each variable to .env.example with a safe example value and a comment.',
  },
  'config/unused-variable': {
    description: 'Every variable in .env.example is read by the app.',
    help: 'Remove variables nothing reads any more from .env.example.',
  },
  'config/env-file-required': {
    description: 'The app starts without a .env file when the environment is set.',
    help: 'Load .env only if it exists (node --env-file-if-exists, or ignore dotenv’s missing-file error).',
  },
  'config/env-ignored': {
    description: '.env is ignored by git and left out of the image build context.',
    help: 'List .env in .gitignore and in .dockerignore.',
  },
  'config/image-secret': {
    description: 'No credential or env file is baked into the image.',
    help: 'Pass secrets at run time through the environment (or a build secret), never in ENV, ARG or a copied .env.',
  },

  'backing-services/attached-by-url': {
    description: 'Backing services are attached by a URL from config, never written into the code.',
    help: 'Read the URL from an environment variable (e.g. DATABASE_URL) and fail at startup when it is missing.',
  },

  'build-release-run/multi-stage-image': {
    description: 'The image is built in stages, so build tools do not ship in the image that runs.',
    help: 'Build in a first stage (FROM … AS build) and copy only the output and production dependencies into the final one.',
  },
  'build-release-run/non-root-user': {
    description: 'The image runs its process as an unprivileged user.',
    help: 'Add `USER node` (the official Node.js images ship that user) before CMD.',
  },
  'build-release-run/declared-build': {
    description: 'A Dockerfile, Procfile or deploy file says how the app is built and run.',
    help: 'Add a multi-stage Dockerfile (or a Procfile for a buildpack platform).',
  },
  'build-release-run/no-runtime-build': {
    description: 'The start command runs built code; it does not compile or watch at run time.',
    help: 'Build once in the build stage and start the compiled output (node dist/server.js).',
  },
  'build-release-run/image-command': {
    description: 'The production image declares the command it runs (CMD or ENTRYPOINT).',
    help: 'End the final stage with CMD ["node", "dist/server.js"].',
  },
  'build-release-run/builds': {
    description: '--run: the app builds from its checkout.',
    help: 'Fix the build; it must succeed from a clean checkout.',
  },

  'processes/no-memory-sessions': {
    description: 'Sessions are kept in a backing service, not in the process’s memory.',
    help: 'Give the session middleware a store (Redis, the database), or use signed cookie sessions.',
  },
  'processes/no-local-storage': {
    description:
      'Persistent data (uploads, files kept between requests) lives in a backing service, not on local disk.',
    help: 'Stream uploads to object storage and keep only the key in the database.',
  },
  'processes/shared-rate-limit': {
    description: 'Rate limits are counted in a shared store, not in each process’s memory.',
    help: 'Give the rate limiter a Redis (or other shared) store.',
  },
  'processes/no-module-cache': {
    description: 'No module-level cache or fixed temp file outlives a request.',
    help: 'Cache in a backing service (Redis) with an expiry; use a fresh temp file per request (fs.mkdtemp) and remove it.',
  },

  'port-binding/port-from-env': {
    description: 'The server listens on the port given in PORT.',
    help: 'Listen on the port from the PORT environment variable (validated, with a default for development).',
  },
  'port-binding/all-interfaces': {
    description: 'The server listens on every interface, so it is reachable in a container.',
    help: "Pass host: '0.0.0.0' (or '::') to listen, or a HOST variable defaulting to it.",
  },
  'port-binding/answers': {
    description: '--run: the web process binds PORT and answers HTTP.',
    help: 'The web process must listen on the port given in PORT; check its config is complete in this environment.',
  },

  'concurrency/process-types': {
    description: 'Each process type is declared (Procfile, deploy file or manifests).',
    help: 'Add a Procfile naming each process type: `web: node dist/server.js`, `worker: node dist/worker.js`.',
  },
  'concurrency/no-daemon': {
    description: 'Processes run in the foreground: no daemonizing, no detaching, no PID files.',
    help: 'Run in the foreground and leave supervision to the platform.',
  },
  'concurrency/no-process-manager': {
    description: 'No process manager (pm2, forever) runs inside the container.',
    help: 'Let the platform supervise and scale: one process per container, started with node directly.',
  },
  'concurrency/manifests-agree': {
    description: 'The Procfile and the Kubernetes manifests run the same processes.',
    help: 'Declare every process type in both, or re-render them: `create-twelve-app update`.',
  },
  'concurrency/jobs-in-own-process': {
    description: 'Background jobs and schedules run in a process type of their own, not inside the web process.',
    help: 'Start the job runner from its own entry and declare it (`worker: node dist/worker.js`).',
  },

  'disposability/sigterm': {
    description: 'Long-running processes shut down gracefully on SIGTERM.',
    help: "process.on('SIGTERM', …): stop accepting work, finish what is in flight, close connections, exit 0.",
  },
  'disposability/signals-reach-app': {
    description: 'The image’s command passes signals to the app (exec form, node as PID 1).',
    help: 'Use the exec form and run node directly: CMD ["node", "dist/server.js"].',
  },
  'disposability/graceful': {
    description: '--run: the web process starts fast, finishes in-flight requests on SIGTERM and exits 0.',
    help: 'On SIGTERM stop accepting new connections, let open requests finish, then exit 0.',
  },

  'dev-prod-parity/same-services': {
    description: 'Development and production use the same kind of backing services.',
    help: 'Run the production service locally too, e.g. in docker-compose.yml.',
  },
  'dev-prod-parity/same-versions': {
    description: 'Development, CI and production run the same versions of backing services.',
    help: 'Pin the same major version (postgres:18) in compose, CI and production.',
  },
  'dev-prod-parity/service-versions': {
    description: 'The Kubernetes manifests run the same major of each backing service as compose and CI.',
    help: 'Name the same major (postgres:18) in the manifests, docker-compose.yml and the CI service containers.',
  },

  'logs/stdout': {
    description: 'Logs are an event stream on stdout; the app writes no log files.',
    help: 'Log one event per line to stdout and let the platform route and store it.',
  },
  'logs/error-reporting': {
    description: 'A long-running app reports errors to an error-reporting service.',
    help: 'Add an error-reporting SDK (e.g. Sentry) configured from a DSN variable.',
  },
  'logs/event-stream': {
    description: '--run: the web process logs one event per line to stdout.',
    help: 'Log events (startup, requests, shutdown) to stdout, one per line (JSON is easiest for log routers).',
  },

  'admin-processes/migrations': {
    description: 'A database app ships its migrations to run as a one-off process against a release.',
    help: 'Commit migrations with the code and run them as a release process: "migrate": "node dist/migrate.js" and a Procfile `release:` line.',
  },
  'admin-processes/one-off-scripts': {
    description: 'A console or other one-off admin script ships with the app.',
    help: 'Add a console script (a REPL with the app’s config and clients) and commit one-off tasks as scripts.',
  },
} as const satisfies Record<string, { description: string; help: string }>;

export type RuleId = keyof typeof RULE_CATALOG;

export function isRuleId(value: string): value is RuleId {
  return Object.hasOwn(RULE_CATALOG, value);
}
