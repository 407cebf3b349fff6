import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assertRefused } from '../support/refused.ts';
import { generatedApp, listTree, packedCli, runCli, tempDir } from '../support/scaffold.ts';

const test = suite('packed CLI: flags and refusals');

test.before(async () => {
  await packedCli();
});

test('--help lists the options and exits 0', async () => {
  const result = await runCli(['--help']);
  assert.is(result.exitCode, 0);
  for (const flag of [
    '--kind',
    '--db',
    '--name',
    '--package-manager',
    '--template',
    '--yes',
    '--skip-install',
    '--skip-git',
    '--dry-run',
    '--force',
  ]) {
    assert.ok(String(result.stdout).includes(flag), flag);
  }
});

test('--version prints the package version', async () => {
  const result = await runCli(['-v']);
  const own = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')).version;
  assert.is(String(result.stdout).trim(), own);
});

test('an unknown option is refused and nothing is written', async () => {
  const cwd = tempDir('cli');
  const result = await runCli(['app', '--yes', '--frobnicate'], { cwd });
  assertRefused(result, /Unknown option --frobnicate/);
  assert.equal(listTree(cwd), []);
});

test('an invalid package name is refused and nothing is written', async () => {
  const cwd = tempDir('cli');
  const result = await runCli(['app', '--yes', '--name', 'Not Valid'], { cwd });
  assertRefused(result, /"Not Valid" is not a valid npm package name/);
  assert.equal(listTree(cwd), []);
});

test('an unknown kind is refused', async () => {
  assertRefused(
    await runCli(['app', '--kind', 'lambda', '--yes'], { cwd: tempDir('cli') }),
    /--kind must be one of api, worker, client/,
  );
});

test('a non-empty directory is refused without --force and its files are untouched', async () => {
  const cwd = tempDir('cli');
  fs.mkdirSync(path.join(cwd, 'app'));
  fs.writeFileSync(path.join(cwd, 'app', 'keep.txt'), 'mine');
  const result = await runCli(['app', '--yes'], { cwd });
  assertRefused(result, /app is not empty: choose an empty or new directory, or pass --force/);
  assert.equal(listTree(cwd), ['app', 'app/keep.txt']);
  assert.is(fs.readFileSync(path.join(cwd, 'app', 'keep.txt'), 'utf8'), 'mine');
});

test('an unwritable location is refused', async () => {
  // /sys refuses writes even to root, where permission bits would not.
  assertRefused(await runCli(['/sys/twelve-app-test', '--yes']), /Cannot write to \/sys\/twelve-app-test/);
});

test('without a TTY and without --yes it exits at once, naming the flags to pass', async () => {
  const cwd = tempDir('cli');
  const result = await runCli(['app'], { cwd, timeout: 20_000 });
  assertRefused(result, /No terminal to ask questions in: pass --kind, --db, --error-reporting, or --yes/);
  assert.equal(listTree(cwd), []);
});

test('--dry-run prints the files and writes nothing', async () => {
  const cwd = tempDir('cli');
  const result = await runCli(['app', '--yes', '--dry-run'], { cwd });
  assert.is(result.exitCode, 0, String(result.stderr));
  assert.match(String(result.stdout), /package\.json/);
  assert.match(String(result.stdout), /Procfile/);
  assert.equal(listTree(cwd), []);
});

test('--skip-install --skip-git writes the app without a lockfile or repository, and says so', async () => {
  const cwd = tempDir('cli');
  const result = await runCli(['app', '--yes', '--skip-install', '--skip-git'], { cwd });
  assert.is(result.exitCode, 0, String(result.stderr));
  assert.match(String(result.stdout), /no package-lock\.json was written/);
  assert.ok(fs.existsSync(path.join(cwd, 'app', 'package.json')));
  assert.not.ok(fs.existsSync(path.join(cwd, 'app', 'package-lock.json')));
  assert.not.ok(fs.existsSync(path.join(cwd, 'app', '.git')));
});

test('Ctrl-C during install exits 130 and says exactly what is left', async () => {
  const cwd = tempDir('cli');
  const child = execa(await packedCli(), ['app', '--yes', '--skip-git'], { cwd, reject: false, stdin: 'ignore' });
  // The install step names itself once it handles Ctrl-C. Waiting for package.json plus a pause raced the
  // last files' writes, before the install step begins (a few hundred milliseconds on a loaded machine).
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const installing = () => stdout.includes('Installing dependencies with npm');
  for (let i = 0; i < 400 && !installing(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(installing(), 'the CLI never reached the install step');
  assert.ok(fs.existsSync(path.join(cwd, 'app', 'package.json')), 'the files are written before the install');
  child.kill('SIGINT');
  const result = await child;
  assert.is(result.exitCode, 130);
  assert.match(
    String(result.stderr),
    /Install interrupted: the app's files are in .*app, its dependencies are incomplete; run `npm install` there, or delete the directory\./,
  );
});

test('the package ships compiled code and templates, no sources or tests', async () => {
  const root = path.join(import.meta.dirname, '..', '..');
  const packed = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root });
  const files = (JSON.parse(packed.stdout) as [{ files: Array<{ path: string }> }])[0].files.map((file) => file.path);
  assert.ok(files.includes('dist/src/cli.js'));
  assert.ok(files.some((file) => file.startsWith('templates/api/')));
  const unexpected = files.filter(
    (file) =>
      !/^(dist\/(src|generators)\/.*\.(js|d\.ts)|templates\/.+|template-init\/.+|package\.json|README\.md|CHANGELOG\.md|LICENSE)$/.test(
        file,
      ),
  );
  assert.equal(unexpected, []);
});

test('--yes installs for real: exact versions, a lockfile that matches, and a first commit with a clean tree', async () => {
  const app = await generatedApp();
  const pkg = JSON.parse(fs.readFileSync(path.join(app.dir, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.join(app.dir, 'package-lock.json'), 'utf8'));
  for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
    assert.match(String(version), /^\d+\.\d+\.\d+$/, `${name}@${version} is not exact`);
    assert.is(lock.packages[`node_modules/${name}`]?.version, version, `lockfile disagrees on ${name}`);
  }
  const log = await execa('git', ['log', '--oneline'], { cwd: app.dir });
  assert.is(log.stdout.trim().split('\n').length, 1);
  const status = await execa('git', ['status', '--porcelain'], { cwd: app.dir });
  // The e2e build wrote dist/, which .gitignore keeps out; nothing else may differ.
  assert.is(status.stdout.trim(), '');
  const tracked = (await execa('git', ['ls-files'], { cwd: app.dir })).stdout.split('\n');
  assert.ok(tracked.includes('package-lock.json'));
  assert.ok(tracked.includes('.env.example'));
  assert.not.ok(
    tracked.some((file) => file === '.env' || file.startsWith('node_modules/') || file.startsWith('dist/')),
  );
  // With docker compose the services start with it; without (this machine), the next steps say so.
  const compose = (await execa('docker', ['compose', 'version'], { reject: false })).exitCode === 0;
  assert.match(
    app.stdout,
    compose
      ? /Next steps:\n {2}cd my-api\n {2}cp \.env\.example \.env\n {2}docker compose up -d\n {2}npm run migrate:dev\n {2}npm run dev/
      : /Next steps:\n {2}cd my-api\n {2}cp \.env\.example \.env\n {2}# docker compose is not available: .*\n {2}npm run migrate:dev .*\n {2}npm run dev/,
  );
});

test.run();
