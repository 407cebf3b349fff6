/**
 * The Kubernetes manifests and the compose `app` profile, rendered for each kind and combination,
 * built with `kubectl kustomize` (base and every overlay), validated against the official schemas, and
 * held to the invariants the Procfile and the app's own shutdown code imply, read from parsed objects.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cron } from 'croner';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseYaml } from 'yaml';
import { buildModel } from '../../src/app-model.ts';
import { WORKER_HAND_BACK_MS } from '../../src/capabilities/worker/index.ts';
import { deployModel, ENDPOINT_REMOVAL_SECONDS, kubernetesName } from '../../src/model/deploy.ts';
import type { AppModel, AppSpec } from '../../src/model/types.ts';
import { projections } from '../../src/projections/index.ts';
import { ENV_FILE, KUBERNETES_DIR, renderKubernetes } from '../../src/projections/kubernetes.ts';
import { renderApp } from '../../src/render.ts';
import { type KubeObject, kustomize, validateObject, writeFiles } from '../support/kubernetes.ts';
import { apiSpec } from '../support/spec.ts';

const test = suite('kubernetes manifests and the compose app profile');

/** One entry per kind and combination. */
const CASES: Array<{ label: string; spec: AppSpec }> = [
  { label: 'api', spec: apiSpec({ capabilities: [] }) },
  { label: 'api+postgres', spec: apiSpec({ capabilities: ['postgres'] }) },
  { label: 'api+postgres+worker', spec: apiSpec({ capabilities: ['postgres', 'redis', 'worker'] }) },
  { label: 'worker', spec: apiSpec({ name: '@acme/Jobs_Runner', kind: 'worker', capabilities: ['redis', 'worker'] }) },
  { label: 'client', spec: apiSpec({ name: 'my-client', kind: 'client', capabilities: [] }) },
  {
    label: 'client+error-reporting',
    spec: apiSpec({ name: 'my-client', kind: 'client', capabilities: ['error-reporting'] }),
  },
  { label: 'api+postgres+error-reporting', spec: apiSpec({ capabilities: ['postgres', 'error-reporting'] }) },
  {
    label: 'api+storage+schedule',
    spec: apiSpec({
      // Long enough that a CronJob's name must be shortened to its 52-character limit.
      name: '@acme/a-rather-long-service-name-for-the-limits',
      capabilities: ['storage', 'schedule'],
      tasks: [
        { name: 'nightly-report', cron: '0 2 * * *', timezone: 'Europe/Paris' },
        { name: 'sweep-the-uploads-of-yesterday', cron: '*/5 * * * *' },
      ],
    }),
  },
  {
    label: 'worker+schedule',
    spec: apiSpec({
      kind: 'worker',
      capabilities: ['redis', 'worker', 'schedule'],
      tasks: [{ name: 'hourly', cron: '@hourly' }],
    }),
  },
];

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twelve-k8s-'));
test.after(() => fs.rmSync(root, { recursive: true, force: true }));

/** The Procfile as a platform reads it: process type → command. */
function procfile(text: string): Map<string, string> {
  return new Map(
    text
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()] as [string, string]),
  );
}

const byKind = (objects: KubeObject[], kind: string) => objects.filter((object) => object.kind === kind);
const component = (object: KubeObject) => object.metadata.labels?.['app.kubernetes.io/component'];
/** The pod of a Deployment, a Job or a CronJob's jobs. */
const podOf = (object: KubeObject) =>
  object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec;
const envOf = (container: any): Record<string, any> =>
  Object.fromEntries((container.env ?? []).map((entry: any) => [entry.name, entry]));

/** What a deploy writes into an overlay's git-ignored env file: a value of its own for each variable. */
const deployValue = (environment: string, name: string) => `https://${environment}.example.test/${name.toLowerCase()}`;

/** Builds the case's manifests once: base and overlays (each with its env file written) through kubectl kustomize. */
function build(label: string, model: AppModel) {
  const dir = path.join(root, label);
  const files = projections(model);
  writeFiles(dir, files);
  const kube = path.join(dir, KUBERNETES_DIR);
  const overlays = model.deploy.environments.map((environment) => environment.name);
  for (const environment of model.deploy.environments)
    fs.writeFileSync(
      path.join(kube, 'overlays', environment.name, ENV_FILE),
      Object.keys(environment.envFile)
        .map((name) => `${name}=${deployValue(environment.name, name)}\n`)
        .join(''),
    );
  return {
    files,
    base: kustomize(path.join(kube, 'base')),
    overlays: Object.fromEntries(overlays.map((name) => [name, kustomize(path.join(kube, 'overlays', name))])),
  };
}

for (const { label, spec } of CASES) {
  const model = buildModel(spec);
  let built: ReturnType<typeof build> | undefined;
  const get = () => (built ??= build(label, model));

  test(`${label}: kubectl kustomize builds the base and every overlay, and every object passes the official schema`, () => {
    const { base, overlays } = get();
    assert.ok(base.length > 0);
    for (const object of [...base, ...Object.values(overlays).flat()]) validateObject(object);
    assert.equal(Object.keys(overlays), ['staging', 'production']);
    // The release step applies the config and the Job alone, by these labels.
    assert.equal(byKind(base, 'ConfigMap').map(component), ['config']);
  });

  test(`${label}: a Deployment per long-running Procfile process type with its command, the release process as a Job, one image`, () => {
    const { files, base } = get();
    const processes = procfile(files.Procfile!);
    const release = model.processes.find((process) => process.release);
    const scheduled = model.deploy.scheduled.map((process) => process.name);
    const longRunning = [...processes.keys()].filter((name) => name !== release?.name && !scheduled.includes(name));
    const deployments = byKind(base, 'Deployment');
    assert.equal(deployments.map(component).sort(), [...longRunning].sort());
    for (const deployment of deployments) {
      const [container, ...others] = deployment.spec.template.spec.containers;
      assert.is(others.length, 0);
      assert.is(container.command.join(' '), processes.get(component(deployment)!));
    }
    const jobs = byKind(base, 'Job');
    assert.equal(jobs.map(component), release ? [release.name] : []);
    for (const job of jobs) {
      assert.is(job.spec.template.spec.containers[0].command.join(' '), processes.get(release!.name));
      assert.is(job.spec.template.spec.restartPolicy, 'Never');
    }
    // A CronJob per scheduled process type, running its Procfile command, valid cron, one run at a time.
    const cronJobs = byKind(base, 'CronJob');
    assert.equal(cronJobs.map(component).sort(), [...scheduled].sort());
    for (const cronJob of cronJobs) {
      const pod = podOf(cronJob);
      assert.is(pod.containers[0].command.join(' '), processes.get(component(cronJob)!));
      assert.is(pod.restartPolicy, 'Never');
      assert.ok(cronJob.metadata.name.length <= 52, cronJob.metadata.name);
      const { schedule, timeZone, concurrencyPolicy } = cronJob.spec;
      assert.ok(new Cron(schedule, { paused: true, ...(timeZone ? { timezone: timeZone } : {}) }).nextRun());
      assert.is(concurrencyPolicy, 'Forbid');
      assert.ok(cronJob.spec.startingDeadlineSeconds > 0 && cronJob.spec.jobTemplate.spec.activeDeadlineSeconds > 0);
      assert.ok(cronJob.spec.successfulJobsHistoryLimit > 0 && cronJob.spec.failedJobsHistoryLimit > 0);
    }
    const images = new Set(
      [...deployments, ...jobs, ...cronJobs].flatMap((object) => podOf(object).containers.map((c: any) => c.image)),
    );
    assert.is(images.size, 1, [...images].join(', '));
  });

  test(`${label}: liveness /healthz, readiness /readyz and a startup probe on the port the process listens on`, () => {
    for (const deployment of byKind(get().base, 'Deployment')) {
      const process = model.processes.find((candidate) => candidate.name === component(deployment))!;
      assert.ok(process.health, `${process.name} has no health endpoint`);
      const container = deployment.spec.template.spec.containers[0];
      const port = container.ports.find((candidate: any) => candidate.name === container.livenessProbe.httpGet.port);
      assert.is(port?.containerPort, process.health.port);
      assert.is(
        envOf(container)[process.health.variable]?.value,
        String(process.health.port),
        `${process.health.variable} matches the container port`,
      );
      assert.is(container.livenessProbe.httpGet.path, '/healthz');
      assert.is(container.readinessProbe.httpGet.path, '/readyz');
      assert.is(container.startupProbe.httpGet.path, '/healthz');
      for (const probe of ['readinessProbe', 'startupProbe']) assert.is(container[probe].httpGet.port, port.name);
    }
  });

  test(`${label}: terminationGracePeriodSeconds exceeds the preStop delay plus SHUTDOWN_TIMEOUT_MS; SHUTDOWN_DELAY_MS matches the preStop delay`, () => {
    for (const deployment of byKind(get().base, 'Deployment')) {
      const pod = deployment.spec.template.spec;
      const container = pod.containers[0];
      const env = envOf(container);
      const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
      const timeoutMs = Number(env.SHUTDOWN_TIMEOUT_MS?.value);
      assert.ok(timeoutMs > 0, 'SHUTDOWN_TIMEOUT_MS is pinned in the Deployment');
      const process = model.processes.find((candidate) => candidate.name === component(deployment))!;
      const afterMs = process.shutdown?.afterTimeoutMs ?? 0;
      assert.ok(
        pod.terminationGracePeriodSeconds * 1_000 > preStop * 1_000 + timeoutMs + afterMs,
        `${process.name}: ${pod.terminationGracePeriodSeconds} s`,
      );
      if (process.name === 'web') {
        assert.is(preStop, ENDPOINT_REMOVAL_SECONDS);
        if (process.shutdown?.delayVariable)
          assert.is(env[process.shutdown.delayVariable]?.value, String(preStop * 1_000));
      } else {
        assert.is(preStop, 0, 'only routed processes wait for endpoint removal');
      }
    }
  });

  test(`${label}: no literal secret: secrets only by reference to a Secret the manifests do not contain`, () => {
    const { base, overlays, files } = get();
    const secrets = model.config.filter((variable) => variable.secret);
    const all = [...base, ...Object.values(overlays).flat()];
    assert.equal(byKind(all, 'Secret'), []);
    for (const configMap of byKind(all, 'ConfigMap')) {
      for (const variable of secrets)
        assert.not.ok(variable.name in (configMap.data ?? {}), `${variable.name} in a ConfigMap`);
    }
    for (const object of [...byKind(all, 'Deployment'), ...byKind(all, 'Job'), ...byKind(all, 'CronJob')]) {
      const env = envOf(podOf(object).containers[0]);
      for (const variable of secrets) {
        assert.is(env[variable.name]?.value, undefined, `${variable.name} as a literal in ${object.metadata.name}`);
        assert.is(
          env[variable.name]?.valueFrom?.secretKeyRef?.key,
          variable.name,
          `${variable.name} referenced in ${object.metadata.name}`,
        );
      }
    }
    const text = Object.entries(files)
      .filter(([file]) => file.startsWith(KUBERNETES_DIR))
      .map(([, contents]) => contents)
      .join('\n');
    for (const variable of secrets)
      if (variable.example !== '')
        assert.not.ok(text.includes(variable.example), `the example value of ${variable.name} appears in a manifest`);
  });

  test(`${label}: non-root, read-only root filesystem, no privilege escalation, capabilities dropped, requests and limits`, () => {
    const { base } = get();
    for (const object of [...byKind(base, 'Deployment'), ...byKind(base, 'Job'), ...byKind(base, 'CronJob')]) {
      const pod = podOf(object);
      assert.is(pod.securityContext.runAsNonRoot, true);
      assert.ok(pod.securityContext.runAsUser > 0);
      assert.is(pod.volumes, undefined, 'no volume when the app writes nowhere');
      for (const container of pod.containers) {
        assert.is(container.securityContext.readOnlyRootFilesystem, true);
        assert.is(container.securityContext.allowPrivilegeEscalation, false);
        assert.equal(container.securityContext.capabilities.drop, ['ALL']);
        for (const kind of ['requests', 'limits'])
          assert.ok(
            container.resources[kind].cpu && container.resources[kind].memory,
            `${kind} of ${object.metadata.name}`,
          );
      }
    }
  });

  test(`${label}: an autoscaler per process type, a Service on PORT and a PodDisruptionBudget for web only`, () => {
    const { base } = get();
    const deployments = byKind(base, 'Deployment');
    const autoscalers = byKind(base, 'HorizontalPodAutoscaler');
    assert.equal(
      autoscalers.map((hpa) => hpa.spec.scaleTargetRef.name).sort(),
      deployments.map((d) => d.metadata.name).sort(),
    );
    const web = deployments.find((deployment) => component(deployment) === 'web');
    const services = byKind(base, 'Service');
    const budgets = byKind(base, 'PodDisruptionBudget');
    assert.is(services.length, web ? 1 : 0);
    assert.is(budgets.length, web ? 1 : 0);
    if (!web) return;
    const podLabels = web.spec.template.metadata.labels;
    const matches = (selector: Record<string, string>) =>
      Object.entries(selector).every(([key, value]) => podLabels[key] === value);
    assert.ok(matches(services[0]!.spec.selector));
    assert.ok(matches(budgets[0]!.spec.selector.matchLabels));
    const port = web.spec.template.spec.containers[0].ports[0];
    assert.equal(services[0]!.spec.ports, [
      { name: port.name, port: Number(envOf(web.spec.template.spec.containers[0]).PORT.value), targetPort: port.name },
    ]);
  });

  test(`${label}: the overlays differ from the base only in config and replica counts`, () => {
    const { base, overlays } = get();
    // Names of generated ConfigMaps carry a hash of their content: compare without it.
    // Kustomize may emit patched objects in another order: compare them by kind and name.
    const byId = (a: KubeObject, b: KubeObject) =>
      `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`);
    const normalize = (objects: KubeObject[]) =>
      JSON.parse(
        JSON.stringify([...objects].sort(byId), (key, value) => {
          // `optional`: an environment may require a secret the app runs without elsewhere (SENTRY_DSN).
          if (key === 'data' || key === 'minReplicas' || key === 'maxReplicas' || key === 'optional') return undefined;
          // A strategic merge patch moves the patched variable to the front of `env`; no value refers to it.
          if (key === 'env') return [...value].sort((a: any, b: any) => a.name.localeCompare(b.name));
          return typeof value === 'string' ? value.replace(/-config-[a-z0-9]{10}$/, '-config') : value;
        }),
      );
    for (const [name, objects] of Object.entries(overlays)) {
      assert.equal(normalize(objects), normalize(base), name);
      const environment = model.deploy.environments.find((candidate) => candidate.name === name)!;
      for (const hpa of byKind(objects, 'HorizontalPodAutoscaler')) {
        const wanted = environment.replicas[component(hpa)!]!;
        assert.equal(
          [hpa.spec.minReplicas, hpa.spec.maxReplicas],
          [wanted.min, wanted.max],
          `${name} ${hpa.metadata.name}`,
        );
      }
      const [configMap] = byKind(objects, 'ConfigMap');
      for (const [key, value] of Object.entries(environment.config))
        assert.is(configMap?.data?.[key], value, `${name} ${key}`);
      for (const key of Object.keys(environment.envFile))
        assert.is(configMap?.data?.[key], deployValue(name, key), `${name} ${key} from ${ENV_FILE}`);
    }
  });

  test(`${label}: the overlays commit no host or URL; a deploy's values come from its git-ignored ${ENV_FILE}, and without it the build fails`, () => {
    const { files } = get();
    for (const environment of model.deploy.environments) {
      const dir = `${KUBERNETES_DIR}/overlays/${environment.name}`;
      const committed = Object.entries(files).filter(([file]) => file.startsWith(`${dir}/`));
      for (const [file, text] of committed) {
        const values = text.split('\n').filter((line) => !line.startsWith('#'));
        assert.not.ok(
          values.some((line) => /[a-z]+:\/\/|localhost/.test(line)),
          `${file} commits a host or URL: ${values.find((line) => /[a-z]+:\/\/|localhost/.test(line))}`,
        );
      }
      assert.is(
        files[`${dir}/.gitignore`],
        `# Each deploy's own values (hosts, URLs): written by the delivery workflow or the operator, never committed.\n/${ENV_FILE}\n`,
      );
      const example = files[`${dir}/${ENV_FILE}.example`]!;
      for (const key of Object.keys(environment.envFile)) assert.match(example, new RegExp(`^${key}=$`, 'm'));
    }
    // The base holds no variable without a default either: a forgotten value is missing, never localhost.
    const base = parseYaml(files[`${KUBERNETES_DIR}/base/kustomization.yaml`]!) as any;
    const baseKeys = base.configMapGenerator[0].literals.map((literal: string) =>
      literal.slice(0, literal.indexOf('=')),
    );
    for (const variable of model.config.filter((candidate) => candidate.default === undefined))
      assert.not.ok(baseKeys.includes(variable.name), `${variable.name} in the base`);
    assert.is(base.images, undefined, 'the image is set per deploy, by digest');
    // Without the env file the deploy stops at the build, before anything reaches the cluster.
    const copy = path.join(root, `${label}-missing-env`);
    writeFiles(copy, files);
    assert.throws(
      () => kustomize(path.join(copy, KUBERNETES_DIR, 'overlays', 'production')),
      (err: Error) => err.message.includes(ENV_FILE),
    );
  });

  test(`${label}: each environment files its errors under its own name; production requires SENTRY_DSN when errors are reported`, () => {
    const { overlays } = get();
    const reporting = model.config.some((variable) => variable.name === 'SENTRY_DSN');
    for (const [name, objects] of Object.entries(overlays)) {
      const [configMap] = byKind(objects, 'ConfigMap');
      assert.is(configMap?.data?.SENTRY_ENVIRONMENT, reporting ? name : undefined, `${name} SENTRY_ENVIRONMENT`);
      for (const object of [...byKind(objects, 'Deployment'), ...byKind(objects, 'Job')]) {
        const dsn = envOf(object.spec.template.spec.containers[0]).SENTRY_DSN;
        if (!reporting) {
          assert.is(dsn, undefined);
          continue;
        }
        assert.is(dsn.valueFrom.secretKeyRef.key, 'SENTRY_DSN');
        assert.is(
          dsn.valueFrom.secretKeyRef.optional,
          name !== 'production',
          `${name} ${object.metadata.name}: SENTRY_DSN optional`,
        );
      }
    }
  });

  test(`${label}: the image the delivery workflow sets by digest (kustomize edit set image) reaches every container`, () => {
    const { files } = get();
    const dir = path.join(root, `${label}-digest`);
    writeFiles(dir, files);
    const overlay = path.join(dir, KUBERNETES_DIR, 'overlays', 'staging');
    fs.writeFileSync(path.join(overlay, ENV_FILE), '');
    // What `kustomize edit set image NAME=ghcr.io/acme/app@sha256:…` writes into the overlay's kustomization.
    const digest = `sha256:${'a'.repeat(64)}`;
    const kustomization = parseYaml(fs.readFileSync(path.join(overlay, 'kustomization.yaml'), 'utf8'));
    kustomization.images = [{ name: model.deploy.image, newName: 'ghcr.io/acme/app', digest }];
    fs.writeFileSync(path.join(overlay, 'kustomization.yaml'), JSON.stringify(kustomization));
    const objects = kustomize(overlay);
    const containers = [...byKind(objects, 'Deployment'), ...byKind(objects, 'Job')].flatMap(
      (object) => object.spec.template.spec.containers,
    );
    assert.ok(containers.length > 0);
    for (const container of containers) assert.is(container.image, `ghcr.io/acme/app@${digest}`);
  });

  test(`${label}: the compose app profile runs every Procfile process from one built image, the release process first`, () => {
    const { files } = get();
    const processes = procfile(files.Procfile!);
    const compose = parseYaml(files['docker-compose.yml']!) as { services: Record<string, any> };
    const app = Object.entries(compose.services).filter(([, service]) => service.profiles?.includes('app'));
    const scheduled = model.deploy.scheduled.map((process) => process.name);
    assert.equal(
      app.map(([name]) => name).sort(),
      [...processes.keys()].filter((name) => !scheduled.includes(name)).sort(),
    );
    // The scheduled ones under the `tasks` profile, each its Procfile command, run once (no restart).
    const tasks = Object.entries(compose.services).filter(([, service]) => service.profiles?.includes('tasks'));
    assert.equal(tasks.map(([name]) => name).sort(), [...scheduled].sort());
    for (const [name, service] of tasks) {
      assert.is(service.command.join(' '), processes.get(name));
      assert.is(service.restart, 'no');
    }
    const release = model.processes.find((process) => process.release);
    for (const [name, service] of app) {
      assert.is(service.command.join(' '), processes.get(name));
      assert.is(service.image, `${model.deploy.image}:local`);
      assert.equal(service.build, { context: '.', args: { GIT_COMMIT: '${GIT_COMMIT:-local}' } });
      for (const backing of model.services)
        assert.equal(service.depends_on[backing.name], { condition: 'service_healthy' });
      if (release && name !== release.name)
        assert.equal(service.depends_on[release.name], { condition: 'service_completed_successfully' });
      if (name !== release?.name) {
        // `docker compose down` waits this long before SIGKILL: longer than the drain the app allows itself.
        const timeoutMs = Number(model.config.find((variable) => variable.name === 'SHUTDOWN_TIMEOUT_MS')?.default);
        assert.ok(
          Number(/^(\d+)s$/.exec(service.stop_grace_period)?.[1]) * 1_000 > timeoutMs,
          `${name} stop_grace_period ${service.stop_grace_period}`,
        );
      }
      for (const backing of model.services) {
        const variable = backing.connection!.variable;
        assert.is(
          new URL(service.environment[variable]).hostname,
          backing.name,
          `${name} reaches ${backing.name} by its compose host name`,
        );
      }
    }
    for (const backing of model.services)
      assert.is(compose.services[backing.name].profiles, undefined, 'backing services run without a profile');
  });

  test(`${label}: compose publishes every port on 127.0.0.1 only`, () => {
    const compose = parseYaml(get().files['docker-compose.yml']!) as { services: Record<string, any> };
    const ports = Object.values(compose.services).flatMap((service) => service.ports ?? []);
    assert.ok(ports.length > 0);
    for (const port of ports) assert.match(port, /^127\.0\.0\.1:\d+:\d+$/);
  });
}

test('a writable directory in the model becomes an emptyDir mounted in every container, and nothing else does', () => {
  const model = buildModel(apiSpec());
  const files = renderKubernetes({ ...model, writableDirs: ['/tmp'] });
  const dir = path.join(root, 'writable');
  writeFiles(dir, files);
  for (const object of kustomize(path.join(dir, KUBERNETES_DIR, 'base')).filter(
    (o) => o.kind === 'Deployment' || o.kind === 'Job',
  )) {
    const pod = object.spec.template.spec;
    assert.equal(pod.volumes, [{ name: 'tmp', emptyDir: {} }]);
    for (const container of pod.containers) assert.equal(container.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
  }
});

test('the worker hand-back time in the model is the default of the generated worker-shutdown module', () => {
  const source = String(
    renderApp(buildModel(apiSpec({ kind: 'worker', capabilities: ['redis', 'worker'] }))).get('src/worker-shutdown.ts'),
  );
  assert.is(Number(/graceMs = ([\d_]+),/.exec(source)?.[1]?.replaceAll('_', '')), WORKER_HAND_BACK_MS);
});

test('a delay as long as the shutdown timeout is refused: the app would have no time left to drain', () => {
  const model = buildModel(apiSpec());
  const config = model.config.map((variable) =>
    variable.name === 'SHUTDOWN_TIMEOUT_MS' ? { ...variable, default: '5000' } : variable,
  );
  assert.throws(
    () => deployModel({ ...model, config }),
    /SHUTDOWN_DELAY_MS \(5000\) must be below SHUTDOWN_TIMEOUT_MS \(5000\)/,
  );
});

test('object names are DNS-1123 labels made from the package name', () => {
  assert.is(kubernetesName('@acme/Jobs_Runner'), 'jobs-runner');
  assert.is(kubernetesName('my-api'), 'my-api');
  assert.is(kubernetesName('@x/___'), 'app');
  assert.ok(kubernetesName('a'.repeat(80)).length <= 40);
});

test.run();
