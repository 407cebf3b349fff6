/**
 * The app model: everything we generate is a projection of one `AppModel`, and the `AppModel` is derived
 * from the small `AppSpec` that is saved in the generated app's `.yo-rc.json`. Saving the spec (the
 * choices) rather than the derived model means a newer scaffolder re-derives everything from the same
 * choices, and a sub-generator extends the app by changing the spec.
 */

export const KINDS = ['api', 'worker', 'client'] as const;
export type Kind = (typeof KINDS)[number];

export const DATABASES = ['postgres', 'none'] as const;
export type Database = (typeof DATABASES)[number];

export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn'] as const;

/** Where errors are reported: `sentry` adds the error-reporting capability. */
export const ERROR_REPORTERS = ['sentry', 'none'] as const;
export type ErrorReporter = (typeof ERROR_REPORTERS)[number];
export type PackageManagerName = (typeof PACKAGE_MANAGERS)[number];

export const CAPABILITY_IDS = ['postgres', 'redis', 'worker', 'error-reporting', 'tracing'] as const;
export type CapabilityId = (typeof CAPABILITY_IDS)[number];

/** What `.yo-rc.json` stores: the user's choices, nothing derived. */
export interface AppSpec {
  /** Bumped when the stored shape changes, so a newer scaffolder can migrate it forward. */
  specVersion: 1;
  name: string;
  kind: Kind;
  capabilities: CapabilityId[];
  /** As in package.json's `packageManager`: `npm@11.19.1`. */
  packageManager: string;
  /** The scaffolder version that rendered the app. */
  generatorVersion: string;
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
   * zod expression (source text) that parses the raw string, rendered into `src/config.ts`; it may use
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
}

export interface ProcessType {
  /** Procfile process type: `web`, `release`, `worker`, ... */
  name: string;
  /** The production command, exactly as the Procfile gives it. */
  command: string;
  description: string;
  /** Where a long-running process answers /healthz and /readyz: the variable and its default port. */
  health?: { variable: string; port: number };
}

export interface ComposeService {
  name: string;
  image: string;
  environment: Record<string, string>;
  ports: string[];
  healthcheck: string[];
  /** The container command, when the image's default does not suit (Redis must never evict queued jobs). */
  command?: string[];
  /** Where the service keeps its data, kept in a named volume so `docker compose down` loses nothing. */
  dataPath?: string;
  /** How the app reaches this service in local dev and CI: the variable and its URL there. */
  connection?: { variable: string; url: string };
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
  /** `true` for each capability the app has; templates branch on these, never on raw answers. */
  features: Record<CapabilityId, boolean>;
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
  /**
   * What the image runs by default: the web process when there is one, else the worker (a platform runs
   * the other process types from the same image with another command). Exec form, so node is PID 1 and
   * gets SIGTERM. `health` is where that process answers probes; `expose` only for a web process.
   */
  docker: { cmd: string[]; health?: { variable: string; port: number }; expose?: number };
}

/** What one capability module adds to the model. */
export interface Contribution {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Script[];
  config?: ConfigVar[];
  processes?: ProcessType[];
  services?: ComposeService[];
  templateDirs?: string[];
  /**
   * Modules (by name, `tracing`) every long-running process loads with `node --import` before the
   * app itself: `./dist/<name>.js` in the Procfile and `start`, `./src/<name>.ts` in the dev scripts.
   */
  preloads?: string[];
  /** Commands the `build` script runs after `tsc`, e.g. to write the release into `dist/`. */
  buildSteps?: string[];
}
