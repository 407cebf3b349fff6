import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkTarget } from '../../src/target.ts';
import { templateFiles } from '../../src/template-files.ts';
import { refusal } from '../support/failure.ts';
import { tree } from '../support/tree.ts';

test('template names: a leading _ becomes a dot, a trailing .ejs marks a rendered file', () => {
  const root = tree({ 'base/_gitignore': '', 'base/_github/workflows/ci.yml.ejs': '', 'base/src/app.ts': '' });
  assert.equal(templateFiles(root, ['base']), [
    { source: 'base/_github/workflows/ci.yml.ejs', destination: '.github/workflows/ci.yml', render: true },
    { source: 'base/_gitignore', destination: '.gitignore', render: false },
    { source: 'base/src/app.ts', destination: 'src/app.ts', render: false },
  ]);
});

test('a later template folder overrides an earlier one at the same destination', () => {
  const root = tree({ 'api/src/routes/index.ts': 'api', 'postgres/src/routes/index.ts': 'pg' });
  assert.equal(
    templateFiles(root, ['api', 'postgres']).map((file) => file.source),
    ['postgres/src/routes/index.ts'],
  );
});

test('a new directory under a writable parent is accepted', () => {
  const root = tree({});
  assert.equal(checkTarget(path.join(root, 'new', 'app'), false), { exists: false });
  assert.equal(fs.readdirSync(root), [], 'the write probe left something behind');
});

test('an empty directory, or one with only .git, is accepted', () => {
  const root = tree({ 'app/.git/HEAD': 'ref' });
  assert.equal(checkTarget(path.join(root, 'app'), false), { exists: true });
});

test('a non-empty directory needs --force', () => {
  const root = tree({ 'app/notes.txt': 'mine' });
  assert.match(
    refusal(() => checkTarget(path.join(root, 'app'), false)),
    /is not empty: .* pass --force/,
  );
  assert.equal(checkTarget(path.join(root, 'app'), true), { exists: true });
});

test('a file in the way, or a parent that is a file, is refused', () => {
  const root = tree({ file: 'x' });
  assert.match(
    refusal(() => checkTarget(path.join(root, 'file'), false)),
    /exists and is not a directory/,
  );
  assert.match(
    refusal(() => checkTarget(path.join(root, 'file', 'app'), false)),
    /cannot be created because a parent of it is a file/,
  );
});

test('a place nobody can write, even root, is refused', () => {
  assert.match(
    refusal(() => checkTarget('/sys/twelve-app-unit', false)),
    /Cannot write to \/sys\/twelve-app-unit \(E[A-Z]+\)/,
  );
});

test.run();
