/**
 * House templates end to end, from the packed CLI: `template init`, the template's own tests against
 * the packed CLI installed into it (as a platform team installs the published one), then a template
 * with an added file, an overridden built-in file, a default, a locked option and a config variable,
 * packed with npm, and apps generated from its tarball (installed, built, their own tests run), its
 * folder, and its package name installed in a node_modules; `add worker` keeps its files; each refusal;
 * and a Yeoman generator composing ours through the package's exports.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import * as tar from 'tar';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assertAppTestsPassed } from '../support/processes.ts';
import { assertRefused } from '../support/refused.ts';
import { listTree, packedCli, packedTarball, runCli, tempDir } from '../support/scaffold.ts';

const test = suite('house templates: template init, --template from a tarball, a folder, a package name');

const npm = (args: string[], cwd: string) => execa('npm', [...args, '--no-audit', '--no-fund'], { cwd });
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const saved = (app: string) => readJson(path.join(app, '.yo-rc.json'))['create-twelve-app'];

let work: string;
let house: string;
let packed: string;

test.before(async () => {
  await packedCli();
  work = tempDir('house');
});

test('template init scaffolds a package whose own tests pass with create-twelve-app installed', async () => {
  const result = await runCli(['template', 'init', '@acme/house'], { cwd: work });
  assert.is(result.exitCode, 0, String(result.stderr));
  house = path.join(work, 'house');
  assert.equal(listTree(house), [
    '.gitignore',
    'README.md',
    'package.json',
    'templates',
    'templates/docs',
    'templates/docs/ownership.md.ejs',
    'test',
    'test/template.test.mjs',
    'twelve-template.json',
  ]);
  assert.match(fs.readFileSync(path.join(house, 'README.md'), 'utf8'), /## `twelve-template\.json`/);
  // What `npm install -D create-twelve-app` does once it is published.
  await npm(['install', '--save-dev', await packedTarball()], house);
  const tested = await execa('npm', ['test'], { cwd: house, reject: false });
  assertAppTestsPassed(tested);
});

test('an edited template still passes its tests, and npm pack makes its tarball', async () => {
  fs.writeFileSync(
    path.join(house, 'templates/docs/runbook.md.ejs'),
    '# Runbook for <%= name %>\n\nOn call: <%= answers.team %>. Processes: <%= model.processes.map((p) => p.name).join(", ") %>.\n',
  );
  fs.writeFileSync(
    path.join(house, 'templates/Dockerfile.ejs'),
    // Pinned by digest: a house template may not drop the pin (src/house-template/supply-chain.ts).
    'FROM registry.acme.test/node:<%= model.node.major %>@sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\nCOPY . .\nCMD ["node", "dist/server.js"]\n',
  );
  const manifest = readJson(path.join(house, 'twelve-template.json'));
  manifest.defaults = { kind: 'api', db: 'none' };
  manifest.locked = ['kind'];
  manifest.config = [
    { name: 'ACME_TENANT', description: 'The Acme tenant this service serves.', example: 'acme', default: 'acme' },
  ];
  fs.writeFileSync(path.join(house, 'twelve-template.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  assertAppTestsPassed(await execa('npm', ['test'], { cwd: house, reject: false }));
  const result = await execa('npm', ['pack', '--json'], { cwd: house });
  packed = path.join(house, (JSON.parse(result.stdout) as [{ filename: string }])[0].filename);
  assert.ok(fs.existsSync(packed));
});

/** The house files of an app generated from the edited template, and what its .yo-rc.json records. */
function assertHouseApp(app: string, team: string, processes: string, capabilities: string[] = ['error-reporting']) {
  assert.is(
    fs.readFileSync(path.join(app, 'docs/runbook.md'), 'utf8'),
    `# Runbook for ${path.basename(app)}\n\nOn call: ${team}. Processes: ${processes}.\n`,
  );
  assert.match(
    fs.readFileSync(path.join(app, 'Dockerfile'), 'utf8'),
    /^FROM registry\.acme\.test\/node:24@sha256:d{64}\n/,
  );
  assert.match(fs.readFileSync(path.join(app, 'docs/ownership.md'), 'utf8'), new RegExp(`Owning team: ${team}`));
  assert.ok(fs.existsSync(path.join(app, 'src/server.ts')), 'the built-in files stay');
  assert.match(fs.readFileSync(path.join(app, '.env.example'), 'utf8'), /^ACME_TENANT=acme$/m);
  assert.match(fs.readFileSync(path.join(app, 'src/config.ts'), 'utf8'), /ACME_TENANT: \{/);
  const spec = saved(app);
  assert.equal(
    [spec.kind, spec.capabilities, spec.template.name, spec.template.version],
    ['api', capabilities, '@acme/house', '0.1.0'],
  );
}

test("from the tarball: installed, built, and the app's own tests (its config test with the house variable) pass", async () => {
  const cwd = tempDir('house-app');
  const result = await runCli(
    ['from-tarball', '--template', packed, '--yes', '--skip-git', '--answer', 'team=payments'],
    { cwd },
  );
  assert.is(result.exitCode, 0, String(result.stderr));
  const app = path.join(cwd, 'from-tarball');
  assertHouseApp(app, 'payments', 'web');
  assert.equal(saved(app).template, {
    name: '@acme/house',
    version: '0.1.0',
    source: path.relative(app, packed),
    type: 'tarball',
    answers: { team: 'payments' },
  });
  await npm(['run', 'build'], app);
  assertAppTestsPassed(await execa('npm', ['test'], { cwd: app, reject: false }));
});

test("from the folder, with --yes taking the prompt's default", async () => {
  const result = await runCli(['from-folder', '--template', house, '--yes', '--skip-install', '--skip-git'], {
    cwd: work,
  });
  assert.is(result.exitCode, 0, String(result.stderr));
  const app = path.join(work, 'from-folder');
  assertHouseApp(app, 'platform', 'web');
  assert.equal([saved(app).template.type, saved(app).template.source], ['directory', '../house']);
});

test('from a package name installed in a node_modules, then add worker keeps applying its files', async () => {
  const cwd = tempDir('house-installed');
  await npm(['install', '--prefix', cwd, packed], cwd);
  const result = await runCli(
    ['by-name', '--template', '@acme/house', '--yes', '--skip-install', '--skip-git', '--answer', 'team=search'],
    { cwd },
  );
  assert.is(result.exitCode, 0, String(result.stderr));
  const app = path.join(cwd, 'by-name');
  assertHouseApp(app, 'search', 'web');
  assert.equal([saved(app).template.type, saved(app).template.source], ['npm', '@acme/house']);
  // A range the installed version satisfies is answered from node_modules too, and recorded as given.
  const ranged = await runCli(
    ['by-range', '--template', '@acme/house@^0.1.0', '--yes', '--skip-install', '--skip-git'],
    { cwd },
  );
  assert.is(ranged.exitCode, 0, String(ranged.stderr));
  assert.equal(saved(path.join(cwd, 'by-range')).template.source, '@acme/house@^0.1.0');
  // --force: the app was made with --skip-git, and add (like update) wants a committed tree otherwise;
  // --trust-template: add re-renders with the recorded house template, which runs only when trusted.
  const added = await runCli(['add', 'worker', '--yes', '--skip-install', '--force', '--trust-template', '@acme'], {
    cwd: app,
  });
  assert.is(added.exitCode, 0, String(added.stderr));
  assertHouseApp(app, 'search', 'web, worker', ['redis', 'worker', 'error-reporting']);
  assert.match(fs.readFileSync(path.join(app, 'Procfile'), 'utf8'), /^worker: node dist\/worker\.js$/m);
});

/** A copy of the edited template with one change, as a folder. */
function variant(label: string, change: (dir: string) => void): string {
  const dir = path.join(tempDir(`house-${label}`), 'house');
  fs.cpSync(house, dir, {
    recursive: true,
    filter: (source) => !source.includes('node_modules') && !source.endsWith('.tgz'),
  });
  change(dir);
  return dir;
}

function editManifest(dir: string, edit: (manifest: Record<string, unknown>) => void) {
  const file = path.join(dir, 'twelve-template.json');
  const manifest = readJson(file);
  edit(manifest);
  fs.writeFileSync(file, JSON.stringify(manifest));
}

test('each refusal is one sentence with a non-zero exit, and nothing is written', async () => {
  const refusals: Array<[string[], RegExp]> = [
    [
      ['--template', house, '--kind', 'worker'],
      /^create-twelve-app: --kind is locked to api by the house template @acme\/house: run without --kind\.$/m,
    ],
    [
      ['--template', variant('old-cli', (dir) => editManifest(dir, (m) => (m.createTwelveApp = '>=99.0.0')))],
      /@acme\/house needs create-twelve-app >=99\.0\.0, and this is \d/,
    ],
    [
      ['--template', variant('bad-field', (dir) => editManifest(dir, (m) => (m.defaults = { kind: 'desktop' })))],
      /twelve-template\.json: defaults\.kind invalid option/,
    ],
    [
      [
        '--template',
        variant('bad-json', (dir) => fs.writeFileSync(path.join(dir, 'twelve-template.json'), '{ "defaults": ')),
      ],
      /twelve-template\.json is not valid JSON/,
    ],
    [
      [
        '--template',
        variant('escape', (dir) => {
          fs.mkdirSync(path.join(dir, 'templates/_.'));
          fs.writeFileSync(path.join(dir, 'templates/_./evil.sh'), 'x');
        }),
      ],
      /has templates\/_\.\/evil\.sh, which would land outside the app/,
    ],
    [
      [
        '--template',
        variant('symlink', (dir) => fs.symlinkSync('/etc/hostname', path.join(dir, 'templates/hostname'))),
      ],
      /has templates\/hostname, which is a symbolic link pointing outside the template/,
    ],
    [
      [
        '--template',
        variant('broken', (dir) => fs.writeFileSync(path.join(dir, 'templates/broken.md.ejs'), '<%= missing.value %>')),
      ],
      /failed to render templates\/broken\.md\.ejs \(line 1: missing is not defined\): nothing was written/,
    ],
    [
      ['--template', house, '--answer', 'colour=red'],
      /the house template @acme\/house asks no question "colour" \(it asks team\)/,
    ],
    [['--template', './not-here'], /--template \.\/not-here: there is no folder at/],
    [
      ['--template', '@create-twelve-app-test-nobody/no-such-house-template'],
      /npm could not fetch the house template "@create-twelve-app-test-nobody\/no-such-house-template"/,
    ],
  ];
  for (const [flags, message] of refusals) {
    const cwd = tempDir('house-refused');
    const result = await runCli(['app', '--yes', '--skip-install', '--skip-git', ...flags], { cwd });
    assertRefused(result, message);
    assert.equal(listTree(cwd), [], `something was written for ${flags.join(' ')}`);
  }
  const noTerminal = await runCli(
    ['app', '--template', house, '--db', 'none', '--error-reporting', 'sentry', '--skip-install'],
    { cwd: tempDir('house-refused') },
  );
  assertRefused(
    noTerminal,
    /No terminal to ask the house template's questions in: pass --answer team=<value>, or --yes/,
  );
});

test('a tarball with a path leading out of the template is refused whole, before anything is unpacked', async () => {
  const dir = tempDir('house-evil');
  fs.mkdirSync(path.join(dir, 'package'));
  fs.writeFileSync(path.join(dir, 'evil.txt'), 'x');
  fs.writeFileSync(path.join(dir, 'package/package.json'), '{"name":"evil","version":"1.0.0"}');
  // preservePaths keeps the `..` in the archive, as a hostile tarball would have it.
  await tar.c({ file: path.join(dir, 'evil.tgz'), gzip: true, cwd: path.join(dir, 'package'), preservePaths: true }, [
    'package.json',
    '../evil.txt',
  ]);
  const cwd = tempDir('house-refused');
  assertRefused(
    await runCli(['app', '--yes', '--template', path.join(dir, 'evil.tgz')], { cwd }),
    /is refused: \.\.\/evil\.txt would land outside the app/,
  );
  assert.equal(listTree(cwd), []);
});

test('a Yeoman generator composes ours through the package exports, with its types', async () => {
  const prefix = path.dirname(path.dirname(path.dirname(await packedCli())));
  fs.writeFileSync(
    path.join(prefix, 'acme-generator.mjs'),
    `import { fileURLToPath } from 'node:url';
import Generator from 'yeoman-generator';
import { createEnv } from 'yeoman-environment';

class AcmeGenerator extends Generator {
  async initializing() {
    await this.composeWith(fileURLToPath(import.meta.resolve('create-twelve-app/generators/app')), {
      flags: { directory: 'svc', kind: 'api', db: 'none', yes: true, skipInstall: true, skipGit: true },
    });
  }
  writing() {
    this.fs.write(this.destinationPath('svc/ACME.md'), 'Composed by Acme.\\n');
  }
}

const env = createEnv({ cwd: process.argv[2], skipInstall: true });
env.register(AcmeGenerator, { namespace: 'acme:app', packagePath: process.cwd() });
await env.runGenerator(await env.create('acme:app', { generatorArgs: [] }));
`,
  );
  fs.writeFileSync(
    path.join(prefix, 'acme-types.mts'),
    `import type AppGenerator from 'create-twelve-app/generators/app';
import type { AppOptions } from 'create-twelve-app/generators/app';
import type { AddOptions } from 'create-twelve-app/generators/worker';
export const options: Partial<AppOptions> = { flags: { kind: 'worker', yes: true } };
export const addOptions: Partial<AddOptions> = { flags: { yes: true } };
export type Composed = AppGenerator;
`,
  );
  fs.writeFileSync(
    path.join(prefix, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
      files: ['acme-types.mts'],
    }),
  );
  const tsc = path.join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsc');
  const typed = await execa(tsc, ['-p', path.join(prefix, 'tsconfig.json')], { reject: false });
  assert.is(typed.exitCode, 0, `the exported types do not check:\n${typed.stdout}\n${typed.stderr}`);
  const cwd = tempDir('house-compose');
  const result = await execa(process.execPath, [path.join(prefix, 'acme-generator.mjs'), cwd], {
    cwd: prefix,
    reject: false,
  });
  assert.is(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  assert.is(fs.readFileSync(path.join(cwd, 'svc/ACME.md'), 'utf8'), 'Composed by Acme.\n');
  assert.match(fs.readFileSync(path.join(cwd, 'svc/Procfile'), 'utf8'), /^web: node dist\/server\.js$/m);
});

test.run();
