/**
 * Issue 21: what a repository holds is input from anyone who can push to it. Each case replays an
 * attack with the packed CLI (a hostile `generatorVersion`, a package whose `preinstall` writes a marker
 * served over HTTP, links to files outside the app, malformed `.yo-rc.json` files) and proves it is
 * refused with one line, runs nothing, and writes nothing outside the app or into the cache.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GIT_IDENTITY } from '../support/git.ts';
import { assertRefused } from '../support/refused.ts';
import { listTree, packedCli, runCli, tempDir } from '../support/scaffold.ts';

const test = suite('untrusted input: nothing recorded in an app runs code or writes outside it');

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'update');
const WITH_WORKER = {
  label: 'api-worker',
  from: path.join(FIXTURES, 'packages', 'create-twelve-app-0.0.0-g0eca872.tgz'),
};
const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd, env: { ...process.env, ...GIT_IDENTITY } });

let work: string;
let marker: string;
let evilTarball: string;
let server: http.Server;
let served = 0;
let evilUrl: string;

/** A package whose `preinstall` writes the marker file: what an attacker would make `npm install` run. */
async function evilPackage(name: string, version: string): Promise<string> {
  const dir = path.join(tempDir('evil-src'), 'package');
  fs.mkdirSync(dir, { recursive: true });
  const script = `node -e "require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')"`;
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name, version, scripts: { preinstall: script, install: script, postinstall: script } }),
  );
  const destination = tempDir('evil-pack');
  const packed = await execa('npm', ['pack', '--ignore-scripts', '--pack-destination', destination, '--json'], {
    cwd: dir,
  });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  return path.join(destination, filename);
}

let generated: Promise<string> | undefined;

/** A copy of an app generated once (no install), committed, with its spec edited by `edit`. */
async function app(edit: (spec: Record<string, unknown>) => void = () => {}): Promise<string> {
  generated ??= (async () => {
    const cwd = tempDir('untrusted-app');
    const created = await runCli(
      ['app', '--kind', 'api', '--db', 'postgres', '--yes', '--skip-install', '--skip-git'],
      { cwd },
    );
    assert.is(created.exitCode, 0, String(created.stderr));
    return path.join(cwd, 'app');
  })();
  const dir = path.join(tempDir('untrusted-copy'), 'app');
  fs.cpSync(await generated, dir, { recursive: true });
  editSpec(dir, edit);
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'as committed');
  return dir;
}

function editSpec(dir: string, edit: (spec: Record<string, unknown>) => void): void {
  const file = path.join(dir, '.yo-rc.json');
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(saved['create-twelve-app']);
  // A value too deep for JSON.stringify is spliced in as text.
  const deep = saved['create-twelve-app'].deep;
  delete saved['create-twelve-app'].deep;
  const text = JSON.stringify(saved, null, 2);
  fs.writeFileSync(
    file,
    `${typeof deep === 'string' ? text.replace('"kind":', `"deep": ${deep},\n    "kind":`) : text}\n`,
  );
}

/** Every file below `dir` with its contents and mode: "nothing outside changed" compares two of these. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of listTree(dir)) {
    const absolute = path.join(dir, entry);
    const stat = fs.lstatSync(absolute);
    files[entry] = stat.isFile() ? fs.readFileSync(absolute, 'utf8') : stat.isDirectory() ? '(dir)' : '(other)';
  }
  return files;
}

test.before(async () => {
  await packedCli();
  work = tempDir('untrusted');
  marker = path.join(work, 'MARKER');
  evilTarball = await evilPackage('evil', '1.0.0');
  server = http.createServer((_request, response) => {
    served += 1;
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    fs.createReadStream(evilTarball).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  evilUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/evil.tgz`;
});

test.after(() => {
  server.close();
});

test('a hostile generatorVersion (http URL, file: path, a / in it) is refused by update and update --check: nothing fetched, run or cached', async () => {
  for (const version of [evilUrl, 'file:../../../../../etc', `file:${evilTarball}`, '1.0.0/../../../x', '^1.0.0']) {
    const dir = await app((spec) => {
      spec.generatorVersion = version;
    });
    const cache = tempDir('untrusted-cache');
    for (const args of version.includes(':') ? [['update', '--check'], ['update']] : [['update', '--check']]) {
      const result = await runCli(args, { cwd: dir, env: { CREATE_TWELVE_APP_CACHE: cache } });
      assertRefused(result, /generatorVersion must be an exact version such as 1\.4\.0/);
      assert.is(result.exitCode, 1);
    }
    assert.equal(listTree(cache), [], `the cache stays empty for ${version}`);
    assert.is((await git(dir, 'status', '--porcelain')).stdout, '', 'the app is untouched');
  }
  assert.is(served, 0, 'nothing was fetched from the attacker URL');
  assert.not.ok(fs.existsSync(marker), 'no lifecycle script ran');
});

test('update --from a package that is not ours is refused before it is installed: no script runs, the cache stays empty', async () => {
  const dir = await app((spec) => {
    spec.generatorVersion = '0.0.1';
  });
  const cache = tempDir('untrusted-cache');
  for (const args of [
    ['update', '--check', '--from', evilTarball],
    ['update', '--from', evilTarball],
  ]) {
    const result = await runCli(args, { cwd: dir, env: { CREATE_TWELVE_APP_CACHE: cache } });
    assertRefused(result, /is not a create-twelve-app package/);
  }
  const notTarball = path.join(work, 'not-a-tarball.tgz');
  fs.writeFileSync(notTarball, 'hello');
  assertRefused(
    await runCli(['update', '--check', '--from', notTarball], { cwd: dir, env: { CREATE_TWELVE_APP_CACHE: cache } }),
    /is not a/,
  );
  assert.equal(listTree(cache), []);
  assert.not.ok(fs.existsSync(marker), 'no lifecycle script ran');
});

test('update --check --from our name and version with lifecycle scripts installs it without running them', async () => {
  const dir = await app((spec) => {
    spec.generatorVersion = '0.0.1';
  });
  const impostor = await evilPackage('create-twelve-app', '0.0.1');
  const result = await runCli(['update', '--check', '--from', impostor], {
    cwd: dir,
    env: { CREATE_TWELVE_APP_CACHE: tempDir('untrusted-cache') },
  });
  // It names itself create-twelve-app 0.0.1 but has no CLI: one line, and its scripts never ran.
  assertRefused(result, /has no built create-twelve-app CLI/);
  assert.not.ok(fs.existsSync(marker), 'no lifecycle script ran');
});

test('a recorded house template runs only when its source is trusted (--trust-template)', async () => {
  const dir = await app((spec) => {
    spec.generatorVersion = '0.0.1';
    spec.template = { name: '@evil/house', version: '1.0.0', source: '@evil/house@^1', type: 'npm', answers: {} };
  });
  const cache = tempDir('untrusted-cache');
  const refused = await runCli(['update', '--check'], { cwd: dir, env: { CREATE_TWELVE_APP_CACHE: cache } });
  assertRefused(
    refused,
    /house template "@evil\/house@\^1" \(npm, in \.yo-rc\.json\), which is not trusted: if you trust it, pass --trust-template @evil/,
  );
  // Trusting another scope is not trusting this one.
  assertRefused(
    await runCli(['update', '--check', '--trust-template', '@acme'], {
      cwd: dir,
      env: { CREATE_TWELVE_APP_CACHE: cache },
    }),
    /which is not trusted/,
  );
  const inRepo = await app((spec) => {
    spec.generatorVersion = '0.0.1';
    spec.template = { name: 'house', version: '1.0.0', source: './house', type: 'directory', answers: {} };
  });
  assertRefused(
    await runCli(['update', '--check'], { cwd: inRepo, env: { CREATE_TWELVE_APP_CACHE: cache } }),
    /house template "\.\/house" \(directory, in \.yo-rc\.json\), which is not trusted/,
  );
  assert.equal(listTree(cache), []);
});

test('generating with --force never writes through links to files or folders outside the app', async () => {
  const cwd = tempDir('untrusted-force');
  const outside = path.join(cwd, 'outside');
  fs.mkdirSync(path.join(outside, 'src'), { recursive: true });
  fs.writeFileSync(path.join(outside, 'README.md'), 'not yours\n');
  fs.writeFileSync(path.join(outside, 'package.json'), '{"name":"not-yours"}\n');
  const before = snapshot(outside);
  const target = path.join(cwd, 'target');
  fs.mkdirSync(target);
  fs.symlinkSync(path.join(outside, 'README.md'), path.join(target, 'README.md'));
  fs.symlinkSync('../outside/package.json', path.join(target, 'package.json'));
  const files = await runCli(
    ['target', '--kind', 'api', '--db', 'postgres', '--force', '--yes', '--skip-install', '--skip-git'],
    { cwd },
  );
  assertRefused(
    files,
    /target\/(README\.md|package\.json) is a symbolic link to .*outside\/(README\.md|package\.json), outside the app: nothing was written/,
  );
  fs.rmSync(path.join(target, 'README.md'));
  fs.rmSync(path.join(target, 'package.json'));
  fs.symlinkSync(path.join(outside, 'src'), path.join(target, 'src'));
  const folder = await runCli(
    ['target', '--kind', 'api', '--db', 'postgres', '--force', '--yes', '--skip-install', '--skip-git'],
    { cwd },
  );
  assertRefused(folder, /target\/src is a symbolic link to .*outside\/src, outside the app/);
  assert.equal(snapshot(outside), before, 'nothing outside changed');
  assert.equal(listTree(target), ['src'], 'nothing was written inside either');
});

test('add worker never writes through links outside the app (Procfile, src)', async () => {
  const dir = await app();
  const outside = tempDir('untrusted-outside');
  fs.renameSync(path.join(dir, 'Procfile'), path.join(outside, 'Procfile'));
  fs.symlinkSync(path.join(outside, 'Procfile'), path.join(dir, 'Procfile'));
  fs.cpSync(path.join(dir, 'src'), path.join(outside, 'src'), { recursive: true });
  fs.rmSync(path.join(dir, 'src'), { recursive: true });
  fs.symlinkSync(path.join(outside, 'src'), path.join(dir, 'src'));
  const before = snapshot(outside);
  const appBefore = snapshot(dir);
  const result = await runCli(['add', 'worker', '--yes', '--skip-install', '--force'], { cwd: dir });
  assertRefused(result, /(Procfile|src) is a symbolic link to .*, outside the app: nothing was written/);
  assert.equal(snapshot(outside), before, 'nothing outside changed');
  assert.equal(snapshot(dir), appBefore, 'nothing inside changed');
});

test('update never writes through a link outside the app', async () => {
  const dir = path.join(tempDir('untrusted-update'), WITH_WORKER.label);
  fs.cpSync(path.join(FIXTURES, WITH_WORKER.label), dir, { recursive: true });
  const outside = tempDir('untrusted-outside');
  fs.renameSync(path.join(dir, 'src'), path.join(outside, 'src'));
  fs.symlinkSync(path.join(outside, 'src'), path.join(dir, 'src'));
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'src is a link');
  const before = snapshot(outside);
  const result = await runCli(['update', '--from', WITH_WORKER.from, '--skip-install'], {
    cwd: dir,
    env: { CREATE_TWELVE_APP_CACHE: tempDir('untrusted-cache') },
  });
  assertRefused(result, /src is a symbolic link to .*, outside the app: nothing was written/);
  assert.equal(snapshot(outside), before, 'nothing outside changed');
  assert.is((await git(dir, 'status', '--porcelain')).stdout, '', 'nothing inside changed');
});

test('malformed .yo-rc.json: one line saying what is wrong, exit 1, never a stack', async () => {
  const cases: Array<[string, (spec: Record<string, unknown>) => void, RegExp]> = [
    [
      'name with ../',
      (spec) => void (spec.name = '../../evil'),
      /create-twelve-app\.name must be a valid npm package name/,
    ],
    [
      'name with a newline',
      (spec) => void (spec.name = 'app\nrm -rf'),
      /create-twelve-app\.name must be a valid npm package name/,
    ],
    [
      'unknown kind',
      (spec) => void (spec.kind = 'daemon'),
      /create-twelve-app\.kind is "daemon", which is not a kind create-twelve-app knows/,
    ],
    [
      'unknown capability',
      (spec) => void (spec.capabilities = ['postgres', 'rootkit']),
      /create-twelve-app\.capabilities\.1 is "rootkit"/,
    ],
    [
      'a template without a version',
      (spec) => void (spec.template = { name: 'h', source: './h', type: 'directory' }),
      /create-twelve-app\.template\.version/,
    ],
    [
      'deeply nested',
      (spec) => void (spec.deep = '['.repeat(50_000) + ']'.repeat(50_000)),
      /nests deeper than 16 levels/,
    ],
  ];
  for (const [label, edit, message] of cases) {
    const dir = await app(edit);
    for (const args of [
      ['update', '--check'],
      ['add', 'worker', '--yes', '--skip-install'],
    ]) {
      const result = await runCli(args, { cwd: dir });
      assertRefused(result, message);
      assert.is(result.exitCode, 1, `${label}: ${args.join(' ')}`);
    }
  }
  const big = await app((spec) => {
    spec.padding = 'x'.repeat(2 * 1024 * 1024);
  });
  assertRefused(
    await runCli(['update', '--check'], { cwd: big }),
    /\.yo-rc\.json is 2\d\d\d kB, more than a spec can be/,
  );
  assertRefused(
    await runCli(['add', 'worker', '--yes'], { cwd: big }),
    /\.yo-rc\.json is 2\d\d\d kB, more than a spec can be/,
  );
});

test('--template that is not a tarball: one line, exit 1', async () => {
  const cwd = tempDir('untrusted-template');
  fs.writeFileSync(path.join(cwd, 'house.tgz'), 'not a tarball');
  const result = await runCli(['app', '--template', './house.tgz', '--yes', '--skip-install', '--skip-git'], { cwd });
  assertRefused(result, /--template \.\/house\.tgz is not a readable tarball/);
  assert.is(result.exitCode, 1);
  assert.equal(listTree(cwd), ['house.tgz']);
});

test.run();
