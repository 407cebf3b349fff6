/**
 * `fleet` end to end, from the packed CLI, with bare git repositories on disk as the remotes: an app an
 * older version rendered (test/fixtures/update/api-first, committed with its lockfile), an app this
 * version generates, and a repository that is not an app of ours. The old version's package comes from
 * the committed fixture tarball through `--base-from` (see docs/decisions.md: no registry needed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ownVersion } from '../../src/paths.ts';
import { launchBrowser, outputPath } from '../support/browser.ts';
import { GIT_IDENTITY } from '../support/git.ts';
import { runCli, tempDir } from '../support/scaffold.ts';

const test = suite('fleet: status and update across repositories');

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'update');
const OLD = {
  label: 'api-first',
  version: '0.0.0-ge678223',
  tarball: path.join(FIXTURES, 'packages', 'create-twelve-app-0.0.0-ge678223.tgz'),
};
const WORKER = {
  label: 'api-worker',
  tarball: path.join(FIXTURES, 'packages', 'create-twelve-app-0.0.0-g0eca872.tgz'),
};
const work = tempDir('fleet');
const env = { CREATE_TWELVE_APP_CACHE: path.join(work, 'cache'), ...GIT_IDENTITY };
const remotes = path.join(work, 'remotes');
/** A reviewer's clean environment: PATH and HOME, and the machine's extra CA (a TLS-inspecting proxy), if any. */
const cleanEnv = () => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
});
const output = (result: { stdout: unknown; stderr: unknown }) =>
  `stdout:\n${String(result.stdout)}\nstderr:\n${String(result.stderr)}`;
const git = async (cwd: string, ...args: string[]) =>
  String((await execa('git', args, { cwd, env: GIT_IDENTITY })).stdout).trim();

/** A folder committed on `main` and pushed to a new bare repository whose HEAD is `main`. */
async function remote(name: string, folder: string): Promise<string> {
  const bare = path.join(remotes, `${name}.git`);
  await execa('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  await git(folder, 'init', '-q', '-b', 'main');
  await git(folder, 'add', '-A');
  await git(folder, 'commit', '-q', '-m', `${name} as its team left it`);
  await git(folder, 'push', '-q', bare, 'main');
  return bare;
}

const heads = async (bare: string) =>
  (await git(bare, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads')).split('\n').sort();

let outdated: string;
let current: string;
let notOurs: string;
let reposFile: string;

test.before(async () => {
  try {
    await setUp();
  } catch (error) {
    // uvu reports a failing hook as failed cases without the reason: print it.
    console.error(error);
    throw error;
  }
});

async function setUp(): Promise<void> {
  const old = path.join(work, 'src', OLD.label);
  fs.cpSync(path.join(FIXTURES, OLD.label), old, { recursive: true });
  await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: old });
  outdated = await remote('orders-api', old);

  const created = await runCli(['inventory', '--kind', 'api', '--db', 'none', '--yes', '--skip-git'], {
    cwd: path.join(work, 'src'),
  });
  assert.is(created.exitCode, 0, output(created));
  current = await remote('inventory', path.join(work, 'src', 'inventory'));

  const other = path.join(work, 'src', 'docs-site');
  fs.mkdirSync(other, { recursive: true });
  fs.writeFileSync(
    path.join(other, 'package.json'),
    `${JSON.stringify({ name: 'docs-site', version: '1.0.0', type: 'module' }, null, 2)}\n`,
  );
  fs.writeFileSync(path.join(other, 'index.js'), "console.log('docs');\n");
  notOurs = await remote('docs-site', other);

  // The list as a platform team keeps it: comments, a blank line, a relative path.
  reposFile = path.join(work, 'repos.txt');
  fs.writeFileSync(
    reposFile,
    `# services\n${outdated}\n\nremotes/inventory.git  # relative to where fleet runs\n${notOurs}\n`,
  );
}

test('bad usage is one sentence and exit 2, before any repository is fetched', async () => {
  for (const [args, message] of [
    [['fleet', 'update', outdated], /fleet update needs --branch <name>/],
    [['fleet', 'status'], /fleet needs repositories/],
    [['fleet', 'sync', outdated], /Unknown fleet action "sync"/],
    [['fleet', 'status', outdated, '--concurrency', '0'], /--concurrency needs a whole number/],
    [['fleet', 'update', outdated, '--branch', 'a..b'], /not a valid git branch name/],
  ] as const) {
    const result = await runCli([...args], { cwd: work, env });
    assert.is(result.exitCode, 2, output(result));
    assert.match(String(result.stderr), message);
    assert.not.match(String(result.stderr), /\n\s+at /);
  }
  assert.not.ok(fs.existsSync(path.join(env.CREATE_TWELVE_APP_CACHE, 'fleet')), 'nothing fetched');
});

test('status --json: the outdated app with its version, the current one, the stranger with an error, every check summary', async () => {
  const html = path.join(work, 'fleet.html');
  const result = await runCli(['fleet', 'status', '--from', reposFile, '--json', '--html', html], { cwd: work, env });
  assert.is(result.exitCode, 1, output(result));
  const status = JSON.parse(String(result.stdout));
  assert.equal(Object.keys(status), ['repos', 'summary']);
  const [old, fresh, other] = status.repos;
  const keys = ['source', 'app', 'kind', 'generatorVersion', 'template', 'updateAvailable', 'check', 'error'];
  for (const repo of status.repos) {
    assert.equal(Object.keys(repo), keys);
    assert.equal(Object.keys(repo.check), ['pass', 'warn', 'fail', 'failing'], `a check summary for ${repo.source}`);
    assert.is(repo.check.pass + repo.check.warn + repo.check.fail, 12);
  }
  assert.equal(
    [old.source, old.app, old.kind, old.generatorVersion, old.template, old.updateAvailable, old.error],
    [outdated, 'orders-api', 'api', OLD.version, null, true, null],
  );
  assert.equal(
    [fresh.source, fresh.app, fresh.generatorVersion, fresh.updateAvailable, fresh.error],
    ['remotes/inventory.git', 'inventory', ownVersion(), false, null],
  );
  assert.equal([other.app, other.updateAvailable], [null, null]);
  assert.match(other.error, /^not an app generated by create-twelve-app/);
  assert.equal(status.summary, {
    repos: 3,
    apps: 2,
    upToDate: 1,
    updateAvailable: 1,
    failingCheck: status.repos.filter((repo: { check: { fail: number } }) => repo.check.fail > 0).length,
    errors: 1,
  });

  // The human table names the same facts.
  const table = await runCli(['fleet', 'status', outdated, current], { cwd: work, env });
  assert.match(
    String(table.stdout),
    new RegExp(`orders-api +api \\(postgres\\) +${OLD.version.replaceAll('.', '\\.')} +- +yes: `),
  );
  assert.match(String(table.stdout), /inventory +api\b.*? +0\.0\.0 +- +current/);

  const page = fs.readFileSync(html, 'utf8');
  assert.not.match(page, /(src|href)=["']?https?:|<script|<link /, 'no external asset, no script');
  assert.match(page, /<svg [^>]*aria-label="Apps by create-twelve-app version"/);
  const browser = await launchBrowser();
  try {
    const tab = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const requests: string[] = [];
    tab.on('request', (request) => requests.push(request.url()));
    await tab.goto(`file://${html}`);
    assert.is(await tab.locator('svg rect').count(), 2, 'one bar per version');
    assert.is(await tab.locator('table.drift tbody tr').count(), 3);
    assert.is(await tab.locator('table.grid td.cell').count(), 36, 'twelve factors per repository');
    assert.equal(requests, [`file://${html}`], 'the page loads nothing else');
    await tab.screenshot({ path: outputPath('fleet-status.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});

test('update --branch pushes one commit to the outdated repository only; default branches stay; the branch builds', async () => {
  const before = { outdated: await heads(outdated), current: await heads(current), notOurs: await heads(notOurs) };
  const result = await runCli(
    ['fleet', 'update', '--from', reposFile, '--branch', 'twelve/update', '--base-from', OLD.tarball, '--pr'],
    { cwd: work, env },
  );
  assert.is(result.exitCode, 0, output(result));
  const out = String(result.stdout);
  assert.match(
    out,
    new RegExp(`${outdated.replaceAll('.', '\\.')} +updated +twelve/update +${OLD.version.replaceAll('.', '\\.')} → `),
  );
  assert.match(out, /remotes\/inventory\.git +up to date/);
  assert.match(out, /docs-site\.git +skipped .*not an app generated by create-twelve-app/);
  assert.match(out, /1 updated, 1 up to date, 0 with conflicts, 0 failed, 1 skipped\./);
  // No gh on this machine: the command that would open the pull request is printed.
  assert.match(out, /gh pr create --base main --head twelve\/update --title /);

  assert.equal(await heads(current), before.current, 'the current app: no branch, main unchanged');
  assert.equal(await heads(notOurs), before.notOurs, 'not ours: no branch, main unchanged');
  const main = before.outdated.find((line) => line.startsWith('refs/heads/main '));
  assert.ok((await heads(outdated)).includes(main!), 'the outdated app: main unchanged');
  assert.is(await git(outdated, 'rev-list', '--count', 'main..twelve/update'), '1', 'one commit on the branch');
  assert.is(await git(outdated, 'rev-parse', 'twelve/update^'), main!.split(' ')[1], 'branched from main');
  const message = await git(outdated, 'log', '-1', '--format=%B', 'twelve/update');
  assert.match(
    message,
    new RegExp(
      `^Update create-twelve-app ${OLD.version.replaceAll('.', '\\.')} → ${ownVersion().replaceAll('.', '\\.')}\n`,
    ),
  );
  assert.match(message, /create-twelve-app check: \d+ pass, \d+ warn, \d+ fail/);

  // The branch as a reviewer's CI gets it: installs from its lockfile and builds.
  const clone = path.join(work, 'review');
  await execa('git', ['clone', '-q', '-b', 'twelve/update', outdated, clone]);
  const saved = JSON.parse(fs.readFileSync(path.join(clone, '.yo-rc.json'), 'utf8'))['create-twelve-app'];
  assert.is(saved.generatorVersion, ownVersion());
  const quiet = { cwd: clone, reject: false, extendEnv: false, env: cleanEnv(), timeout: 300_000 } as const;
  const ci = await execa('npm', ['ci', '--no-audit', '--no-fund'], quiet);
  assert.is(ci.exitCode, 0, output(ci));
  const build = await execa('npm', ['run', 'build'], quiet);
  assert.is(build.exitCode, 0, output(build));
});

test("a branch on origin holding someone else's commit is refused and left as it is", async () => {
  const clone = path.join(work, 'human');
  await execa('git', ['clone', '-q', '-b', 'twelve/update', outdated, clone]);
  fs.appendFileSync(path.join(clone, 'README.md'), '\nReviewed by a human.\n');
  await git(clone, 'commit', '-q', '-am', 'a reviewer adds a note');
  await git(clone, 'push', '-q', 'origin', 'twelve/update');
  const before = await heads(outdated);
  const result = await runCli(['fleet', 'update', outdated, '--branch', 'twelve/update', '--base-from', OLD.tarball], {
    cwd: work,
    env,
  });
  assert.is(result.exitCode, 1, output(result));
  assert.match(
    String(result.stdout),
    /failed .*origin already has a branch twelve\/update with 1 commit\(s\) not made by fleet: refused to overwrite it/,
  );
  assert.equal(await heads(outdated), before);
});

test('a house template from a source nobody trusted is refused with one sentence, before it is fetched', async () => {
  const app = path.join(work, 'src', 'templated');
  fs.cpSync(path.join(work, 'src', 'inventory'), app, {
    recursive: true,
    filter: (file) => !file.includes(`${path.sep}.git`) && !file.includes('node_modules'),
  });
  const yoRc = JSON.parse(fs.readFileSync(path.join(app, '.yo-rc.json'), 'utf8'));
  yoRc['create-twelve-app'].template = {
    name: '@evil/house',
    version: '1.0.0',
    source: '@evil/house@^1',
    type: 'npm',
    answers: {},
  };
  fs.writeFileSync(path.join(app, '.yo-rc.json'), `${JSON.stringify(yoRc, null, 2)}\n`);
  const bare = await remote('templated', app);
  const result = await runCli(['fleet', 'status', bare, '--json', '--trust-template', '@acme'], {
    cwd: work,
    env: { ...env, npm_config_registry: 'http://127.0.0.1:9/' },
  });
  assert.is(result.exitCode, 1, output(result));
  const [repo] = JSON.parse(String(result.stdout)).repos;
  assert.is(repo.template, '@evil/house@1.0.0');
  assert.is(repo.updateAvailable, null);
  assert.match(
    repo.error,
    /^house template @evil\/house@1\.0\.0 from @evil\/house@\^1 is not trusted: pass --trust-template @evil/,
  );
});

test('--canary: a canary that conflicts stops the rollout; --allow-conflicts --no-push commits the markers in the cache only', async () => {
  const worker = path.join(work, 'src', WORKER.label);
  fs.cpSync(path.join(FIXTURES, WORKER.label), worker, { recursive: true });
  const bare = await remote('billing', worker);
  const bases = ['--base-from', OLD.tarball, '--base-from', WORKER.tarball];
  const before = { bare: await heads(bare), outdated: await heads(outdated) };

  const stopped = await runCli(
    ['fleet', 'update', bare, outdated, '--branch', 'twelve/next', '--canary', '1', ...bases],
    { cwd: work, env },
  );
  assert.is(stopped.exitCode, 1, output(stopped));
  assert.match(
    String(stopped.stdout),
    /billing\.git +conflicts +- .*conflicts in [^:]*\bsrc\/server\.ts.*no branch \(pass --allow-conflicts/,
  );
  assert.match(
    String(stopped.stdout),
    new RegExp(`Not run \\(the canary stopped the rollout\\): ${outdated.replaceAll('.', '\\.')}\\.`),
  );
  assert.equal([await heads(bare), await heads(outdated)], [before.bare, before.outdated], 'nothing pushed anywhere');
  // Without --trust-repo the canary is not built, and the summary says so and how to build it.
  assert.match(
    String(stopped.stdout),
    /Builds were not verified for [^\n]*billing\.git: [^\n]*pass --trust-repo <URL or path prefix>/,
  );

  const kept = await runCli(
    ['fleet', 'update', bare, '--branch', 'twelve/next', '--allow-conflicts', '--no-push', ...bases],
    { cwd: work, env },
  );
  assert.is(kept.exitCode, 1, output(kept));
  assert.match(String(kept.stdout), /billing\.git +conflicts +twelve\/next +.*branch left in .* \(--no-push\)/);
  assert.equal(await heads(bare), before.bare, '--no-push: origin untouched');
  const cached = fs
    .readdirSync(path.join(env.CREATE_TWELVE_APP_CACHE, 'fleet'))
    .find((name) => name.startsWith('billing-'));
  const message = await git(
    path.join(env.CREATE_TWELVE_APP_CACHE, 'fleet', cached!),
    'log',
    '-1',
    '--format=%B',
    'twelve/next',
  );
  assert.match(message, /Conflicts left with markers, to resolve before merging:\n(- .+\n)*- src\/server\.ts\n/);
});

test('--trust-repo: a canary whose build fails stops the rollout unpushed; a canary that builds is pushed and gh opens its pull request', async () => {
  // The outdated app as a team might leave it: a syntax error in its own route module, so the build fails.
  const broken = path.join(work, 'src', 'broken-build');
  fs.cpSync(path.join(work, 'src', OLD.label), broken, {
    recursive: true,
    filter: (file) => !file.includes(`${path.sep}.git`) && !file.includes('node_modules'),
  });
  fs.appendFileSync(path.join(broken, 'src', 'routes', 'notes.ts'), '\nexport const unfinished = ;\n');
  const brokenBare = await remote('broken-build', broken);
  const before = { broken: await heads(brokenBare), outdated: await heads(outdated) };
  const trust = ['--trust-repo', 'remotes', '--base-from', OLD.tarball];

  const stopped = await runCli(
    ['fleet', 'update', brokenBare, outdated, '--branch', 'twelve/built', '--canary', '1', ...trust],
    { cwd: work, env },
  );
  assert.is(stopped.exitCode, 1, output(stopped));
  assert.match(
    String(stopped.stdout),
    /broken-build\.git +failed +- .*the build failed at `npm run build`.*the branch is left in .*, not pushed/,
  );
  assert.match(
    String(stopped.stdout),
    new RegExp(`Not run \\(the canary stopped the rollout\\): ${outdated.replaceAll('.', '\\.')}\\.`),
  );
  assert.not.match(String(stopped.stdout), /Builds were not verified/);
  assert.equal([await heads(brokenBare), await heads(outdated)], [before.broken, before.outdated], 'nothing pushed');

  // A stand-in for the GitHub CLI (neither the package manager nor a backing service): it records its
  // arguments and answers with a pull request URL, as `gh pr create` does.
  const bin = path.join(work, 'bin');
  const recorded = path.join(work, 'gh-args.json');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'gh'),
    `#!${process.execPath}\nconst fs = require('node:fs');\nconst args = process.argv.slice(2);\nif (args[0] === '--version') { console.log('gh version 2.0.0 (stand-in)'); process.exit(0); }\nfs.appendFileSync(${JSON.stringify(recorded)}, JSON.stringify({ args, cwd: process.cwd() }) + '\\n');\nconsole.log('https://github.example/acme/orders-api/pull/7');\n`,
    { mode: 0o755 },
  );
  const built = await runCli(
    ['fleet', 'update', outdated, '--branch', 'twelve/built', '--canary', '1', '--pr', ...trust],
    { cwd: work, env: { ...env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` } },
  );
  assert.is(built.exitCode, 0, output(built));
  assert.match(
    String(built.stdout),
    /orders-api\.git +updated +twelve\/built .*pull request: https:\/\/github\.example\/acme\/orders-api\/pull\/7/,
  );
  assert.not.match(String(built.stdout), /Builds were not verified|Open the pull requests with/);
  assert.is(await git(outdated, 'rev-list', '--count', 'main..twelve/built'), '1', 'the built branch was pushed');
  const calls = fs
    .readFileSync(recorded, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { args: string[]; cwd: string });
  assert.is(calls.length, 1, 'one pull request');
  const args = calls[0]!.args;
  const change = `${OLD.version} → ${ownVersion()}`;
  assert.equal(args.slice(0, 8), [
    'pr',
    'create',
    '--base',
    'main',
    '--head',
    'twelve/built',
    '--title',
    `Update create-twelve-app ${change}`,
  ]);
  assert.is(args[8], '--body');
  assert.ok(args[9]!.includes(`Version: create-twelve-app ${change}`), args[9]);
  assert.match(args[9]!, /create-twelve-app check: \d+ pass, \d+ warn, \d+ fail/);
  assert.match(args[9]!, /Build: passed on this branch before it was pushed/);
});

test.run();
