import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CAPABILITY_IDS } from '../../src/capabilities/registry.ts';
import { UserError } from '../../src/errors.ts';
import { parseSpec } from '../../src/model/spec-schema.ts';
import type { TemplateRef } from '../../src/model/types.ts';
import { exactVersion } from '../../src/update/base-render.ts';
import { isTrusted } from '../../src/update/trusted-template.ts';
import { assertWritesInside } from '../../src/write-guard.ts';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.instance(error, UserError);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

const spec = {
  specVersion: 2,
  name: 'svc',
  kind: 'api',
  capabilities: ['postgres'],
  packageManager: 'npm@11.6.2',
  generatorVersion: '1.2.0',
};

test('spec schema: a valid spec passes, unknown keys are kept for update to carry over', () => {
  assert.equal(parseSpec({ ...spec, later: 1 }, '/app', CAPABILITY_IDS).name, 'svc');
});

test('spec schema: each bad field is named with what is wrong', () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ name: '../x' }, /create-twelve-app\.name must be a valid npm package name/],
    [{ name: 'a\nb' }, /create-twelve-app\.name must be a valid npm package name/],
    [
      { kind: 'daemon' },
      /create-twelve-app\.kind is "daemon", which is not a kind create-twelve-app knows \(api, worker, client\)/,
    ],
    [{ capabilities: ['nope'] }, /create-twelve-app\.capabilities\.0 is "nope", which is not a capability/],
    [
      { generatorVersion: 'file:../../etc' },
      /create-twelve-app\.generatorVersion must be an exact version such as 1\.4\.0/,
    ],
    [{ generatorVersion: 'http://127.0.0.1:8765/evil.tgz' }, /generatorVersion must be an exact version/],
    [{ packageManager: 'evil@1' }, /create-twelve-app\.packageManager must be npm, pnpm, yarn/],
    [
      { template: { name: 'h', version: '1.0.0', source: 'x\ny', type: 'npm' } },
      /template\.source must not contain line breaks/,
    ],
    [
      { template: { name: 'h', version: '^1', source: 'h', type: 'npm' } },
      /template\.version must be an exact version/,
    ],
    [{ deep: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) }, /nests deeper than 16 levels/],
  ];
  for (const [change, message] of cases) {
    const text = refusal(() => parseSpec({ ...spec, ...change }, '/app', CAPABILITY_IDS));
    assert.match(text, message);
    assert.match(text, /^\/app\/\.yo-rc\.json/);
    assert.not.match(text, /\n/);
  }
});

test('generatorVersion must be exact before it names a package or a folder', () => {
  assert.is(exactVersion('1.2.3-rc.1'), '1.2.3-rc.1');
  for (const bad of ['v1.2.3', '^1.2.3', 'latest', '1.2.3/../../x', 'file:/etc', 'http://127.0.0.1/x.tgz', '']) {
    assert.match(
      refusal(() => exactVersion(bad)),
      /is not an exact version such as 1\.4\.0/,
    );
  }
});

test('trusted templates: scope, name, path prefix, URL prefix up to a boundary', () => {
  const npm = (source: string, name = '@acme/house'): TemplateRef => ({
    name,
    version: '1.0.0',
    source,
    type: 'npm',
    answers: {},
  });
  assert.ok(isTrusted(npm('@acme/house@^1'), '/app', ['@acme'], '/'));
  assert.ok(isTrusted(npm('@acme/house@^1'), '/app', ['@acme/house'], '/'));
  assert.not.ok(isTrusted(npm('@acme/house@^1'), '/app', ['@acm'], '/'));
  assert.not.ok(isTrusted(npm('@acme/house@^1'), '/app', [], '/'));
  // The base render fetches name@version: a trusted source with a foreign name is not trusted.
  assert.not.ok(isTrusted(npm('@acme/house@^1', 'evil'), '/app', ['@acme'], '/'));
  assert.ok(
    isTrusted(npm('git+https://git.acme.dev/platform/house.git'), '/app', ['git+https://git.acme.dev/platform'], '/'),
  );
  assert.not.ok(
    isTrusted(
      npm('git+https://git.acme.dev/platform-evil/house.git'),
      '/app',
      ['git+https://git.acme.dev/platform'],
      '/',
    ),
  );
  const dir = (source: string): TemplateRef => ({
    name: 'h',
    version: '1.0.0',
    source,
    type: 'directory',
    answers: {},
  });
  assert.ok(isTrusted(dir('../../templates/house'), '/srv/apps/a', ['/srv/templates'], '/'));
  assert.ok(isTrusted(dir('../../templates/house'), '/srv/apps/a', ['./templates'], '/srv'));
  assert.not.ok(isTrusted(dir('./house'), '/srv/apps/a', ['/srv/templates'], '/'));
  assert.not.ok(isTrusted(dir('../../templates-evil/x'), '/srv/apps/a', ['/srv/templates'], '/'));
  // A bare word is a package name, not a path.
  assert.not.ok(isTrusted(dir('../../templates/house'), '/srv/apps/a', ['templates'], '/srv'));
});

test('writes: links inside the app are followed, links leading out are refused naming the path, hard links too', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twelve-guard-'));
  const app = path.join(root, 'app');
  const outside = path.join(root, 'outside');
  fs.mkdirSync(path.join(app, 'lib'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'file'), 'x');
  fs.symlinkSync('lib', path.join(app, 'inside'));
  assertWritesInside(app, ['inside/a.ts', 'new/folder/b.ts', 'lib/c.ts']);
  fs.symlinkSync(outside, path.join(app, 'src'));
  assert.match(
    refusal(() => assertWritesInside(app, ['README.md', 'src/app.ts'])),
    new RegExp(`^${app}/src is a symbolic link to ${outside}, outside the app`),
  );
  fs.symlinkSync('../outside/file', path.join(app, 'README.md'));
  assert.match(
    refusal(() => assertWritesInside(app, ['README.md'])),
    /README\.md is a symbolic link to .*outside\/file, outside the app/,
  );
  fs.symlinkSync('../outside/not-yet', path.join(app, 'dangling'));
  assert.match(
    refusal(() => assertWritesInside(app, ['dangling'])),
    /dangling is a symbolic link to .*outside\/not-yet/,
  );
  fs.symlinkSync('../../outside', path.join(app, 'lib', 'up'));
  assert.match(
    refusal(() => assertWritesInside(app, ['lib/up/x'])),
    /lib\/up is a symbolic link/,
  );
  fs.linkSync(path.join(outside, 'file'), path.join(app, 'hard'));
  assert.match(
    refusal(() => assertWritesInside(app, ['hard'])),
    /hard is a hard link shared with another file/,
  );
  assert.match(
    refusal(() => assertWritesInside(app, ['../x'])),
    /is outside the app/,
  );
  fs.rmSync(root, { recursive: true });
});

test.run();
