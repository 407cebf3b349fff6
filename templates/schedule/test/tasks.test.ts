import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { tasks } from '../src/tasks/index.ts';
import { requiredEnv } from './env.ts';

const root = path.join(import.meta.dirname, '..');

test('every task file in src/tasks/ is listed, and each exports its run function', () => {
  const files = fs
    .readdirSync(path.join(root, 'src/tasks'))
    .filter((file) => file.endsWith('.ts') && !['index.ts', 'context.ts'].includes(file))
    .map((file) => file.slice(0, -'.ts'.length));
  assert.deepEqual(Object.keys(tasks).sort(), files.sort());
  for (const run of Object.values(tasks)) assert.equal(typeof run, 'function');
});

test('an unknown task exits 1 with one line naming the tasks there are', async () => {
  const failed = await promisify(execFile)(process.execPath, ['src/task.ts', 'no-such-task'], {
    cwd: root,
    env: { ...process.env, ...requiredEnv, LOG_LEVEL: 'silent' },
  }).then(
    () => assert.fail('the task runner exited 0'),
    (err: { code: number; stderr: string }) => err,
  );
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /^Unknown task "no-such-task": one of /);
  assert.equal(failed.stderr.trim().split('\n').length, 1);
});
