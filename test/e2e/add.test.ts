/**
 * `add` end to end, from the packed CLI: the same three-way merge as `update`. An API whose team
 * registered a route module of its own, with a local `.env`, gets `add worker --yes`: exit 0, no
 * conflict markers, the team's route still answers, `POST /jobs/example` answers 202, `.env` gained
 * REDIS_URL, and build, typecheck, lint and the app's own tests pass (real PostgreSQL and Redis). An
 * edit that overlaps what `add` changes gets git's conflict markers and exit 1, as with `update`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runBounded } from '../support/bounded.ts';
import { dropDatabases, freshDatabase } from '../support/databases.ts';
import { GIT_IDENTITY } from '../support/git.ts';
import { freePort, HOST, request, waitForHealthy } from '../support/http.ts';
import { assertAppTestsPassed, processTracker } from '../support/processes.ts';
import { freshRedis, releaseRedisDatabases } from '../support/redis.ts';
import { generatedApp, runCli, tempDir } from '../support/scaffold.ts';
import { within } from '../support/wait.ts';

const test = suite('add: the merge of update, on an API the team has made its own');

const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd, env: GIT_IDENTITY, stdin: 'ignore' });
// The app's scripts run `node` from PATH: the Node.js 24 running this test comes first, however it was started.
const PATH = [path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter);
const cleanEnv = (extra: Record<string, string> = {}) => ({ PATH, HOME: process.env.HOME ?? '/tmp', ...extra });
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const output = (result: { stdout: unknown; stderr: unknown; timedOut?: boolean }) =>
  `${result.timedOut ? 'timed out\n' : ''}stdout:\n${String(result.stdout)}\nstderr:\n${String(result.stderr)}`;
const { start, killAll } = processTracker();
const figures: Record<string, number> = {};

test.after(async () => {
  await killAll();
  await dropDatabases();
  await releaseRedisDatabases();
  console.log(`\nadd figures (ms): ${JSON.stringify(figures)}`);
});

const ORDERS_ROUTE = `import type { FastifyPluginAsync } from 'fastify';

export const orders: FastifyPluginAsync = async (app) => {
  app.get('/orders', async () => ({ orders: [] }));
};
`;

/**
 * The team's own route module, registered where the generated app says team routes go:
 * `src/routes/index.ts` ("register your route modules here"), next to `GET /`: the import after
 * the last import, the registration after `GET /`. Capability wiring lives in the re-rendered
 * `src/routes/capabilities.ts`, so `add` never has to merge into this file.
 */
function registerTeamRoute(dir: string): void {
  fs.writeFileSync(path.join(dir, 'src/routes/orders.ts'), ORDERS_ROUTE);
  const index = path.join(dir, 'src/routes/index.ts');
  const routes = fs.readFileSync(index, 'utf8');
  const imports = [...routes.matchAll(/^import .*;$/gm)];
  const lastImport = imports.at(-1);
  const root = /^ {2}app\.get\('\/', .*$/m;
  assert.ok(lastImport?.index !== undefined, 'the routes module has imports');
  assert.match(routes, root, 'the routes module answers GET /');
  const end = lastImport.index + lastImport[0].length;
  const withImport = `${routes.slice(0, end)}\nimport { orders } from './orders.ts';${routes.slice(end)}`;
  fs.writeFileSync(index, withImport.replace(root, '$&\n  app.register(orders);'));
}

/** A copy of the shared generated API (installed, built, committed by the CLI), with the team's commit on top. */
async function teamApi(label: string, edit: (dir: string) => void): Promise<string> {
  const shared = await generatedApp();
  const dir = path.join(tempDir(label), 'my-api');
  fs.cpSync(shared.dir, dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !path.basename(source).startsWith('.e2e-'),
  });
  if (!fs.existsSync(path.join(dir, '.git'))) await git(dir, 'init', '-q', '-b', 'main');
  edit(dir);
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '--allow-empty', '-m', "the team's changes");
  return dir;
}

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const begun = performance.now();
  try {
    return await fn();
  } finally {
    figures[name] = Math.round(performance.now() - begun);
  }
}

test("add worker --yes on an API with its own route and a local .env: merged without conflicts; the route, POST /jobs/example and the app's checks all pass", async () => {
  const dir = await teamApi('add-team', registerTeamRoute);
  // The local .env a developer made from the example (git-ignored), with a value of their own.
  const env = `${read(dir, '.env.example')}\n# mine\nLOG_LEVEL=debug\n`;
  fs.writeFileSync(path.join(dir, '.env'), env);

  const added = await timed('addWorker', () => runCli(['add', 'worker', '--yes'], { cwd: dir, timeout: 300_000 }));
  assert.is(added.exitCode, 0, output(added));
  const stdout = String(added.stdout);
  assert.not.match(stdout, /conflict|force|Overwrite/i, output(added));
  // The team's routes file is theirs: add registers the jobs route in the re-rendered capabilities file.
  assert.not.match(stdout, /src\/routes\/index\.ts/, output(added));
  assert.match(stdout, /^ {2}update {4}src\/routes\/capabilities\.ts$/m, output(added));
  assert.match(stdout, /Next steps:[\s\S]*npm run dev:worker/, output(added));
  const files = String((await git(dir, 'ls-files', '--cached', '--others', '--exclude-standard')).stdout)
    .split('\n')
    .filter(Boolean);
  const marked = files.filter((file) => fs.existsSync(path.join(dir, file)) && /^(<{7}|>{7}) /m.test(read(dir, file)));
  assert.equal(marked, [], 'no conflict markers');
  assert.equal(
    files.filter((file) => /\.(rej|orig)$/.test(file)),
    [],
  );
  assert.match(read(dir, 'src/routes/index.ts'), /app\.register\(orders\);/);
  assert.match(read(dir, 'src/routes/capabilities.ts'), /app\.register\(jobs, /);

  // .env: every line as it was, then the new variables with their comments.
  const localEnv = read(dir, '.env');
  assert.ok(localEnv.startsWith(env), localEnv);
  assert.match(localEnv.slice(env.length), /^REDIS_URL=redis:\/\/\S+$/m);
  assert.match(stdout, /Appended REDIS_URL.* to \.env/);

  const quiet = {
    cwd: dir,
    reject: false,
    stdin: 'ignore' as const,
    timeout: 240_000,
    env: cleanEnv(),
    extendEnv: false,
  };
  const ci = await timed('npmCi', () =>
    execa('npm', ['ci', '--no-audit', '--no-fund'], { ...quiet, env: undefined, extendEnv: true }),
  );
  assert.is(ci.exitCode, 0, output(ci));
  for (const script of ['build', 'typecheck', 'lint']) {
    const result = await timed(script, () => execa('npm', ['run', script], quiet));
    assert.is(result.exitCode, 0, `${script}\n${output(result)}`);
  }
  const DATABASE_URL = await freshDatabase('add');
  const REDIS_URL = await freshRedis();
  const tests = await timed('npmTest', () =>
    runBounded(
      'npm',
      ['test'],
      {
        cwd: dir,
        env: cleanEnv({ DATABASE_URL, REDIS_URL, TEST_DATABASE_URL: DATABASE_URL, TEST_REDIS_URL: REDIS_URL }),
        extendEnv: false,
      },
      240_000,
    ),
  );
  assert.not.ok(tests.timedOut, `npm test timed out:\n${output(tests)}`);
  assertAppTestsPassed(tests);

  const release = await execa('npm', ['run', 'migrate'], { ...quiet, env: cleanEnv({ DATABASE_URL }) });
  assert.is(release.exitCode, 0, output(release));
  const port = await freePort();
  const web = start(dir, 'web', { DATABASE_URL, REDIS_URL, PORT: String(port), HOST });
  await waitForHealthy(port, web.exited, 10_000).catch((error: Error) =>
    assert.unreachable(`${error.message}\n${web.stdout()}\n${web.stderr()}`),
  );
  const teams = await request(port, '/orders');
  assert.is(teams.status, 200, "the team's route still answers");
  assert.equal(JSON.parse(teams.body), { orders: [] });
  const job = await request(port, '/jobs/example', { method: 'POST', body: JSON.stringify({ delayMs: 0 }) });
  assert.ok(job.status >= 200 && job.status < 300, `POST /jobs/example: ${job.status} ${job.body}`);
  web.child.kill('SIGTERM');
  assert.is((await within(web.exited, 20_000, 'web exits after SIGTERM')).code, 0);
});

test("an edit that overlaps what add changes gets git's conflict markers, is listed, and add exits 1", async () => {
  // The team adds a member to the Services interface where `add worker` adds `redis`.
  const dir = await teamApi('add-overlap', (app) => {
    const file = path.join(app, 'src/services.ts');
    const services = fs.readFileSync(file, 'utf8');
    const member = /^ {2}db: Db;$/m;
    assert.match(services, member);
    fs.writeFileSync(file, services.replace(member, '$&\n  clock: () => Date;'));
  });
  const added = await runCli(['add', 'worker', '--yes', '--skip-install'], { cwd: dir, timeout: 120_000 });
  assert.is(added.exitCode, 1, output(added));
  assert.match(String(added.stdout), /Conflicts in 1 file\(s\)[\s\S]*\n {2}src\/services\.ts/, output(added));
  assert.match(
    read(dir, 'src/services.ts'),
    /^<<<<<<< yours\n {2}clock: \(\) => Date;\n=======\n[\s\S]*?^ {2}redis: Redis;\n>>>>>>> create-twelve-app \S+ with redis, worker$/m,
  );
  assert.not.match(String(added.stderr), /\n\s+at /);
  // Everything else was merged and written: the new files are there.
  assert.ok(fs.existsSync(path.join(dir, 'src/worker.ts')));
});

test('on an app an older version generated, add performs the update and the addition in one merge, and says so', async () => {
  // test/fixtures/update/: an app an older commit rendered, the team's edits on top, and that version's package.
  const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'update');
  const dir = path.join(tempDir('add-old'), 'api-first');
  fs.cpSync(path.join(fixtures, 'api-first'), dir, { recursive: true });
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'the app as the team left it');
  const from = path.join(fixtures, 'packages', 'create-twelve-app-0.0.0-ge678223.tgz');
  const added = await runCli(['add', 'tracing', '--from', from, '--skip-install'], {
    cwd: dir,
    env: { CREATE_TWELVE_APP_CACHE: tempDir('add-cache') },
    timeout: 300_000,
  });
  assert.is(added.exitCode, 0, output(added));
  assert.match(
    String(added.stdout),
    /^orders-api was generated by create-twelve-app 0\.0\.0-ge678223: updating it to \S+ and adding tracing, in one merge$/m,
  );
  const saved = JSON.parse(read(dir, '.yo-rc.json'))['create-twelve-app'] as {
    generatorVersion: string;
    capabilities: string[];
  };
  assert.ok(saved.capabilities.includes('tracing'), JSON.stringify(saved));
  assert.is.not(saved.generatorVersion, '0.0.0-ge678223');
  // The update's part (a file the old version did not have) and the addition's part, both.
  assert.ok(fs.existsSync(path.join(dir, 'src/process.ts')));
  assert.match(read(dir, 'Procfile'), /^web: node --import \.\/dist\/tracing\.js dist\/server\.js$/m);
  assert.match(read(dir, 'src/routes/notes.ts'), /app\.get\('\/version', /, "the team's route");
});

test('generating names only real conflicts: every file of a new app is "create", none "force"', async () => {
  // Yeoman colours the labels when the environment asks for colour (FORCE_COLOR): read them without.
  const stdout = (await generatedApp()).stdout.replace(/\x1b\[[0-9;]*m/g, '');
  assert.match(stdout, /^ +create my-api\/\.yo-rc\.json$/m, stdout);
  assert.not.match(stdout, /^ +force /m, stdout);
});

test('a tree with uncommitted changes is refused unless --force, and nothing is written', async () => {
  const dir = await teamApi('add-dirty', () => undefined);
  fs.appendFileSync(path.join(dir, 'README.md'), '\nwork in progress\n');
  const refused = await runCli(['add', 'worker', '--yes', '--skip-install'], { cwd: dir });
  assert.is(refused.exitCode, 1, output(refused));
  assert.match(String(refused.stderr), /uncommitted changes \(README\.md\).*or pass --force/);
  assert.is(String((await git(dir, 'status', '--porcelain')).stdout), ' M README.md');
});

test.run();
