/**
 * The app model: everything we generate is a projection of one `AppModel`, and the `AppModel` is derived
 * from the small `AppSpec` that is saved in the generated app's `.yo-rc.json`. Saving the spec (the
 * choices) rather than the derived model means a newer scaffolder re-derives everything from the same
 * choices, and a sub-generator extends the app by changing the spec.
 */

import type { GitHubAction } from './versions.ts';

export const KINDS = ['api', 'worker', 'client'] as const;
export type Kind = (typeof KINDS)[number];

export const DATABASES = ['postgres', 'none'] as const;
export type Database = (typeof DATABASES)[number];

export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn'] as const;

/** Where errors are reported: `sentry` adds the error-reporting capability. */
export const ERROR_REPORTERS = ['sentry', 'none'] as const;
export type ErrorReporter = (typeof ERROR_REPORTERS)[number];
export type PackageManagerName = (typeof PACKAGE_MANAGERS)[number];

/** What `.yo-rc.json` stores: the user's choices, nothing derived. */
export interface AppSpec {
  /** Bumped when the stored shape changes, so a newer scaffolder can migrate it forward (src/model/migrations.ts). */
  specVersion: number;
  name: string;
  kind: Kind;
  /**
   * The ids of the capabilities the app has, in the registry's order (src/capabilities/registry.ts).
   * The model does not know the ids: it assembles whatever contributions it is given.
   */
  capabilities: string[];
  /**
   * The worker's queue name, saved only for apps made before it was derived from the app's name
   * (they keep `jobs`, so an update strands no waiting job); absent: derived from `name`.
   */
  queue?: string;
  /** As in package.json's `packageManager`: `npm@11.19.1`. */
  packageManager: string;
  /** The scaffolder version that rendered the app. */
  generatorVersion: string;
  /** The house template the app was generated from (`--template`), re-applied by `add` and `update`. */
  template?: TemplateRef;
  /** Scheduled tasks (`add schedule --name --cron`), in the order they were added; absent: none. */
  tasks?: ScheduledTask[];
}

/** One scheduled task as the spec stores it: `src/tasks/<name>.ts`, run on `cron` in `timezone`. */
export interface ScheduledTask {
  name: string;
  /** Five fields (minute hour day-of-month month day-of-week) or a macro such as `@daily`. */
  cron: string;
  /** An IANA time zone (`Europe/Paris`); absent: the scheduler's own (UTC on most clusters). */
  timezone?: string;
}

/** A house template as `.yo-rc.json` records it: enough to fetch the same one again, or a newer one. */
export interface TemplateRef {
  /** The template package's `name` and exact `version`. */
  name: string;
  version: string;
  /**
   * Where it came from: the npm spec as given (`@acme/house@^1`, kept for a later update), or a local
   * folder or tarball path relative to the app, so the two can move together.
   */
  source: string;
  type: 'npm' | 'directory' | 'tarball';
  /** The answers to the template's own prompts, so a re-render gives the same files. */
  answers: Record<string, string | boolean>;
}

export interface ConfigVar {
  name: string;
  /** One sentence for `.env.example` and the README. */
  description: string;
  /** The value written in `.env.example`. */
  example: string;
  /** Absent: the variable is required. */
  default?: string;
  /** Secrets may also come from `<NAME>_FILE` and are never echoed. */
  secret: boolean;
  /**
   * Safe to show to every browser: a client app serves these (and only these) at `GET /config.json`,
   * so its one build reads each deploy's values at run time. Never true for a secret.
   */
  public?: boolean;
  /**
   * zod/mini expression (source text) that parses the raw string, rendered into `src/config.ts`; it may use
   * that module's `integer(min, max)` and `boolean()` helpers. The default is added from `default`.
   */
  schema: string;
  /** The type of the parsed value: decides how `default` is written in `src/config.ts`. */
  type: 'string' | 'number' | 'boolean';
  /** What a bad value must be, as the end of "NAME …" (the value itself is never shown). */
  error: string;
  /** A value the schema rejects, for the generated app's own config tests. */
  invalid?: string;
  /**
   * A valid value that reaches nothing, for the app's tests without services: for a required variable, or
   * for a secret whose example is empty (the tests of reading it from `<NAME>_FILE` need a value).
   */
  unreachable?: string;
  /** Each deploy environment (Kustomize overlay) sets it to its own name: `staging`, `production`. */
  environmentName?: boolean;
  /**
   * Deploy environments that must set it although the app has a default (`SENTRY_DSN` in production):
   * their overlay makes the Secret's key mandatory, so a pod without it does not start.
   */
  requiredIn?: string[];
}

export interface ProcessType {
  /** Procfile process type: `web`, `release`, `worker`, ... */
  name: string;
  /** The production command, exactly as the Procfile gives it. */
  command: string;
  description: string;
  /** Where a long-running process answers /healthz and /readyz: the variable and its default port. */
  health?: { variable: string; port: number };
  /**
   * Runs to completion once per release, before the long-running processes of that release start
   * (Heroku's release phase; a Job on Kubernetes; a one-shot service in compose). Absent: long-running.
   */
  release?: boolean;
  /** How the process stops on SIGTERM, for orchestrators' grace periods; absent: `DEFAULT_SHUTDOWN`. */
  shutdown?: ShutdownTiming;
  /** What one process needs of a machine; absent: `DEFAULT_RESOURCES` (src/model/deploy.ts). */
  resources?: Resources;
  /**
   * Started by the platform on a schedule and run to completion (a CronJob on Kubernetes, Heroku
   * Scheduler, the compose `tasks` profile); absent: not scheduled.
   */
  schedule?: ProcessSchedule;
}

/** When and how a scheduled process type runs. */
export interface ProcessSchedule {
  cron: string;
  timezone?: string;
  /** Whether a run may start while the previous one still runs: `Forbid` skips it. */
  concurrencyPolicy: 'Forbid' | 'Allow' | 'Replace';
  /** A run that could not start within this long of its time is skipped (missed, not queued up). */
  startingDeadlineSeconds: number;
  /** The longest one run may take before the orchestrator stops it. */
  activeDeadlineSeconds: number;
}

/** The config variables that time a process's shutdown, and what it may take beyond them. */
export interface ShutdownTiming {
  /** Counted from the signal: the most the process takes to exit (it exits 1 when exceeded). */
  timeoutVariable: string;
  /** Fixed time the process may take after that deadline (the worker hands jobs back then). */
  afterTimeoutMs: number;
  /**
   * For a process that receives routed traffic: the variable that keeps it serving (with /readyz at
   * 503) for a while after the signal, so the routing layer stops sending it requests first.
   */
  delayVariable?: string;
}

/** Requests (what the scheduler reserves) and limits (where the container is throttled or killed). */
export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface ComposeService {
  name: string;
  /** How people call it, in the README and the next steps ("PostgreSQL"). */
  label: string;
  image: string;
  environment: Record<string, string>;
  ports: string[];
  healthcheck: string[];
  /** The container command, when the image's default does not suit (Redis must never evict queued jobs). */
  command?: string[];
  /**
   * The image does nothing useful without `command` (MinIO): CI starts it with `docker run` in a step,
   * since GitHub Actions service containers take no command.
   */
  commandRequired?: boolean;
  /** Where the service keeps its data, kept in a named volume so `docker compose down` loses nothing. */
  dataPath?: string;
  /**
   * How the app reaches this service in local dev and CI: the variable and its URL there, and the
   * URL of the tests' own database on the same server (`TEST_<variable>`, in `.env.example` and CI).
   * `createdBy`: the development script that creates the database when the server has none of that
   * name (the tests create theirs too); without Docker, that is what makes a fresh server usable.
   */
  connection?: { variable: string; url: string; testUrl?: string; createdBy?: string };
}

export interface Script {
  name: string;
  command: string;
  description: string;
}

export interface PackageManagerInfo {
  name: PackageManagerName;
  /** Exact version recorded in `packageManager`. */
  version: string;
  lockfile: string;
  /** Run once in a Docker build stage before installing (corepack for pnpm and yarn). */
  setup?: string;
  /** Install exactly what the lockfile says (CI, Dockerfile). */
  ci: string;
  /** Checks the registry signatures of what was installed (CI, after `ci`); npm only. */
  auditSignatures?: string;
  /** Remove devDependencies after the build stage. */
  prune: string;
  run: (script: string) => string;
}

export interface AppModel {
  spec: AppSpec;
  name: string;
  kind: Kind;
  node: { version: string; major: number; image: string };
  packageManager: PackageManagerInfo;
  /**
   * `true` for each capability the app has. Only a capability's own templates and README section may
   * look at another's (error reporting mentions jobs when there is a worker); base templates render
   * the lists below instead.
   */
  features: Readonly<Record<string, boolean>>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Script[];
  /** The scripts that run a long-running process from sources in development (`dev`, `dev:worker`). */
  devScripts: string[];
  config: ConfigVar[];
  processes: ProcessType[];
  services: ComposeService[];
  /** Template folders under `templates/`, rendered in order; a later folder's file wins. */
  templateDirs: string[];
  /** Files capabilities compute from the spec (`Contribution.files`), rendered before the template folders. */
  files: Record<string, string>;
  /** The backing-service clients of every process, rendered into the re-rendered `src/services.ts`. */
  clients: ServiceClient[];
  /** Route plugins capabilities add to an API, rendered into the re-rendered `src/routes/capabilities.ts`. */
  routes: RouteModule[];
  /** Scripts to run once before the development processes (`migrate`), for the README and the next steps. */
  setupScripts: string[];
  /** Values capabilities compute for their own templates (the worker's `queueName`). */
  data: Record<string, string>;
  /** Who owns which files of the app, for the README's table. */
  ownership: FileOwnership[];
  /** README sections, in capability order, already rendered (Markdown). */
  readme: string[];
  /** Fixed facts the templates share (probe paths, folders, timings), from src/model/facts.ts. */
  facts: Facts;
  /** Directories the processes write to at run time (an emptyDir each on a read-only root filesystem). */
  writableDirs: string[];
  /** How the processes run on an orchestrator: replicas per environment, timings, names (src/model/deploy.ts). */
  deploy: DeployModel;
  /** A house template's `templates/` folder (absolute), rendered last so its files win; and its prompt answers. */
  house?: { name: string; version: string; dir: string };
  answers: Record<string, string | boolean>;
  /**
   * What the image runs by default: the web process when there is one, else the worker (a platform runs
   * the other process types from the same image with another command). Exec form, so node is PID 1 and
   * gets SIGTERM. `health` is where that process answers probes, `healthcheck` the command (exec form)
   * that probes it from inside the container; `expose` only for a web process.
   */
  docker: {
    cmd: string[];
    /**
     * Node's compile cache, filled at image build (templates/base/Dockerfile.ejs): each command (the
     * long-running processes') starts once with `env`, an invalid value of a variable every process
     * validates, so it compiles all of its code and stops at config validation, printing `stopsWith`.
     */
    warmUp?: { commands: string[]; env: string; stopsWith: string };
    health?: { variable: string; port: number };
    expose?: number;
    healthcheck?: string[];
    sources: string[];
  };
  /** The GitHub Actions of the generated workflows, as a `uses:` value: `owner/repo@<sha> # <tag>`. */
  actions: Record<GitHubAction, string>;
  /** Days a release must be public before it is installed (`.npmrc`) or proposed (Dependabot's cooldown). */
  releaseCooldownDays: number;
  /**
   * The production bundle `npm run build` writes to `dist/` (templates/base/build.ts.ejs): its entry points
   * (`src/<name>.ts` to `dist/<name>.js`) and the packages left external. With no externals the image
   * carries no `node_modules` at all. `modulesInDist`: the build copies the externals and their
   * dependencies (per package-lock.json, so npm only) into `dist/node_modules`, the image's only
   * `node_modules`; with externals and another package manager the image carries the production install.
   */
  bundle: { entryPoints: string[]; externals: string[]; modulesInDist: boolean };
  /**
   * How CI and the README run `create-twelve-app check`: through npx at the version that rendered the
   * app, never as a dependency (the app's install must not depend on the scaffolder).
   */
  check: string;
}

/** How the app runs on an orchestrator, resolved from its processes and config (src/model/deploy.ts). */
export interface DeployModel {
  /** The app name as Kubernetes object names and labels allow it (DNS-1123): `@acme/My_API` → `my-api`. */
  name: string;
  /** The one image every process runs, by its local name (overlays and compose map it to a registry). */
  image: string;
  /** The long-running process types, each with its resolved timings, resources and replicas. */
  workloads: Workload[];
  /** The process type that runs once per release, before the rollout. */
  release?: ProcessType;
  /** The scheduled process types (`schedule` set), each a CronJob. */
  scheduled: ProcessType[];
  /** The deployment environments (Kustomize overlays): what each sets in the config, and replicas. */
  environments: DeployEnvironment[];
}

export interface Workload {
  process: ProcessType;
  /** Receives routed traffic (a Service, a PodDisruptionBudget, a preStop delay). */
  routed: boolean;
  /** preStop sleep: how long the orchestrator's routing layer takes to forget a terminating pod. */
  preStopSeconds: number;
  /**
   * Values the manifests pin for this process, not left to the shared config: the port its probes use
   * and the shutdown timings its grace period is derived from (`SHUTDOWN_DELAY_MS` equal to the preStop sleep).
   */
  config: Record<string, string>;
  /** Longer than the preStop sleep plus the longest shutdown, so SIGKILL never cuts a clean drain. */
  terminationGracePeriodSeconds: number;
  resources: Resources;
}

export interface DeployEnvironment {
  name: string;
  /** Config values that differ from the base in this environment, committed in its overlay (no host or URL). */
  config: Record<string, string>;
  /**
   * The values each deploy supplies in the overlay's git-ignored env file (`config.env`), with the example
   * written to its committed `.example`: the variables the app cannot start without (hosts, URLs).
   */
  envFile: Record<string, string>;
  /** Secret keys this environment requires although the app has a default (see `ConfigVar.requiredIn`). */
  requiredSecrets: string[];
  /** Replicas of each long-running process type (HorizontalPodAutoscaler bounds). */
  replicas: Record<string, { min: number; max: number }>;
}

/**
 * A backing-service client every process creates, checks (readiness) and closes, as `src/services.ts`
 * renders it: `name` is its property of `Services`; the expressions see `config`, `logger`, `services`
 * and `signal`.
 */
export interface ServiceClient {
  name: string;
  type: string;
  /** Import lines the expressions need. */
  imports: string[];
  doc?: string;
  create: string;
  check: string;
  close: string;
  /**
   * The server's major version, compared at startup with the one development and CI run (compose's
   * image): `service` names it in the warning, `expected` is that major, `read` an expression (seeing
   * `services` and `signal`) that resolves to the running server's major.
   */
  version?: { service: string; expected: number; read: string };
}

/** A route plugin a capability registers in an API: `app.register(plugin, options)`; options may use `services`. */
export interface RouteModule {
  plugin: string;
  /** Path relative to `src/routes/`. */
  module: string;
  options: string;
}

/** A line of the README's ownership table. */
export interface FileOwnership {
  /** A path or glob. */
  path: string;
  owner: 'yours' | 'rendered';
  what: string;
}

/** Facts the templates and projections share, each written once (src/model/facts.ts). */
export interface Facts {
  liveness: string;
  readiness: string;
  publicDir: string;
  kubernetesDir: string;
  deployEnvFile: string;
  startupProbeSeconds: number;
  /** Backing-service health checks in compose and CI: interval and timeout in seconds, retries. */
  serviceHealth: { intervalSeconds: number; timeoutSeconds: number; retries: number };
  /** The key of the saved spec in `.yo-rc.json`. */
  yoRcKey: string;
}

/** What one capability module adds to the model. */
export interface Contribution {
  clients?: ServiceClient[];
  routes?: RouteModule[];
  setupScripts?: string[];
  data?: Record<string, string>;
  ownership?: FileOwnership[];
  /** A README section (Markdown), rendered once the whole model is known. */
  readme?: (model: AppModel) => string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Script[];
  config?: ConfigVar[];
  processes?: ProcessType[];
  services?: ComposeService[];
  templateDirs?: string[];
  writableDirs?: string[];
  /** Files and folders the build reads besides package.json and the lockfile: the Dockerfile's build stage copies them. */
  buildInputs?: string[];
  /**
   * Modules (by name, `tracing`) every long-running process loads with `node --import` before the
   * app itself: `./dist/<name>.js` in the Procfile and `start`, `./src/<name>.ts` in the dev scripts.
   */
  preloads?: string[];
  /** Commands the `build` script runs after `tsc`, e.g. to write the release into `dist/`. */
  buildSteps?: string[];
  /**
   * Modules under `src/` (without `.ts`; a glob for a folder loaded at run time, `migrations/*`) that the
   * production bundle emits as `dist/<name>.js`: every process, admin script and preload a capability adds.
   */
  entryPoints?: string[];
  /**
   * Packages the bundle leaves out, loaded from the production `node_modules` at run time: those
   * OpenTelemetry's instrumentations patch as they are first loaded, which a bundle would hide from them.
   */
  externals?: string[];
  /**
   * Files computed from the spec rather than copied from a template folder (one per scheduled task):
   * app path → contents. A template folder's file of the same path wins.
   */
  files?: Record<string, string>;
}
