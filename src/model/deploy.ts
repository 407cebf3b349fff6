import { FACTS } from './facts.ts';
import type {
  AppModel,
  DeployEnvironment,
  DeployModel,
  ProcessType,
  Resources,
  ShutdownTiming,
  Workload,
} from './types.ts';

/**
 * How long Kubernetes takes to stop routing to a terminating pod: the EndpointSlice update has to reach
 * every kube-proxy and ingress controller, while the kubelet sends SIGTERM at once. A few seconds covers
 * it on a healthy cluster.
 */
export const ENDPOINT_REMOVAL_SECONDS = 5;

/** Beyond the longest clean shutdown, so a busy event loop is not SIGKILLed at its last millisecond. */
export const GRACE_MARGIN_SECONDS = 5;

/** A process that declares nothing: it exits within SHUTDOWN_TIMEOUT_MS of the signal. */
export const DEFAULT_SHUTDOWN: ShutdownTiming = { timeoutVariable: 'SHUTDOWN_TIMEOUT_MS', afterTimeoutMs: 0 };

/** A small Node.js process: one core at most (it is single-threaded), memory with room for the heap. */
export const DEFAULT_RESOURCES: Resources = {
  requests: { cpu: '100m', memory: '192Mi' },
  limits: { cpu: '1', memory: '384Mi' },
};

/**
 * The environments an app is deployed to, each a Kustomize overlay. Staging logs more and runs the
 * fewest replicas; production keeps two of each process so that one can be drained or lost.
 */
const ENVIRONMENTS: Array<{ name: string; config: Record<string, string>; replicas: { min: number; max: number } }> = [
  { name: 'staging', config: { LOG_LEVEL: 'debug' }, replicas: { min: 1, max: 2 } },
  { name: 'production', config: { LOG_LEVEL: 'info' }, replicas: { min: 2, max: 10 } },
];

/** The process type Heroku and the Procfile convention route HTTP traffic to. */
const ROUTED_PROCESS = 'web';

/** The deploy view of a model whose processes and config are settled. Pure. */
export function deployModel(model: Omit<AppModel, 'deploy'>): DeployModel {
  const name = kubernetesName(model.name);
  const workloads = model.processes
    .filter((process) => !process.release && !process.schedule)
    .map((process) => workload(model, process));
  const scheduled = model.processes.filter((process) => process.schedule);
  const release = model.processes.find((process) => process.release);
  // Variables without a default have no value the app could start with: every deploy supplies them,
  // from the overlay's git-ignored env file, so no host or URL of a real environment is committed.
  const required = Object.fromEntries(
    model.config
      .filter((variable) => !variable.secret && variable.default === undefined)
      .map((variable) => [variable.name, variable.example]),
  );
  const environments: DeployEnvironment[] = ENVIRONMENTS.map((environment) => ({
    name: environment.name,
    config: {
      ...pick(
        environment.config,
        model.config.map((variable) => variable.name),
      ),
      ...Object.fromEntries(
        model.config
          .filter((variable) => variable.environmentName)
          .map((variable) => [variable.name, environment.name]),
      ),
    },
    envFile: required,
    requiredSecrets: model.config
      .filter((variable) => variable.secret && variable.requiredIn?.includes(environment.name))
      .map((variable) => variable.name),
    replicas: Object.fromEntries(workloads.map((entry) => [entry.process.name, environment.replicas])),
  }));
  return { name, image: name, workloads, ...(release ? { release } : {}), scheduled, environments };
}

function workload(model: Omit<AppModel, 'deploy'>, process: ProcessType): Workload {
  const shutdown = process.shutdown ?? DEFAULT_SHUTDOWN;
  const routed = process.name === ROUTED_PROCESS;
  const preStopSeconds = routed ? ENDPOINT_REMOVAL_SECONDS : 0;
  const timeoutMs = Number(configValue(model, shutdown.timeoutVariable));
  const config: Record<string, string> = { [shutdown.timeoutVariable]: String(timeoutMs) };
  if (process.health) config[process.health.variable] = String(process.health.port);
  if (routed && shutdown.delayVariable) {
    // The app keeps serving with /readyz at 503 as long as the preStop sleep lasted, for load balancers
    // that follow readiness rather than endpoints. Its own timeout counts from the signal and includes
    // this delay, so it must leave time to drain after it.
    const delayMs = preStopSeconds * 1_000;
    if (delayMs >= timeoutMs)
      throw new Error(
        `${shutdown.delayVariable} (${delayMs}) must be below ${shutdown.timeoutVariable} (${timeoutMs})`,
      );
    config[shutdown.delayVariable] = String(delayMs);
  }
  const longestShutdownMs = preStopSeconds * 1_000 + timeoutMs + shutdown.afterTimeoutMs;
  return {
    process,
    routed,
    preStopSeconds,
    config,
    terminationGracePeriodSeconds: Math.ceil(longestShutdownMs / 1_000) + GRACE_MARGIN_SECONDS,
    resources: process.resources ?? DEFAULT_RESOURCES,
  };
}

/** The value a variable has when nothing sets it: its default, else the example. */
function configValue(model: Pick<AppModel, 'config'>, name: string): string {
  const variable = model.config.find((candidate) => candidate.name === name);
  if (!variable) throw new Error(`No config variable ${name} in the model`);
  return variable.default ?? variable.example;
}

function pick(record: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => keys.includes(key)));
}

/**
 * An npm package name as a Kubernetes object name (DNS-1123 label): the scope dropped, lower case,
 * other characters as `-`, short enough for suffixes such as `-release` and `-secrets`.
 */
export function kubernetesName(packageName: string): string {
  const name = packageName
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  return name || 'app';
}

/**
 * The argv of a container health check for a process that answers /healthz: node itself fetches it,
 * since the slim image has no curl. It reads the port variable at run time, as the process does.
 */
export function healthcheckCommand(health: { variable: string; port: number }): string[] {
  const script = `fetch('http://127.0.0.1:' + (process.env.${health.variable} || ${health.port}) + '${FACTS.liveness}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  return ['node', '-e', script];
}
