import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addCapability } from '../../src/app-spec.ts';
import { readSpec } from '../../src/model/spec.ts';
import { mergePackageJson, planUpdate } from '../../src/update-plan.ts';
import { UserError } from '../../src/errors.ts';
import { apiSpec } from '../support/spec.ts';

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));
const disk = (entries: Record<string, string>) => (path: string) => (path in entries ? Buffer.from(entries[path]!) : undefined);

test('unedited files are updated, edited ones are conflicts, missing ones created, equal ones left alone', () => {
  const before = files({ a: 'old a', b: 'old b', d: 'same' });
  const after = files({ a: 'new a', b: 'new b', c: 'new c', d: 'same' });
  const plans = planUpdate(before, after, disk({ a: 'old a', b: 'their b', d: 'same' }));
  assert.equal(
    plans.map((plan) => `${plan.path}:${plan.action}`),
    ['a:update', 'b:conflict', 'c:create', 'd:unchanged'],
  );
});

test('an edited file whose generated version did not change is left alone, not a conflict', () => {
  const plans = planUpdate(files({ 'src/app.ts': 'ours' }), files({ 'src/app.ts': 'ours' }), disk({ 'src/app.ts': 'ours, edited' }));
  assert.equal(plans, [{ path: 'src/app.ts', action: 'unchanged' }]);
});

test('package.json keeps the user\'s own dependencies and scripts and takes ours', () => {
  const base = JSON.stringify({ name: 'x', scripts: { build: 'tsc' }, dependencies: { pino: '1.0.0' } });
  const theirs = JSON.stringify({ name: 'x', scripts: { build: 'tsc', lint: 'eslint .' }, dependencies: { pino: '1.0.0', lodash: '4.0.0' } });
  const ours = JSON.stringify({ name: 'x', scripts: { build: 'tsc', enqueue: 'node src/enqueue.ts' }, dependencies: { bullmq: '6.7.0', pino: '1.0.0' } });
  assert.equal(JSON.parse(mergePackageJson(base, theirs, ours)!), {
    name: 'x',
    scripts: { build: 'tsc', lint: 'eslint .', enqueue: 'node src/enqueue.ts' },
    dependencies: { bullmq: '6.7.0', lodash: '4.0.0', pino: '1.0.0' },
  });
});

test('package.json: a version the user changed is kept, one they left is updated', () => {
  const base = JSON.stringify({ dependencies: { a: '1.0.0', b: '1.0.0' } });
  const theirs = JSON.stringify({ dependencies: { a: '1.5.0', b: '1.0.0' } });
  const ours = JSON.stringify({ dependencies: { a: '2.0.0', b: '2.0.0' } });
  assert.equal(JSON.parse(mergePackageJson(base, theirs, ours)!).dependencies, { a: '1.5.0', b: '2.0.0' });
});

test('package.json that is no longer JSON is a conflict', () => {
  const plans = planUpdate(files({ 'package.json': '{}' }), files({ 'package.json': '{"a":1}' }), disk({ 'package.json': '{ oops' }));
  assert.is(plans[0]?.action, 'conflict');
});

test('adding worker brings redis along, in canonical order, and adding twice changes nothing', () => {
  const once = addCapability(apiSpec(), 'worker');
  assert.equal(once.capabilities, ['postgres', 'redis', 'worker', 'error-reporting']);
  assert.equal(addCapability(once, 'worker'), once);
  assert.equal(addCapability(once, 'redis'), once);
});

test('a folder without our choices is refused with a sentence naming --cwd', () => {
  try {
    readSpec(undefined, '/tmp/elsewhere');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, UserError);
    assert.match((error as Error).message, /\/tmp\/elsewhere has no create-twelve-app choices .* pass --cwd <dir>/);
  }
});

test('a saved spec round-trips through readSpec', () => {
  assert.equal(readSpec(JSON.parse(JSON.stringify(apiSpec())), 'x'), apiSpec());
});

test.run();
