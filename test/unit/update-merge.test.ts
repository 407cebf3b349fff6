import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildModel } from '../../src/app-model.ts';
import { addCapability, readAppSpec as readSpec } from '../../src/app-spec.ts';
import { UserError } from '../../src/errors.ts';
import { appendToEnv, introducedVariables } from '../../src/update/env-file.ts';
import { mergePackageJson } from '../../src/update/package-json.ts';
import { stepDiff, stepLines } from '../../src/update/report.ts';
import { planThreeWay } from '../../src/update/three-way.ts';
import { apiSpec } from '../support/spec.ts';

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));
const disk = (entries: Record<string, string>) => (path: string) =>
  path in entries ? Buffer.from(entries[path]!) : undefined;
const labels = { ours: 'yours', base: 'create-twelve-app 1.0.0', theirs: 'create-twelve-app 2.0.0' };
const lines = (...values: string[]) => `${values.join('\n')}\n`;
const actions = (steps: { path: string; action: string }[]) => steps.map((step) => `${step.path}:${step.action}`);

test('a file nobody edited takes the new version; one only the team edited stays theirs', async () => {
  const steps = await planThreeWay(
    files({ a: 'old a\n', b: 'same\n' }),
    files({ a: 'new a\n', b: 'same\n' }),
    disk({ a: 'old a\n', b: 'edited\n' }),
    labels,
  );
  assert.equal(steps, [
    { path: 'a', action: 'update', contents: 'new a\n' },
    { path: 'b', action: 'unchanged' },
  ]);
});

test('edits on both sides that do not overlap are merged line by line', async () => {
  const base = lines('one', 'two', 'three', 'four', 'five');
  const theirs = lines('ONE', 'two', 'three', 'four', 'five');
  const ours = lines('one', 'two', 'three', 'four', 'FIVE');
  const [step] = await planThreeWay(files({ f: base }), files({ f: theirs }), disk({ f: ours }), labels);
  assert.equal(step, { path: 'f', action: 'merge', contents: lines('ONE', 'two', 'three', 'four', 'FIVE') });
});

test('overlapping edits leave standard git conflict markers naming both sides', async () => {
  const [step] = await planThreeWay(
    files({ f: lines('a', 'b', 'c') }),
    files({ f: lines('a', 'new', 'c') }),
    disk({ f: lines('a', 'mine', 'c') }),
    labels,
  );
  assert.is(step?.action, 'conflict');
  assert.is(
    step?.contents,
    lines('a', '<<<<<<< yours', 'mine', '=======', 'new', '>>>>>>> create-twelve-app 2.0.0', 'c'),
  );
});

test('new files appear; files no longer generated go only when unedited; a deleted file is not restored', async () => {
  const base = files({ gone: 'x\n', edited: 'x\n', deleted: 'x\n' });
  const theirs = files({ added: 'new\n', deleted: 'y\n' });
  const steps = await planThreeWay(base, theirs, disk({ gone: 'x\n', edited: 'mine\n' }), labels);
  assert.equal(actions(steps), ['added:create', 'deleted:keep', 'edited:keep', 'gone:delete']);
  assert.match(stepLines(steps).join('\n'), /keep {6}edited {2}\(no longer generated; kept because you edited it\)/);
});

test('a file both sides added is one conflict, as in git', async () => {
  const [step] = await planThreeWay(files({}), files({ f: 'ours\n' }), disk({ f: 'theirs\n' }), labels);
  assert.is(step?.action, 'conflict');
  assert.match(String(step?.contents), /^<<<<<<< yours\ntheirs\n=======\nours\n>>>>>>> create-twelve-app 2.0.0\n$/);
});

test("package.json is merged key by key: the team's dependency stays next to ours", async () => {
  const base = `${JSON.stringify({ name: 'x', dependencies: { pino: '1.0.0' } }, null, 2)}\n`;
  const theirs = `${JSON.stringify({ name: 'x', dependencies: { pino: '2.0.0' } }, null, 2)}\n`;
  const ours = `${JSON.stringify({ name: 'x', dependencies: { ms: '2.1.3', pino: '1.0.0' } }, null, 2)}\n`;
  const [step] = await planThreeWay(
    files({ 'package.json': base }),
    files({ 'package.json': theirs }),
    disk({ 'package.json': ours }),
    labels,
  );
  assert.is(step?.action, 'merge');
  assert.equal(JSON.parse(String(step?.contents)).dependencies, { ms: '2.1.3', pino: '2.0.0' });
});

test('the dry-run diff is a unified diff against the working tree', () => {
  const diff = stepDiff({ path: 'src/a.ts', action: 'update', contents: 'one\nTWO\n' }, Buffer.from('one\ntwo\n'));
  assert.is(diff, '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n');
  assert.match(
    stepDiff({ path: 'new.ts', action: 'create', contents: 'x\n' }, undefined),
    /^--- \/dev\/null\n\+\+\+ b\/new.ts\n/,
  );
});

test('package.json: a version the user changed is kept, one they left is updated; their own keys stay', () => {
  const base = JSON.stringify({ scripts: { build: 'tsc' }, dependencies: { a: '1.0.0', b: '1.0.0' } });
  const theirs = JSON.stringify({
    scripts: { build: 'tsc', seed: 'node seed.ts' },
    dependencies: { a: '1.5.0', b: '1.0.0', lodash: '4.0.0' },
  });
  const ours = JSON.stringify({
    scripts: { build: 'tsc', enqueue: 'node src/enqueue.ts' },
    dependencies: { a: '2.0.0', b: '2.0.0' },
  });
  assert.equal(JSON.parse(mergePackageJson(base, theirs, ours)!), {
    scripts: { build: 'tsc', seed: 'node seed.ts', enqueue: 'node src/enqueue.ts' },
    dependencies: { a: '1.5.0', b: '2.0.0', lodash: '4.0.0' },
  });
  assert.is(mergePackageJson('{}', '{ oops', '{}'), undefined);
});

test('.env: new variables appended with their comment; existing lines, and variables it already sets, untouched', () => {
  const before = buildModel(apiSpec());
  const after = buildModel(addCapability(apiSpec(), 'worker'));
  const introduced = introducedVariables(before, after);
  assert.ok(introduced.some((variable) => variable.name === 'REDIS_URL'));
  const current = 'DATABASE_URL=postgres://me@localhost/mine\n# WORKER_CONCURRENCY=9\nexport LOG_LEVEL=debug';
  const appended = appendToEnv(current, introduced);
  assert.ok(appended);
  assert.ok(appended.contents.startsWith(`${current}\n\n# `), appended.contents);
  assert.match(appended.contents, /^REDIS_URL=redis:\/\/\S+$/m);
  assert.ok(appended.added.includes('REDIS_URL'));
  // The tests' own Redis database too, so npm test still skips nothing after add.
  assert.match(appended.contents, /^TEST_REDIS_URL=redis:\/\/\S+$/m);
  // Set already (even to another value): left alone. Commented out: not set, so appended.
  assert.equal(
    appendToEnv(
      'REDIS_URL=redis://elsewhere:6379\n',
      introduced.filter((variable) => variable.name === 'REDIS_URL'),
    ),
    undefined,
  );
  assert.is(appendToEnv('', introduced.slice(0, 1))?.contents.startsWith('# '), true);
});

test('adding worker brings redis along, in canonical order, and adding twice changes nothing', () => {
  const once = addCapability(apiSpec(), 'worker');
  assert.equal(once.capabilities, ['postgres', 'redis', 'worker', 'error-reporting']);
  assert.equal(addCapability(once, 'worker'), once);
  assert.equal(addCapability(once, 'redis'), once);
});

test('a folder without our choices is refused with a sentence naming --cwd; a saved spec round-trips', () => {
  try {
    readSpec(undefined, '/tmp/elsewhere');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, UserError);
    assert.match((error as Error).message, /\/tmp\/elsewhere has no create-twelve-app choices .* pass --cwd <dir>/);
  }
  assert.equal(readSpec(JSON.parse(JSON.stringify(apiSpec())), 'x'), apiSpec());
});

test.run();
