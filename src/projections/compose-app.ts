import { healthcheckCommand } from '../model/deploy.ts';
import type { AppModel, ComposeService } from '../model/types.ts';

/** Compose's own interpolation (not JavaScript's): the exported GIT_COMMIT, else `local`. */
const COMPOSE_COMMIT = ['$', '{GIT_COMMIT:-local}'].join('');

/** The compose profile that runs the app itself beside its backing services. */
export const APP_PROFILE = 'app';

/** The compose profile of the scheduled tasks: `docker compose --profile tasks run --rm <task>` runs one. */
export const TASKS_PROFILE = 'tasks';

/**
 * The `app` profile's services: every Procfile process type from the one image the Dockerfile builds,
 * the release process first (the others wait until it has exited 0), each once its backing services
 * are healthy. Environment: the variables the app cannot start without, with the backing services
 * reached by their compose host names; everything else keeps its default.
 */
export function composeAppServices(model: AppModel): Record<string, object> {
  const image = `${model.deploy.image}:local`;
  const environment = appEnvironment(model);
  const services = model.services.map((service) => service.name);
  const waitForServices = Object.fromEntries(services.map((name) => [name, { condition: 'service_healthy' }]));
  const release = model.deploy.release;
  const common = () => ({
    profiles: [APP_PROFILE],
    // Built once per service from the same context and tag; Docker's cache makes the repeats free. The
    // Dockerfile requires the commit: a local image is `local` unless GIT_COMMIT is exported.
    build: { context: '.', args: { GIT_COMMIT: COMPOSE_COMMIT } },
    image,
    // As on Kubernetes: nothing in the image is written at run time.
    read_only: true,
    ...(model.writableDirs.length > 0 ? { tmpfs: model.writableDirs } : {}),
  });
  const result: Record<string, object> = {};
  if (release) {
    result[release.name] = {
      ...common(),
      command: release.command.split(' '),
      environment: { ...environment },
      ...(services.length > 0 ? { depends_on: { ...waitForServices } } : {}),
      restart: 'no',
    };
  }
  for (const workload of model.deploy.workloads) {
    const { process } = workload;
    const dependsOn = {
      ...waitForServices,
      ...(release ? { [release.name]: { condition: 'service_completed_successfully' } } : {}),
    };
    result[process.name] = {
      ...common(),
      command: process.command.split(' '),
      environment: {
        ...environment,
        ...(process.health ? { [process.health.variable]: String(process.health.port) } : {}),
      },
      ...(workload.routed && process.health
        ? { ports: [loopbackOnly(`${process.health.port}:${process.health.port}`)] }
        : {}),
      ...(Object.keys(dependsOn).length > 0 ? { depends_on: dependsOn } : {}),
      // The image's HEALTHCHECK probes its default process; each service probes its own port.
      ...(process.health
        ? {
            healthcheck: {
              test: ['CMD', ...healthcheckCommand(process.health)],
              interval: '5s',
              timeout: '3s',
              retries: 5,
            },
          }
        : {}),
      // Compose's default of 10 s would SIGKILL a drain that SHUTDOWN_TIMEOUT_MS allows.
      stop_grace_period: `${workload.terminationGracePeriodSeconds}s`,
      restart: 'unless-stopped',
    };
  }
  // Scheduled process types: run one by hand, as its CronJob would, against the same services.
  for (const process of model.deploy.scheduled) {
    result[process.name] = {
      ...common(),
      profiles: [TASKS_PROFILE],
      command: process.command.split(' '),
      environment: { ...environment },
      ...(services.length > 0 ? { depends_on: { ...waitForServices } } : {}),
      restart: 'no',
    };
  }
  return result;
}

/** Required variables only: connection URLs pointed at the services' compose host names, else the example. */
function appEnvironment(model: AppModel): Record<string, string> {
  const connections = new Map(
    model.services
      .filter((service) => service.connection)
      .map((service) => [service.connection!.variable, inNetwork(service)] as const),
  );
  return Object.fromEntries(
    model.config
      .filter((variable) => connections.has(variable.name) || variable.default === undefined)
      .map((variable) => [variable.name, connections.get(variable.name) ?? variable.example]),
  );
}

/** The service's local URL with its host name as the compose network knows it. */
function inNetwork(service: ComposeService): string {
  const url = new URL(service.connection!.url);
  url.hostname = service.name;
  return url.toString();
}

/**
 * A compose port published on the loopback interface only (`127.0.0.1:5432:5432`): Docker publishes
 * `5432:5432` on every interface of the host, and the local PostgreSQL (password `postgres`) and Redis
 * (no password) would answer anyone on the network. A port already bound to an address is kept.
 */
export function loopbackOnly(port: string): string {
  return port.split(':').length > 2 ? port : `127.0.0.1:${port}`;
}
