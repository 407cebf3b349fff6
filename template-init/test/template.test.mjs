// Renders apps from this template with the create-twelve-app installed as a devDependency, as your
// teams will. Add a test here for every file you add or override in templates/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(path.join(root, 'twelve-template.json'), 'utf8'));

const cliPackage = fileURLToPath(import.meta.resolve('create-twelve-app/package.json'));
const cli = path.join(path.dirname(cliPackage), JSON.parse(readFileSync(cliPackage, 'utf8')).bin['create-twelve-app']);

const work = mkdtempSync(path.join(tmpdir(), 'house-template-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Generates an app from this folder without installing; returns a reader for its files. */
function generate(name, ...flags) {
  const result = spawnSync(process.execPath, [cli, name, '--template', root, '--yes', '--skip-install', '--skip-git', ...flags], {
    cwd: work,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr || result.stdout);
  return (file) => readFileSync(path.join(work, name, file), 'utf8');
}

test('renders an app and records this template in .yo-rc.json', () => {
  const read = generate('recorded-service');
  const saved = JSON.parse(read('.yo-rc.json'))['create-twelve-app'];
  assert.equal(saved.template.name, pkg.name);
  assert.equal(saved.template.version, pkg.version);
  assert.equal(saved.kind, manifest.defaults?.kind ?? 'api');
});

test('renders templates/ with the answers to its questions', () => {
  const read = generate('owned-service', '--answer', 'team=payments');
  assert.match(read('docs/ownership.md'), /Owning team: payments/);
});

test('puts its dependencies in package.json and its variables in .env.example', () => {
  const read = generate('configured-service');
  const generated = JSON.parse(read('package.json'));
  for (const [name, version] of Object.entries(manifest.dependencies ?? {})) assert.equal(generated.dependencies[name], version);
  for (const variable of manifest.config ?? []) assert.match(read('.env.example'), new RegExp(`^${variable.name}=`, 'm'));
});
