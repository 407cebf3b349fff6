import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildModel } from '../../src/app-model.ts';
import { renderCompose } from '../../src/projections/compose.ts';
import { renderEnvExample } from '../../src/projections/env-example.ts';
import { renderKubernetes } from '../../src/projections/kubernetes.ts';
import { packageJson, renderPackageJson } from '../../src/projections/package-json.ts';
import { renderProcfile } from '../../src/projections/procfile.ts';
import { matchesGolden } from '../support/golden.ts';
import { apiSpec } from '../support/spec.ts';

const model = buildModel(apiSpec());

test('Procfile matches the reviewed golden file', () => {
  matchesGolden(renderProcfile(model), 'api-postgres/Procfile');
});

test('.env.example matches the reviewed golden file', () => {
  matchesGolden(renderEnvExample(model), 'api-postgres/env.example');
});

test('package.json matches the reviewed golden file', () => {
  matchesGolden(renderPackageJson(model), 'api-postgres/package.json');
});

test('docker-compose.yml matches the reviewed golden file', () => {
  matchesGolden(renderCompose(model) ?? '', 'api-postgres/docker-compose.yml');
});

test('the Kubernetes base and production overlay match the reviewed golden files', () => {
  const files = renderKubernetes(model);
  for (const file of [
    'base/kustomization.yaml',
    'base/web.yaml',
    'base/release.yaml',
    'overlays/production/kustomization.yaml',
  ]) {
    matchesGolden(files[`deploy/kubernetes/${file}`] ?? '', `api-postgres/kubernetes/${file}`);
  }
});

test('.env.example lists every config variable of the model, each with a comment', () => {
  const text = renderEnvExample(model);
  for (const variable of model.config) {
    assert.match(text, new RegExp(`# [^\\n]+\\n${variable.name}=`), variable.name);
  }
});

test('.env.example marks secrets and says they may come from a _FILE', () => {
  assert.match(renderEnvExample(model), /Secret: never commit it; may be given as a file path in DATABASE_URL_FILE/);
});

test('package.json pins engines and packageManager to the model', () => {
  const json = packageJson(model);
  assert.equal(json.engines, { node: `>=${model.node.version}` });
  assert.is(json.packageManager, 'npm@11.19.1');
  assert.is((json.scripts as Record<string, string>).start, 'node --env-file-if-exists=.env dist/server.js');
});

test('the Procfile and package.json agree on how the web process starts; only the local script reads .env', () => {
  const scripts = packageJson(model).scripts as Record<string, string>;
  assert.ok(renderProcfile(model).includes(`web: ${scripts.start!.replace(' --env-file-if-exists=.env', '')}\n`));
  assert.not.match(renderProcfile(model), /env-file/);
});

test('an app without backing services gets a docker-compose.yml with only the app profile', () => {
  const text = renderCompose(buildModel(apiSpec({ capabilities: [] }))) ?? '';
  assert.not.match(text, /docker compose up -d/);
  assert.match(text, /^# The whole app from its image, release first: docker compose --profile app up --build$/m);
  assert.not.match(text, /depends_on|volumes/);
});

test.run();
