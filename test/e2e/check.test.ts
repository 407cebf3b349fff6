/**
 * `create-twelve-app check` through the packed CLI: exit codes, `--json`, and the apps we generate
 * passing it, statically and with `--run` against the real Postgres and Redis.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { layOut } from '../support/check-fixtures.ts';
import { assertReportShape } from '../support/check-report.ts';
import { dropDatabases, freshDatabase } from '../support/databases.ts';
import { freshRedis, releaseRedisDatabases } from '../support/redis.ts';
import { generatedApp, packedCli, runCli, tempDir } from '../support/scaffold.ts';

const test = suite('check: the CLI, --json, --run, generated apps');

test.after(async () => {
  await dropDatabases();
  await releaseRedisDatabases();
});

test('exit 0 when nothing fails, 1 when a factor fails', async () => {
  const ok = await runCli(['check', layOut(undefined)]);
  assert.is(ok.exitCode, 0, String(ok.stdout) + String(ok.stderr));
  assert.match(String(ok.stdout), /12 pass, 0 warn, 0 fail/);
  // No TTY: no colour codes.
  assert.not.match(String(ok.stdout), /\x1b\[/);
  const bad = await runCli(['check', layOut('no-sigterm')]);
  assert.is(bad.exitCode, 1);
  assert.match(String(bad.stdout), /9\. Disposability fail/);
  assert.match(String(bad.stdout), /Nothing handles SIGTERM.*\(src\/server\.js:10\)/);
});

test('colour on a terminal (util-linux script gives it one), none with NO_COLOR', async () => {
  const bin = await packedCli();
  const dir = layOut(undefined);
  // A clean environment: the test runner may set FORCE_COLOR, which outranks NO_COLOR.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm-256color' };
  const onTty = await execa('script', ['-qec', `${bin} check`, '/dev/null'], {
    cwd: dir,
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    env,
  });
  assert.is(onTty.exitCode, 0, String(onTty.stdout));
  assert.match(String(onTty.stdout), /\x1b\[32mpass/);
  const noColor = await execa('script', ['-qec', `${bin} check`, '/dev/null'], {
    cwd: dir,
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    env: { ...env, NO_COLOR: '1' },
  });
  assert.match(String(noColor.stdout), /12 pass/);
  assert.not.match(String(noColor.stdout), /\x1b\[/);
});

test('exit 2 for usage errors and for a directory that is not an app, with one clear line', async () => {
  const notApp = tempDir('check-empty');
  for (const args of [
    ['check', '--frobnicate'],
    ['check', '--only', 'nope', notApp],
    ['check', notApp],
    ['check', path.join(notApp, 'missing')],
    ['check', 'a', 'b'],
  ]) {
    const result = await runCli(args);
    assert.is(result.exitCode, 2, `${args.join(' ')}: ${String(result.stderr)}`);
    assert.is(String(result.stdout), '');
    assert.is(String(result.stderr).trim().split('\n').length, 1, String(result.stderr));
    assert.not.match(String(result.stderr), /\n\s+at /);
  }
  const help = await runCli(['check', '--help']);
  assert.is(help.exitCode, 0);
  for (const option of ['--json', '--run', '--only']) assert.match(String(help.stdout), option);
});

test('--json prints one document of the documented shape; --only narrows it', async () => {
  const result = await runCli(['check', '--json'], { cwd: layOut('no-lockfile') });
  assert.is(result.exitCode, 1);
  const report: unknown = JSON.parse(String(result.stdout));
  assertReportShape(report);
  assert.is(report.factors.length, 12);
  const dependencies = report.factors.find((factor) => factor.id === 'dependencies')!;
  assert.is(dependencies.status, 'fail');
  assert.equal(dependencies.findings[0]?.file, 'package.json');
  const only = await runCli(['check', '--json', '--only', 'logs,1'], { cwd: layOut('no-lockfile') });
  assert.is(only.exitCode, 0);
  const narrowed: unknown = JSON.parse(String(only.stdout));
  assertReportShape(narrowed);
  assert.equal(
    narrowed.factors.map((factor) => factor.id),
    ['codebase', 'logs'],
  );
});

test('a generated API passes check, statically and with --run against Postgres', async () => {
  const app = await generatedApp();
  const result = await runCli(['check', '--json'], { cwd: app.dir });
  const report: unknown = JSON.parse(String(result.stdout));
  assertReportShape(report);
  assert.equal(report.summary, { pass: 12, warn: 0, fail: 0 }, String(result.stdout));
  assert.is(result.exitCode, 0);

  const run = await runCli(['check', '--run', '--json'], {
    cwd: app.dir,
    env: { DATABASE_URL: await freshDatabase('check') },
  });
  const measured: unknown = JSON.parse(String(run.stdout));
  assertReportShape(measured);
  assert.equal(measured.summary, { pass: 12, warn: 0, fail: 0 }, String(run.stdout));
  const messages = measured.factors.flatMap((factor) => factor.findings.map((finding) => String(finding.message)));
  for (const pattern of [
    /bound PORT=\d+ and answered GET \/healthz \(200\)/,
    /request in flight at SIGTERM was answered \(200\)/,
    /exited 0 \d+ ms after SIGTERM/,
    /each a JSON event/,
  ]) {
    assert.ok(
      messages.some((message) => pattern.test(message)),
      `${pattern} in ${messages.join('\n')}`,
    );
  }
  assert.is(run.exitCode, 0);
});

test('a generated API without a database passes check --run with no config at all', async () => {
  const app = await generatedApp(['--kind', 'api', '--db', 'none', '--yes']);
  const result = await runCli(['check', '--run'], { cwd: app.dir });
  assert.is(result.exitCode, 0, String(result.stdout));
  assert.match(String(result.stdout), /12 pass, 0 warn, 0 fail/);
  assert.match(String(result.stdout), /a request in flight at SIGTERM was answered \(200\)/);
});

test('a generated client passes check, statically and with --run (its web process serves the page)', async () => {
  // The flags of client.test.ts, so the e2e run generates this app once.
  const app = await generatedApp(['--kind', 'client', '--name', 'shop-web', '--yes']);
  const result = await runCli(['check', '--run', '--json'], { cwd: app.dir });
  const report: unknown = JSON.parse(String(result.stdout));
  assertReportShape(report);
  assert.equal(report.summary, { pass: 12, warn: 0, fail: 0 }, String(result.stdout));
  assert.is(result.exitCode, 0);
});

test('a generated worker passes check; --run says it has no web process, which is no failure', async () => {
  const app = await generatedApp(['--kind', 'worker', '--yes']);
  const result = await runCli(['check', '--run'], { cwd: app.dir, env: { REDIS_URL: await freshRedis() } });
  assert.is(result.exitCode, 0, String(result.stdout));
  assert.match(String(result.stdout), /12 pass, 0 warn, 0 fail/);
  assert.match(String(result.stdout), /no web: process \(the Procfile declares worker\)/);
});

test('--run fails an app that drops the request in flight at SIGTERM', async () => {
  const dir = tempDir('check-abrupt');
  const write = (file: string, text: string) => fs.writeFileSync(path.join(dir, file), text);
  write('package.json', JSON.stringify({ name: 'abrupt', version: '1.0.0', private: true, engines: { node: '>=24' } }));
  write('Procfile', 'web: node server.js\n');
  write('.env.example', 'PORT=3000\n');
  // Answers, but exits at once on SIGTERM instead of finishing the request it is receiving.
  write(
    'server.js',
    "import http from 'node:http';\nprocess.on('SIGTERM', () => process.exit(0));\nhttp.createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT));\nconsole.log('listening');\n",
  );
  fs.mkdirSync(path.join(dir, 'node_modules'));
  const result = await runCli(['check', '--run', '--only', 'disposability,logs', '--json'], { cwd: dir });
  assert.is(result.exitCode, 1, String(result.stdout) + String(result.stderr));
  const report: unknown = JSON.parse(String(result.stdout));
  assertReportShape(report);
  const disposability = report.factors.find((factor) => factor.id === 'disposability')!;
  assert.is(disposability.status, 'fail');
  assert.ok(
    disposability.findings.some((finding) =>
      /in flight when SIGTERM arrived got no response/.test(String(finding.message)),
    ),
    JSON.stringify(disposability),
  );
});

test('--run without a Procfile starts the Dockerfile exec-form CMD, and says so', async () => {
  const dir = tempDir('check-cmd');
  const write = (file: string, text: string) => fs.writeFileSync(path.join(dir, file), text);
  write(
    'package.json',
    JSON.stringify({ name: 'cmd-only', version: '1.0.0', private: true, type: 'module', engines: { node: '^24' } }),
  );
  write('Dockerfile', 'FROM node:24-slim AS build\nFROM node:24-slim\nUSER node\nCMD ["node", "server.js"]\n');
  write('.env.example', 'PORT=3000\n');
  write(
    'server.js',
    "import http from 'node:http';\nconst server = http.createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT));\nprocess.on('SIGTERM', () => server.close(() => process.exit(0)));\nconsole.log(JSON.stringify({ msg: 'listening' }));\n",
  );
  fs.mkdirSync(path.join(dir, 'node_modules'));
  const result = await runCli(['check', '--run', '--only', 'port-binding,disposability', '--json'], { cwd: dir });
  const report: unknown = JSON.parse(String(result.stdout));
  assertReportShape(report);
  const messages = report.factors.flatMap((factor) => factor.findings.map((finding) => String(finding.message)));
  assert.ok(
    messages.includes(
      "--run: there is no Procfile, so it started Dockerfile's exec-form CMD/ENTRYPOINT (`node server.js`).",
    ),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((message) => /bound PORT=\d+ and answered GET \/(?:healthz)? \(200\)/.test(message)),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((message) => /exited 0 \d+ ms after SIGTERM/.test(message)),
    messages.join('\n'),
  );
  assert.is(result.exitCode, 0, String(result.stdout));
});

test('--format sarif, junit and github through the CLI; --rules; a bad waiver file is one line, exit 2', async () => {
  const dir = layOut('no-sigterm');
  const sarif = await runCli(['check', '--format', 'sarif'], { cwd: dir });
  assert.is(sarif.exitCode, 1);
  const log = JSON.parse(String(sarif.stdout)) as {
    version: string;
    runs: Array<{
      tool: { driver: { name: string; version: string } };
      results: Array<{ ruleId: string; level: string }>;
    }>;
  };
  assert.is(log.version, '2.1.0');
  assert.match(log.runs[0]!.tool.driver.version, /^\d+\.\d+\.\d+/);
  assert.equal(
    log.runs[0]!.results.map((result) => [result.ruleId, result.level]),
    [['disposability/sigterm', 'error']],
  );
  const junit = await runCli(['check', '--format', 'junit'], { cwd: dir });
  assert.match(String(junit.stdout), /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
  const github = await runCli(['check', '--format', 'github'], { cwd: dir });
  assert.match(
    String(github.stdout),
    /^::error file=src\/server\.js,line=10,title=disposability\/sigterm::Nothing handles SIGTERM/m,
  );
  const rules = await runCli(['check', '--rules']);
  assert.is(rules.exitCode, 0);
  assert.match(
    String(rules.stdout),
    /^disposability\/sigterm\n {2}Long-running processes shut down gracefully on SIGTERM\./m,
  );
  fs.writeFileSync(
    path.join(dir, 'twelve-factor.json'),
    JSON.stringify({ waive: [{ rule: 'disposability/sigterm' }] }),
  );
  for (const args of [['check'], ['check', '--format', 'yaml']]) {
    const refused = await runCli(args, { cwd: dir });
    assert.is(refused.exitCode, 2, String(refused.stderr));
    assert.is(String(refused.stdout), '');
    assert.is(String(refused.stderr).trim().split('\n').length, 1, String(refused.stderr));
  }
  fs.writeFileSync(
    path.join(dir, 'twelve-factor.json'),
    JSON.stringify({ waive: [{ rule: 'disposability/sigterm', reason: 'Drained by the platform.' }] }),
  );
  const waived = await runCli(['check'], { cwd: dir });
  assert.is(waived.exitCode, 0, String(waived.stdout));
  assert.match(String(waived.stdout), /waived: Drained by the platform\./);
});

test.run();
