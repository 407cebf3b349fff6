import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildModel } from '../../src/app-model.ts';
import { parseCliArgs } from '../../src/args.ts';
import { checkApp } from '../../src/check/check.ts';
import { parseOnly } from '../../src/check/command.ts';
import {
  dockerfileFindings,
  isBaseImageDockerfile,
  isProductionDockerfile,
  looseInstall,
} from '../../src/check/dockerfile.ts';
import { renderHuman, renderJson } from '../../src/check/report.ts';
import { isPinned } from '../../src/check/rules/dependencies.ts';
import { looksLikeSecret } from '../../src/check/secrets.ts';
import { analyzeSource, emptyFacts, isAppSource, mayHoldFacts } from '../../src/check/source.ts';
import { buildReport } from '../../src/check/types.ts';
import { UserError } from '../../src/errors.ts';
import { helpText } from '../../src/options.ts';
import { renderApp } from '../../src/render.ts';
import { layOut } from '../support/check-fixtures.ts';
import { assertReportShape } from '../support/check-report.ts';
import { apiSpec } from '../support/spec.ts';
import { tree } from '../support/tree.ts';

function facts(file: string, text: string) {
  const found = emptyFacts();
  analyzeSource(file, text, found);
  return found;
}

test('check is a sub-command with its own options; check --help lists them', () => {
  const parsed = parseCliArgs(['check', 'my-app', '--json', '--run', '--only', 'config,logs']);
  assert.equal(parsed, {
    command: 'check',
    flags: { directory: 'my-app', json: true, run: true, only: 'config,logs' },
    help: false,
    version: false,
  });
  assert.equal(parseCliArgs(['check']).flags, {});
  const help = helpText('1.2.3', 'check');
  for (const text of [
    'create-twelve-app check [directory]',
    '--json',
    '--format <human|json|sarif|junit|github>',
    '--rules',
    '--run',
    '--only <factor,...>',
    'Exit 0',
    'twelve-factor.json',
  ])
    assert.ok(help.includes(text), text);
  assert.not.ok(helpText('1.2.3', 'create').includes('--only'));
  try {
    parseCliArgs(['check', '--kind', 'api']);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, UserError);
    assert.is((error as UserError).exitCode, 2);
  }
});

test('--only takes ids or numbers; anything else is a usage error naming the ids', () => {
  assert.equal(parseOnly('logs, 3'), ['logs', 'config']);
  try {
    parseOnly('logging');
    assert.unreachable();
  } catch (error) {
    assert.is((error as UserError).exitCode, 2);
    assert.match((error as Error).message, /unknown factor "logging".*codebase, dependencies/);
  }
});

test('the human report: a table, findings grouped by factor, colour only when asked', () => {
  const report = buildReport([
    {
      rule: 'logs/stdout',
      severity: 'fail',
      message: 'Writes app.log.',
      file: 'src/log.js',
      line: 4,
      hint: 'Log to stdout.',
    },
    { rule: 'logs/event-stream', severity: 'note', message: 'A measurement.' },
    { rule: 'config/unused-variable', severity: 'warn', message: 'Maybe unused.' },
  ]);
  const plain = renderHuman(report, 'my-app', false);
  assert.not.match(plain, /\x1b\[/);
  assert.match(plain, / 3 {2}Config +warn {2}1 finding\n/);
  assert.match(
    plain,
    /11\. Logs fail\n {2}✖ Writes app\.log\. \(src\/log\.js:4\) \[logs\/stdout\]\n {4}→ Log to stdout\.\n {2}· A measurement\. \[logs\/event-stream\]/,
  );
  assert.match(plain, /10 pass, 1 warn, 1 fail\n$/);
  assert.match(renderHuman(report, 'my-app', true), /\x1b\[31m/);
  const json: unknown = JSON.parse(renderJson(report));
  assertReportShape(json);
  assert.equal(json.factors[10]?.findings[0], {
    ruleId: 'logs/stdout',
    severity: 'fail',
    message: 'Writes app.log.',
    file: 'src/log.js',
    line: 4,
    hint: 'Log to stdout.',
  });
});

test('exact versions and exact sources are pinned; ranges, tags and branches are not', () => {
  for (const spec of [
    '1.2.3',
    '1.2.3-beta.1',
    'workspace:*',
    'file:../lib',
    'npm:other@2.0.0',
    'github:a/b#0123456789abcdef0123456789abcdef01234567',
  ])
    assert.ok(isPinned(spec), spec);
  for (const spec of ['^1.2.3', '~1.2.3', '>=1', '*', 'latest', '1.x', 'github:a/b#main', 'npm:other@^2'])
    assert.not.ok(isPinned(spec), spec);
});

test('source facts: env reads in every form, schema keys when process.env is handed over whole', () => {
  const found = facts(
    'src/config.ts',
    "const { A_ONE } = process.env;\nconst b = process.env['B_TWO'];\nconst c = process.env.C_THREE ?? 'x';\nconst schema = { LOG_LEVEL: 1, port: 2 };\nparse(schema, process.env);\n",
  );
  assert.equal(
    found.envReads.map((read) => [read.name, read.line]),
    [
      ['A_ONE', 1],
      ['B_TWO', 2],
      ['C_THREE', 3],
    ],
  );
  assert.equal([...found.schemaKeys], ['LOG_LEVEL']);
  assert.is(found.envWhole[0]?.line, 5);
});

test('source facts: lines are right after non-ASCII text; a port held in a file-level constant is resolved', () => {
  const found = facts(
    'src/server.ts',
    "// héllo ✓ 日本語\nconst label = '日本語日本語';\nconst PORT = 8080;\n\nserver.listen(PORT);\n",
  );
  assert.equal(found.literalPorts, [{ file: 'src/server.ts', line: 5, port: 8080 }]);
});

test('source facts: a connection string as a fallback is a heuristic, a bare one is certain', () => {
  const found = facts(
    'src/db.ts',
    "const a = process.env.DATABASE_URL || 'postgres://localhost/app';\nconst b = 'redis://cache:6379';\n",
  );
  assert.equal(
    found.connectionStrings.map((c) => [c.scheme, c.fallback, c.line]),
    [
      ['postgres', true, 1],
      ['redis', false, 2],
    ],
  );
});

test('source facts: file logging in pino, log4js and bunyan styles; stdout destinations are fine', () => {
  const found = facts(
    'src/log.ts',
    [
      "import pino from 'pino';",
      "pino(pino.destination('./app.log'));",
      "pino({ transport: { target: 'pino/file', options: { destination: '/var/log/app.json' } } });",
      "pino({ transport: { target: 'pino/file', options: { destination: 1 } } });",
      "configure({ appenders: { out: { type: 'dateFile', filename: 'x' } } });",
      "createLogger({ streams: [{ path: '/var/log/app.log' }] });",
      'pino(pino.destination(1));',
    ].join('\n'),
  );
  assert.equal(
    found.fileTransports.map((t) => t.line),
    [2, 3, 5, 6],
  );
});

test('source facts: credentials by name, by format, and in URLs; placeholders are not', () => {
  const found = facts(
    'src/keys.ts',
    [
      "const password = 'Tr0ub4dor&3x';",
      "const token = '';",
      "const apiKey = 'API_KEY';",
      "const url = 'amqp://user:pa55word@mq:5672';",
      "const x = 'AKIAABCDEFGHIJKLMNOP';",
      "const y = 'amqp://user:${PASS}@mq';",
    ].join('\n'),
  );
  assert.equal(
    found.credentials.map((c) => c.line),
    [1, 4, 5],
  );
});

test('tests, fixtures and type declarations are not the app', () => {
  for (const file of [
    'src/a.test.ts',
    'test/x.ts',
    'src/__tests__/a.js',
    'types/a.d.ts',
    'test/fixtures/x/src/a.js',
    'README.md',
  ])
    assert.not.ok(isAppSource(file), file);
  for (const file of ['src/a.ts', 'server.mjs', 'knexfile.js', 'src/ui/App.tsx', 'scripts/seed.cjs'])
    assert.ok(isAppSource(file), file);
});

test('Dockerfile: an ENTRYPOINT decides what runs; ENV with a password in a URL is a baked credential', () => {
  const findings = dockerfileFindings(
    'Dockerfile',
    'FROM node:24 AS build\nFROM node:24\nUSER node\nENV DATABASE_URL=postgres://app:hunter2@db/app\nENTRYPOINT ["node"]\nCMD ["dist/server.js"]\n',
  );
  assert.equal(
    findings.map((f) => [f.rule, f.severity, f.line]),
    [['config/image-secret', 'fail', 4]],
  );
});

test('lockfiles: pnpm and yarn are recognised and compared with package.json', async () => {
  const pnpm = layOut('version-range');
  fs.rmSync(path.join(pnpm, 'package-lock.json'));
  fs.writeFileSync(
    path.join(pnpm, 'pnpm-lock.yaml'),
    "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      pg:\n        specifier: ^8.20.0\n        version: 8.23.1\n",
  );
  execFileSync('git', ['add', '-A'], { cwd: pnpm });
  const pnpmReport = await checkApp({ directory: pnpm, only: ['dependencies'] });
  assert.ok(
    pnpmReport.factors[0]!.findings.some((f) =>
      /pnpm-lock\.yaml is out of sync.*"\^8\.23\.1" in package\.json but "\^8\.20\.0"/.test(f.message),
    ),
    JSON.stringify(pnpmReport),
  );

  const yarn = layOut(undefined);
  fs.rmSync(path.join(yarn, 'package-lock.json'));
  fs.writeFileSync(path.join(yarn, 'yarn.lock'), '# yarn lockfile v1\n\npg@8.23.1:\n  version "8.23.1"\n');
  const yarnReport = await checkApp({ directory: yarn, only: ['dependencies'] });
  assert.is(yarnReport.factors[0]!.status, 'fail', 'yarn.lock is not tracked by git yet');
  assert.not.ok(
    yarnReport.factors[0]!.findings.some((f) => /out of sync/.test(f.message)),
    JSON.stringify(yarnReport),
  );
});

test('files the text pre-filter skips yield no fact: every fixture, template and check source agrees', () => {
  const roots = ['test/fixtures/check', 'templates', 'src/check', 'test/unit'].map((root) =>
    path.join(import.meta.dirname, '..', '..', root),
  );
  let skipped = 0;
  for (const root of roots) {
    for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.(?:[cm]?[jt]s|[jt]sx)(?:\.ejs)?$/.test(entry.name)) continue;
      const file = path.join(entry.parentPath, entry.name);
      const text = fs.readFileSync(file, 'utf8');
      if (mayHoldFacts(text)) continue;
      skipped += 1;
      const found = facts(entry.name.replace(/\.ejs$/, ''), text);
      // Parse errors are no fact a rule judges (an .ejs template is not valid JavaScript anyway).
      // Imports matter only for the packages the pre-filter names (an error-reporting SDK, a logger …).
      const imports = found.imports.filter((entry) => mayHoldFacts(entry.source));
      assert.equal({ ...found, files: 0, parseErrors: [], imports }, { ...emptyFacts(), files: 0 }, file);
    }
  }
  assert.ok(skipped > 10, `the pre-filter skipped ${skipped} files`);
});

test('credentials are judged by value: token formats, URL passwords and entropy; words, URLs and placeholders are not', () => {
  for (const value of [
    'k3y-9f8e7d6c5b4a',
    'AKIAABCDEFGHIJKLMNOP',
    'postgres://app:hunter2-Prod@db/app',
    'a8F3kd93LmQ0zPw7',
    '-----BEGIN RSA PRIVATE KEY-----',
  ]) {
    assert.ok(looksLikeSecret(value), value);
  }
  for (const value of [
    'resetPassword',
    'same-origin',
    'include',
    'https://auth.example.com/oauth/token',
    'superSecret',
    'change-me',
    'postgres://u:password@db/app',
    'rediss://',
    'local-dev-secret-123',
    'your-api-key-here',
    '<token>',
    '${API_TOKEN}',
    'xxxxxxxx',
  ]) {
    assert.not.ok(looksLikeSecret(value), value);
  }
});

test('source facts: literal fallbacks for secrets, optional variables, job runners, rate limits, Fastify hosts, caches', () => {
  const found = facts(
    'src/server.js',
    [
      "import Fastify from 'fastify';",
      "import { Worker } from 'bullmq';",
      "import Agenda from 'agenda';",
      "import { RateLimiterMemory } from 'rate-limiter-flexible';",
      "import { LRUCache } from 'lru-cache';",
      "const secret = process.env.SESSION_SECRET ?? 'keyboard cat';",
      'const port = Number(process.env.PORT || 3000);',
      "const { API_TOKEN = 'dev-token' } = process.env;",
      'const agenda = new Agenda();',
      'await agenda.start();',
      "new Worker('mail', async () => {});",
      'const limiter = new RateLimiterMemory({ points: 5 });',
      'const pages = new LRUCache({ max: 100 });',
      'const app = Fastify();',
      'await app.listen({ port });',
      "await app.listen({ port, host: '0.0.0.0' });",
    ].join('\n'),
  );
  assert.equal(
    found.secretFallbacks.map((f) => [f.name, f.line]),
    [
      ['SESSION_SECRET', 6],
      ['API_TOKEN', 8],
    ],
  );
  assert.equal(
    found.envReads.map((read) => [read.name, read.optional]),
    [
      ['SESSION_SECRET', true],
      ['PORT', true],
      ['API_TOKEN', true],
    ],
  );
  assert.equal(
    found.jobRunners.map((runner) => [runner.what, runner.line]),
    [
      ['agenda.start()', 10],
      ['a BullMQ Worker', 11],
    ],
  );
  assert.equal(
    found.memoryRateLimits.map((limit) => limit.line),
    [12],
  );
  assert.equal(
    found.moduleCaches.map((cache) => cache.line),
    [13],
  );
  assert.equal(
    found.localhostListens.map((listen) => listen.line),
    [15],
  );
});

test('Dockerfile: moving base images and loose installs; stage names and ARG images are not images', () => {
  const findings = dockerfileFindings(
    'Dockerfile',
    'ARG BASE=node:24\nFROM ${BASE} AS deps\nRUN npm install --omit=dev\nFROM node AS build\nRUN yarn install --immutable && npm install -g pnpm\nFROM build\nUSER node\nCMD ["node", "a.js"]\n',
  );
  assert.equal(
    findings.map((f) => [f.rule, f.line]),
    [
      ['dependencies/base-image', 4],
      ['dependencies/frozen-install', 3],
    ],
  );
  assert.is(looseInstall('npm ci'), undefined);
  assert.is(looseInstall('apt-get update && npm i'), 'npm i');
  assert.is(looseInstall('pnpm install --frozen-lockfile'), undefined);
  assert.is(isProductionDockerfile('.devcontainer/Dockerfile'), false);
  assert.is(isProductionDockerfile('.gitpod.Dockerfile'), false);
  assert.is(isBaseImageDockerfile('Dockerfile.base', ['Dockerfile', 'Dockerfile.base']), true);
  assert.is(isBaseImageDockerfile('Dockerfile.base', ['Dockerfile.base']), false);
});

test("ranged dependencies: one finding per manifest, versions from the lockfile, the project's package manager", async () => {
  const dir = layOut(undefined);
  const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf'];
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    packageManager?: string;
  };
  for (const name of names) manifest.dependencies[name] = '^1.0.0';
  manifest.packageManager = 'pnpm@10.0.0';
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.rmSync(path.join(dir, 'package-lock.json'));
  const entries = Object.entries(manifest.dependencies).map(
    ([name, spec]) =>
      `      ${name}:\n        specifier: ${spec}\n        version: ${name === 'pg' || name === '@sentry/node' ? spec : '1.4.2(peer@1.0.0)'}`,
  );
  fs.writeFileSync(
    path.join(dir, 'pnpm-lock.yaml'),
    `lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n${entries.map((entry) => entry.replace(/^ {6}(@[^:]+):/, "      '$1':")).join('\n')}\n`,
  );
  execFileSync('git', ['add', '-A'], { cwd: dir });
  const report = await checkApp({ directory: dir, only: ['dependencies'] });
  const findings = report.factors[0]!.findings;
  assert.is(findings.length, 1, JSON.stringify(findings));
  assert.is(findings[0]!.severity, 'warn');
  assert.is(
    findings[0]!.message,
    '7 dependencies are declared as ranges (alpha@^1.0.0, bravo@^1.0.0, charlie@^1.0.0, delta@^1.0.0, echo@^1.0.0, …); the committed pnpm-lock.yaml locks them.',
  );
  assert.match(
    findings[0]!.hint!,
    /^Pin the versions the lockfile resolves: pnpm add --save-exact alpha@1\.4\.2 bravo@1\.4\.2 /,
  );
  assert.equal(
    findings[0]!.items,
    names.map((name) => `${name}@^1.0.0`),
  );
});

test('the Procfile and our rendered Kubernetes manifests agree for every kind; a stray container command is a warning', async () => {
  for (const shape of [
    { kind: 'api', capabilities: ['postgres', 'redis', 'worker'] },
    { kind: 'worker', capabilities: ['redis', 'worker'] },
    { kind: 'client', capabilities: [] },
  ] as const) {
    const dir = tree(
      Object.fromEntries(
        [...renderApp(buildModel(apiSpec({ ...shape, capabilities: [...shape.capabilities] })))].map(
          ([file, contents]) => [file, String(contents)],
        ),
      ),
    );
    const report = await checkApp({ directory: dir, only: ['concurrency'] });
    assert.equal([shape.kind, report.factors[0]!.findings], [shape.kind, []]);
  }
  const dir = layOut(undefined);
  fs.mkdirSync(path.join(dir, 'k8s'));
  fs.writeFileSync(
    path.join(dir, 'k8s', 'app.yaml'),
    [
      'kind: Deployment',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          command: [node, src/server.js]',
      '        - name: proxy',
      '          command: [envoy]',
      '---',
      'kind: Job',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: release',
      '          command: [node]',
      '          args: [src/migrate.js]',
      '',
    ].join('\n'),
  );
  const finding = (await checkApp({ directory: dir, only: ['concurrency'] })).factors[0]!.findings;
  assert.equal(
    finding.map((item) => [item.severity, item.file, item.line, item.message]),
    [['warn', 'k8s/app.yaml', 9, 'k8s/app.yaml runs `envoy`, which the Procfile does not declare.']],
  );
});

test.run();
