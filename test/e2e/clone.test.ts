import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../support/scaffold.ts';

/**
 * CONTRIBUTING's first pair of commands, from a clean clone of the last commit: `npm ci` (which
 * builds through `prepare`), then `npx . ../my-api` generates an app from the checkout. With the
 * machine's own PATH, not this repository's `node_modules/.bin`: the clone must bring its own Node.js.
 */
const test = suite('from a clean clone: npm ci, then npx .');

const root = path.join(import.meta.dirname, '..', '..');
const machinePath = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter((entry) => !entry.includes(`${path.sep}node_modules${path.sep}`))
  .join(path.delimiter);

test('npm ci installs and builds; npx . generates the app', async () => {
  const work = tempDir('clone');
  const clone = path.join(work, 'create-twelve-app');
  await execa('git', ['clone', '--quiet', root, clone]);
  const env = { PATH: machinePath, HOME: process.env.HOME ?? '/tmp' };
  const quiet = { cwd: clone, env, extendEnv: false, reject: false, stdin: 'ignore' as const, timeout: 600_000 };
  const ci = await execa('npm', ['ci', '--no-audit', '--no-fund'], quiet);
  assert.is(ci.exitCode, 0, `${ci.stdout}\n${ci.stderr}`);
  assert.ok(fs.existsSync(path.join(clone, 'dist', 'src', 'cli.js')), 'npm ci built dist/ through prepare');

  const generated = await execa(
    'npx',
    ['.', '../my-api', '--kind', 'worker', '--yes', '--skip-install', '--skip-git'],
    quiet,
  );
  assert.is(generated.exitCode, 0, `${generated.stdout}\n${generated.stderr}`);
  assert.match(generated.stdout, /Created my-api \(worker\)/);
  const spec = JSON.parse(fs.readFileSync(path.join(work, 'my-api', '.yo-rc.json'), 'utf8'))['create-twelve-app'];
  assert.is(spec.kind, 'worker');
  assert.is((await execa('git', ['status', '--porcelain'], { cwd: clone })).stdout, '', 'the clone stays clean');
});

test.run();
