/**
 * `deploy/kubernetes/`: a Kustomize base with one Deployment per long-running Procfile process type, a
 * Service and a PodDisruptionBudget for the routed one, a HorizontalPodAutoscaler each, the release
 * process as a Job; and one overlay per environment that sets only config and replica counts. All of it
 * comes from the model that renders the Procfile, so the two cannot disagree.
 *
 * The object types come from kubernetes-models (type-only imports, erased at run time): a misspelt or
 * misplaced field is a compile error here, and the tests validate the output against the schemas too.
 */

import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { ICronJob, IJob } from 'kubernetes-models/batch/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IContainer, IEnvVar, IPodSpec, IProbe, IService, IVolume } from 'kubernetes-models/v1';
import { stringify } from 'yaml';
import { DEFAULT_RESOURCES } from '../model/deploy.ts';
import { FACTS } from '../model/facts.ts';
import type { AppModel, DeployEnvironment, ProcessType, Resources, Workload } from '../model/types.ts';

export const KUBERNETES_DIR = FACTS.kubernetesDir;

/** The non-root user of the official Node.js image (`node`); numeric, so the kubelet can check it. */
const NODE_UID = 1000;

/** Scale out when the pods of a process type use this share of their CPU requests on average. */
const TARGET_CPU_PERCENT = 70;

/** A release that has not migrated by then is stuck (a lock, an unreachable database): fail it. */
const RELEASE_DEADLINE_SECONDS = 600;

interface Names {
  config: string;
  secrets: string;
  object: (process: string) => string;
  labels: (process: string) => Record<string, string>;
}

function names(model: AppModel): Names {
  const app = model.deploy.name;
  return {
    config: `${app}-config`,
    secrets: `${app}-secrets`,
    object: (process) => `${app}-${process}`,
    labels: (process) => ({ 'app.kubernetes.io/name': app, 'app.kubernetes.io/component': process }),
  };
}

/** The files under `deploy/kubernetes/`, by app path. */
export function renderKubernetes(model: AppModel): Record<string, string> {
  const n = names(model);
  const base = `${KUBERNETES_DIR}/base`;
  const files: Record<string, string> = {};
  for (const entry of model.deploy.workloads) {
    files[`${base}/${entry.process.name}.yaml`] = yamlDocuments(
      workloadObjects(model, n, entry),
      `The ${entry.process.name} process type`,
    );
  }
  const release = model.deploy.release;
  if (release)
    files[`${base}/${release.name}.yaml`] = yamlDocuments(
      [releaseJob(model, n, release)],
      `The ${release.name} process type, run once per release before the rollout (see README.md)`,
    );
  // Scheduled process types (the schedule capability's tasks): a CronJob each.
  for (const process of model.deploy.scheduled)
    files[`${base}/${process.name}.yaml`] = yamlDocuments(
      [cronJob(model, n, process)],
      `The ${process.name} process type, started on its schedule and run to completion (see README.md)`,
    );
  files[`${base}/kustomization.yaml`] = yamlDocuments(
    [
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: Object.keys(files).map((file) => file.slice(base.length + 1)),
        // No `images:` here: the delivery workflow sets the image by digest in each overlay it deploys
        // (`kustomize edit set image`), so no registry host or tag of a real deploy is committed.
        // Generated, so its name gets a hash of its content: a config change rolls the Deployments.
        // Labelled, so that the release step can apply it together with the Job alone (README.md).
        configMapGenerator: [
          { name: n.config, literals: literals(baseConfig(model)), options: { labels: n.labels('config') } },
        ],
      },
    ],
    `The base every environment shares; the Secret ${n.secrets} is created by the operator (see README.md)`,
  );
  for (const environment of model.deploy.environments) {
    const dir = `${KUBERNETES_DIR}/overlays/${environment.name}`;
    files[`${dir}/kustomization.yaml`] = yamlDocuments(
      [overlay(model, n, environment)],
      `The ${environment.name} environment: the base with its own config and replica counts; its hosts and URLs come from ${ENV_FILE} (git-ignored, see ${ENV_FILE}.example)`,
    );
    files[`${dir}/${ENV_FILE}.example`] = envFileExample(model, environment);
    files[`${dir}/.gitignore`] =
      `# Each deploy's own values (hosts, URLs): written by the delivery workflow or the operator, never committed.\n/${ENV_FILE}\n`;
  }
  return files;
}

/**
 * Non-secret variables at their defaults, less those each workload pins itself. A variable without a
 * default (a host, a URL) is not here: each overlay's env file supplies it, and a development example
 * (`http://localhost:3000`) never reaches a deploy that forgot it.
 */
function baseConfig(model: AppModel): Record<string, string> {
  const pinned = new Set(model.deploy.workloads.flatMap((entry) => Object.keys(entry.config)));
  return Object.fromEntries(
    model.config
      .filter((variable) => !variable.secret && variable.default !== undefined && !pinned.has(variable.name))
      .map((variable) => [variable.name, variable.default!]),
  );
}

/**
 * The overlay's git-ignored env file, merged into the config: `kubectl kustomize` (and `kubectl apply -k`)
 * fails while it is missing, so a deploy that forgot its values stops before anything is applied.
 */
export const ENV_FILE = FACTS.deployEnvFile;

function overlay(model: AppModel, n: Names, environment: DeployEnvironment) {
  const config = literals(environment.config);
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: ['../../base'],
    configMapGenerator: [
      { name: n.config, behavior: 'merge', ...(config.length > 0 ? { literals: config } : {}), envs: [ENV_FILE] },
    ],
    patches: [
      ...Object.entries(environment.replicas).map(([process, { min, max }]) => ({
        target: { kind: 'HorizontalPodAutoscaler', name: n.object(process) },
        patch: stringify([
          { op: 'replace', path: '/spec/minReplicas', value: min },
          { op: 'replace', path: '/spec/maxReplicas', value: max },
        ]),
      })),
      ...requiredSecretPatches(model, n, environment),
    ],
  };
}

/**
 * Secrets this environment must have although the app runs without them (SENTRY_DSN in production): the
 * reference to the Secret's key loses `optional`, so a pod (the release Job first, before the rollout)
 * does not start without it, and the previous release keeps running.
 */
function requiredSecretPatches(model: AppModel, n: Names, environment: DeployEnvironment) {
  if (environment.requiredSecrets.length === 0) return [];
  const env = environment.requiredSecrets.map((key) => ({
    name: key,
    valueFrom: { secretKeyRef: { name: n.secrets, key, optional: false } },
  }));
  const targets = [
    ...model.deploy.workloads.map((entry) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      process: entry.process.name,
    })),
    ...(model.deploy.release ? [{ apiVersion: 'batch/v1', kind: 'Job', process: model.deploy.release.name }] : []),
  ];
  return targets.map(({ apiVersion, kind, process }) => ({
    patch: stringify({
      apiVersion,
      kind,
      metadata: { name: n.object(process) },
      spec: { template: { spec: { containers: [{ name: process, env }] } } },
    }),
  }));
}

/** `config.env.example`: what each deploy of the environment writes into its `config.env`. */
function envFileExample(model: AppModel, environment: DeployEnvironment): string {
  const described = new Map(model.config.map((variable) => [variable.name, variable.description]));
  const lines = [
    `# The ${environment.name} deploy's own values, merged into the ${model.deploy.name}-config ConfigMap.`,
    `# Copy to ${ENV_FILE} (git-ignored) and set each value; the delivery workflow writes it from the`,
    `# GitHub environment's variables. Without ${ENV_FILE}, \`kubectl kustomize\` and \`kubectl apply -k\` fail.`,
    '# Any other variable of the README table may be set here too (not those the kustomization sets).',
    // Empty values, the examples in comments: a development URL (localhost) copied as it is would start
    // fine and point the deploy at nothing.
    ...Object.entries(environment.envFile).flatMap(([name, example]) => [
      '',
      `# ${described.get(name) ?? name} For example: ${example}`,
      `${name}=`,
    ]),
  ];
  return `${lines.join('\n')}\n`;
}

function workloadObjects(model: AppModel, n: Names, entry: Workload): object[] {
  const { process } = entry;
  const name = n.object(process.name);
  const labels = n.labels(process.name);
  const port = process.health
    ? { name: entry.routed ? 'http' : 'health', containerPort: process.health.port }
    : undefined;
  const container: IContainer = {
    ...baseContainer(model, n, process, entry.resources),
    ...(port ? { ports: [port] } : {}),
    env: [...secretEnv(model, n), ...literalEnv(entry.config)],
    ...(port ? probes(model, port.name) : {}),
    ...(entry.preStopSeconds > 0 ? { lifecycle: { preStop: { sleep: { seconds: entry.preStopSeconds } } } } : {}),
  };
  const deployment: IDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      // No `replicas`: the HorizontalPodAutoscaler owns the count, and `kubectl apply` would reset it.
      selector: { matchLabels: labels },
      // Routed: a new pod is ready before an old one stops taking requests.
      ...(entry.routed
        ? { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }
        : {}),
      template: {
        metadata: { labels },
        spec: podSpec(model, [container], entry.terminationGracePeriodSeconds),
      },
    },
  };
  const [firstEnvironment] = model.deploy.environments;
  const replicas = firstEnvironment?.replicas[process.name] ?? { min: 1, max: 2 };
  const autoscaler: IHorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: replicas.min,
      maxReplicas: replicas.max,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: TARGET_CPU_PERCENT } },
        },
      ],
    },
  };
  if (!entry.routed || !port) return [deployment, autoscaler];
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels },
    spec: { selector: labels, ports: [{ name: port.name, port: port.containerPort, targetPort: port.name }] },
  };
  // One pod at a time may be drained voluntarily (node upgrades), whatever the replica count.
  const budget: IPodDisruptionBudget = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, labels },
    spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
  };
  return [deployment, service, autoscaler, budget];
}

function releaseJob(model: AppModel, n: Names, process: ProcessType): IJob {
  const labels = n.labels(process.name);
  const container: IContainer = {
    ...baseContainer(model, n, process, process.resources ?? DEFAULT_RESOURCES),
    env: secretEnv(model, n),
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: n.object(process.name), labels },
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: RELEASE_DEADLINE_SECONDS,
      template: { metadata: { labels }, spec: { ...podSpec(model, [container]), restartPolicy: 'Never' } },
    },
  };
}

/**
 * A scheduled process type: the app's image, config and Secrets, non-root, one run at a time unless the
 * model says otherwise. A run that fails is not retried by Kubernetes (`backoffLimit: 0`): the next
 * scheduled run is the retry, and the failure is in the logs and the error reports.
 */
function cronJob(model: AppModel, n: Names, process: ProcessType): ICronJob {
  const schedule = process.schedule!;
  const labels = n.labels(process.name);
  const container: IContainer = {
    ...baseContainer(model, n, process, process.resources ?? DEFAULT_RESOURCES),
    env: secretEnv(model, n),
  };
  // CronJob names are limited to 52 characters (the controller appends the run's timestamp).
  const name = n.object(process.name);
  const shortened =
    name.length <= 52
      ? name
      : `${model.deploy.name.slice(0, 51 - process.name.length).replace(/-+$/, '')}-${process.name}`;
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: shortened, labels },
    spec: {
      schedule: schedule.cron,
      ...(schedule.timezone ? { timeZone: schedule.timezone } : {}),
      concurrencyPolicy: schedule.concurrencyPolicy,
      startingDeadlineSeconds: schedule.startingDeadlineSeconds,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 0,
          activeDeadlineSeconds: schedule.activeDeadlineSeconds,
          template: { metadata: { labels }, spec: { ...podSpec(model, [container]), restartPolicy: 'Never' } },
        },
      },
    },
  };
}

/** What every container shares: the one image, the Procfile command, config, limits, no privileges. */
function baseContainer(model: AppModel, n: Names, process: ProcessType, resources: Resources): IContainer {
  return {
    name: process.name,
    image: model.deploy.image,
    // `command`, not `args`: node is PID 1 and receives SIGTERM itself, as in the Dockerfile's CMD.
    command: process.command.split(' '),
    envFrom: [{ configMapRef: { name: n.config } }],
    resources,
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    ...(model.writableDirs.length > 0
      ? { volumeMounts: model.writableDirs.map((dir) => ({ name: volumeName(dir), mountPath: dir })) }
      : {}),
  };
}

function podSpec(model: AppModel, containers: IContainer[], terminationGracePeriodSeconds?: number): IPodSpec {
  const volumes: IVolume[] = model.writableDirs.map((dir) => ({ name: volumeName(dir), emptyDir: {} }));
  return {
    ...(terminationGracePeriodSeconds === undefined ? {} : { terminationGracePeriodSeconds }),
    // The app never calls the Kubernetes API.
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: NODE_UID,
      runAsGroup: NODE_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers,
    ...(volumes.length > 0 ? { volumes } : {}),
  };
}

/**
 * Startup: up to 30 s to listen before liveness applies. Liveness on /healthz stays 200 while draining;
 * readiness on /readyz turns 503 at the signal or when a backing service stops answering (its own
 * check gives up after 1 s, hence the 2 s timeout).
 */
function probes(model: AppModel, port: string): Pick<IContainer, 'startupProbe' | 'livenessProbe' | 'readinessProbe'> {
  const { liveness, readiness, startupProbeSeconds } = model.facts;
  const get = (path: string) => ({ httpGet: { path, port } });
  const startupProbe: IProbe = { ...get(liveness), periodSeconds: 1, failureThreshold: startupProbeSeconds };
  const livenessProbe: IProbe = { ...get(liveness), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 };
  const readinessProbe: IProbe = { ...get(readiness), periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 };
  return { startupProbe, livenessProbe, readinessProbe };
}

/** Secrets by reference only: the Secret holds the values; a missing required key stops the pod. */
function secretEnv(model: AppModel, n: Names): IEnvVar[] {
  return model.config
    .filter((variable) => variable.secret)
    .map((variable) => ({
      name: variable.name,
      valueFrom: {
        secretKeyRef: {
          name: n.secrets,
          key: variable.name,
          ...(variable.default === undefined ? {} : { optional: true }),
        },
      },
    }));
}

function literalEnv(config: Record<string, string>): IEnvVar[] {
  return Object.entries(config).map(([name, value]) => ({ name, value }));
}

function literals(config: Record<string, string>): string[] {
  return Object.entries(config).map(([name, value]) => `${name}=${value}`);
}

function volumeName(dir: string): string {
  return (
    dir
      .replace(/[^a-z0-9]+/gi, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase() || 'root'
  );
}

function yamlDocuments(documents: object[], about: string): string {
  // YAML 1.1 when writing, as kubectl reads it: a string such as `yes` or `0700` stays quoted.
  const body = documents
    .map((document) => stringify(document, { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0 }))
    .join('---\n');
  return `# ${about}. Rendered from the app model by create-twelve-app.\n${body}`;
}
