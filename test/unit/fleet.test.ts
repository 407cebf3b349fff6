import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCliArgs } from '../../src/args.ts';
import { UserError } from '../../src/errors.ts';
import { adoptionChart, renderHtml } from '../../src/fleet/html.ts';
import { mapPool } from '../../src/fleet/pool.ts';
import { cacheFolder, parseRepoList, remoteFor } from '../../src/fleet/repos.ts';
import { type RepoStatus, statusExitCode, toJson } from '../../src/fleet/status.ts';
import { statusTable, updateTable } from '../../src/fleet/table.ts';
import { isTrusted, isTrustedRepo, readFleetConfig } from '../../src/fleet/trust.ts';
import { commitMessage, pullRequestBody, TRAILER } from '../../src/fleet/update-repo.ts';
import type { TemplateRef } from '../../src/model/types.ts';

const test = suite('fleet: the pure parts');

function entry(overrides: Partial<RepoStatus>): RepoStatus {
  return {
    source: 'git@example.com:acme/a.git',
    app: 'a',
    kind: 'api',
    generatorVersion: '1.0.0',
    template: null,
    updateAvailable: false,
    check: { pass: 12, warn: 0, fail: 0, failing: [] },
    error: null,
    capabilities: ['postgres'],
    factors: [],
    target: '1.0.0',
    ...overrides,
  };
}

test('the repository list: one per line, # comments and blank lines skipped', () => {
  assert.equal(parseRepoList('# ours\ngit@github.com:acme/a.git\n\n  ../b  # local\nhttps://x/y.git#not-a-comment\n'), [
    'git@github.com:acme/a.git',
    '../b',
    'https://x/y.git#not-a-comment',
  ]);
});

test('URLs stay as given; paths become file:// URLs (so a shallow fetch works)', () => {
  assert.is(remoteFor('https://github.com/acme/a.git', '/w'), 'https://github.com/acme/a.git');
  assert.is(remoteFor('git@github.com:acme/a.git', '/w'), 'git@github.com:acme/a.git');
  assert.is(remoteFor('repos/a.git', '/w'), 'file:///w/repos/a.git');
  assert.match(cacheFolder('git@github.com:acme/orders-api.git'), /^orders-api-[0-9a-f]{10}$/);
  assert.is.not(cacheFolder('https://a/x.git'), cacheFolder('https://b/x.git'));
});

test('house templates: trusted by scope, by exact name or by path prefix, nothing else', () => {
  const npm = (name: string, source = `${name}@^1`): TemplateRef => ({
    name,
    version: '1.2.0',
    source,
    type: 'npm',
    answers: {},
  });
  assert.ok(isTrusted(npm('@acme/house'), '/app', ['@acme'], '/'));
  assert.not.ok(isTrusted(npm('@acme-evil/house'), '/app', ['@acme'], '/'));
  assert.ok(isTrusted(npm('acme-house'), '/app', ['acme-house'], '/'));
  assert.not.ok(isTrusted(npm('acme-house-2'), '/app', ['acme-house'], '/'));
  // The recorded name must be what the spec resolves to.
  assert.not.ok(isTrusted(npm('@acme/house', 'http://127.0.0.1:8765/evil.tgz'), '/app', ['@acme'], '/'));
  assert.not.ok(isTrusted(npm('@acme/house', 'evil@1'), '/app', ['@acme'], '/'));
  const folder: TemplateRef = {
    name: 'h',
    version: '1.0.0',
    source: '../templates/house',
    type: 'directory',
    answers: {},
  };
  assert.ok(isTrusted(folder, '/srv/apps/a', ['/srv/apps/templates'], '/'));
  assert.not.ok(isTrusted(folder, '/srv/apps/a', ['/srv/apps/temp'], '/'), 'a prefix is a whole path component');
  assert.not.ok(isTrusted(folder, '/srv/apps/a', ['@acme'], '/'));
});

test('status JSON: exactly the documented keys, the summary, and the exit code', () => {
  const entries = [
    entry({}),
    entry({
      source: 'b',
      app: 'b',
      generatorVersion: '0.9.0',
      updateAvailable: true,
      check: { pass: 10, warn: 1, fail: 1, failing: ['config'] },
    }),
    entry({
      source: 'c',
      app: null,
      kind: null,
      generatorVersion: null,
      updateAvailable: null,
      check: null,
      error: 'clone failed: no such repository',
    }),
  ];
  const json = toJson(entries);
  assert.equal(Object.keys(json.repos[0]!), [
    'source',
    'app',
    'kind',
    'generatorVersion',
    'template',
    'updateAvailable',
    'check',
    'error',
  ]);
  assert.equal(json.summary, { repos: 3, apps: 2, upToDate: 1, updateAvailable: 1, failingCheck: 1, errors: 1 });
  assert.is(statusExitCode(json), 1);
  assert.is(statusExitCode(toJson([entry({})])), 0);
  assert.is(statusExitCode(toJson([entry({ check: { pass: 11, warn: 0, fail: 1, failing: ['logs'] } })])), 1);
  assert.match(
    statusTable(entries, json.summary),
    /^b +b +api \(postgres\) +0\.9\.0 +- +yes: 1\.0\.0 +10 pass, 1 warn, 1 fail \(config\)$/m,
  );
});

test('the HTML page: self-contained, versions newest first, text escaped', () => {
  const entries = [
    entry({}),
    entry({ source: '<script>', app: null, generatorVersion: '0.10.0' }),
    entry({ generatorVersion: '0.9.0' }),
  ];
  const page = renderHtml(entries, toJson(entries).summary, new Date('2026-01-01T00:00:00Z'), '1.0.0');
  assert.not.match(page, /<script>|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  assert.match(page, /&#60;script&#62;/);
  const chart = adoptionChart(entries, '1.0.0');
  const order = [...chart.matchAll(/<title>([^:]+):/g)].map((match) => match[1]);
  assert.equal(order, ['1.0.0', '0.10.0', '0.9.0']);
});

test('repositories trusted to run their code: URL prefixes up to a boundary, path prefixes by component', () => {
  const url = (source: string) => ({ source, remote: remoteFor(source, '/w') });
  assert.ok(isTrustedRepo(url('https://github.com/acme/a.git'), ['https://github.com/acme/'], '/w'));
  assert.ok(isTrustedRepo(url('https://github.com/acme/a.git'), ['https://github.com/acme'], '/w'));
  assert.not.ok(isTrustedRepo(url('https://github.com/acme-evil/a.git'), ['https://github.com/acme'], '/w'));
  assert.ok(isTrustedRepo(url('git@github.com:acme/a.git'), ['git@github.com:acme/'], '/w'));
  assert.not.ok(isTrustedRepo(url('git@github.com:acme/a.git'), ['acme'], '/w'), 'a bare word trusts nothing');
  assert.ok(isTrustedRepo(url('repos/a.git'), ['repos'], '/w'));
  assert.ok(isTrustedRepo(url('/w/repos/a.git'), ['/w/repos/'], '/elsewhere'));
  assert.not.ok(isTrustedRepo(url('repos-evil/a.git'), ['repos'], '/w'), 'a prefix is a whole path component');
  assert.not.ok(isTrustedRepo(url('repos/a.git'), ['file:///w/repos'], '/w'), 'a path repository is trusted by path');
  assert.not.ok(isTrustedRepo(url('repos/a.git'), [], '/w'));
});

test('--config: trustTemplates and trustRepos, each a list of strings; anything else is one line, exit 2', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-config-'));
  const write = (value: unknown) => {
    fs.writeFileSync(path.join(dir, 'fleet.json'), JSON.stringify(value));
    return 'fleet.json';
  };
  assert.equal(readFleetConfig(undefined, dir), { trustTemplates: [], trustRepos: [] });
  assert.equal(readFleetConfig(write({ trustRepos: ['https://github.com/acme/'] }), dir), {
    trustTemplates: [],
    trustRepos: ['https://github.com/acme/'],
  });
  for (const bad of [{ trustRepos: 'https://github.com/acme/' }, { trustRepos: [''] }, { trustTemplates: [1] }]) {
    try {
      readFleetConfig(write(bad), dir);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, UserError);
      assert.is((error as UserError).exitCode, 2);
      assert.match((error as Error).message, /^--config fleet\.json: "trust(?:Repos|Templates)" must be a list of /);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the pull request body names the version change, the check summary and whether the build was verified', () => {
  const row = {
    source: 'a',
    app: 'a',
    outcome: 'updated' as const,
    change: '0.9.0 → 1.0.0',
    check: { pass: 11, warn: 1, fail: 0, failing: [] },
  };
  const unbuilt = pullRequestBody(row);
  assert.match(unbuilt, /- Version: create-twelve-app 0\.9\.0 → 1\.0\.0\n/);
  assert.match(unbuilt, /- create-twelve-app check: 11 pass, 1 warn, 0 fail\.\n/);
  assert.match(unbuilt, /- Build: not verified by fleet/);
  assert.match(pullRequestBody({ ...row, build: 'passed' }), /- Build: passed on this branch/);
});

test('the commit message names the version change, the check summary, conflicts and the trailer', () => {
  const message = commitMessage(
    {
      source: 'a',
      app: 'a',
      outcome: 'conflicts',
      change: '0.9.0 → 1.0.0',
      check: { pass: 11, warn: 0, fail: 1, failing: ['logs'] },
    },
    { pass: 11, warn: 0, fail: 1 },
    ['src/server.ts'],
  );
  assert.is(message.split('\n')[0], 'Update create-twelve-app 0.9.0 → 1.0.0');
  assert.match(message, /check: 11 pass, 0 warn, 1 fail \(failing: logs\)\./);
  assert.match(message, /\n- src\/server\.ts\n/);
  assert.ok(message.trimEnd().endsWith(TRAILER));
});

test('the after-run table and the canary line', () => {
  const text = updateTable(
    [
      {
        source: 'a',
        app: 'a',
        outcome: 'updated',
        branch: 'twelve/update',
        change: '0.9.0 → 1.0.0',
        check: { pass: 12, warn: 0, fail: 0, failing: [] },
      },
      { source: 'b', app: 'b', outcome: 'failed', reason: 'push failed: denied' },
    ],
    ['c'],
  );
  assert.match(text, /^a +updated +twelve\/update +0\.9\.0 → 1\.0\.0 +12 pass, 0 warn, 0 fail$/m);
  assert.match(text, /^b +failed +- +- +- +push failed: denied$/m);
  assert.match(
    text,
    /1 updated, 0 up to date, 0 with conflicts, 1 failed, 0 skipped\.\nNot run \(the canary stopped the rollout\): c\./,
  );
});

test('mapPool keeps the order and never runs more than the limit at once', async () => {
  let running = 0;
  let most = 0;
  const results = await mapPool([5, 1, 4, 2, 3], 2, async (value) => {
    running += 1;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, value));
    running -= 1;
    return value * 10;
  });
  assert.equal(results, [50, 10, 40, 20, 30]);
  assert.is(most, 2);
});

test('fleet arguments: the action, the repositories and repeatable flags', () => {
  const parsed = parseCliArgs([
    'fleet',
    'update',
    'a',
    'b',
    '--branch',
    'twelve/update',
    '--no-push',
    '--trust-template',
    '@acme',
    '--trust-template',
    '/srv/t',
    '--base-from',
    'old.tgz',
    '--trust-repo',
    'https://github.com/acme/',
  ]);
  assert.is(parsed.command, 'fleet');
  assert.equal(parsed.flags, {
    action: 'update',
    repos: ['a', 'b'],
    branch: 'twelve/update',
    noPush: true,
    trustTemplate: ['@acme', '/srv/t'],
    baseFrom: ['old.tgz'],
    trustRepo: ['https://github.com/acme/'],
  });
  try {
    parseCliArgs(['fleet', 'status', '--branch']);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, UserError);
    assert.is((error as UserError).exitCode, 2);
  }
});

test.run();
