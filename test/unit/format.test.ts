import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = path.join(import.meta.dirname, '..', '..');

// One formatter and linter for the whole project (biome.json); `npm run format` fixes what it can.
test('the sources are formatted and lint clean (biome ci)', () => {
  const result = spawnSync(path.join(root, 'node_modules', '.bin', 'biome'), ['ci', '--max-diagnostics=20', '.'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.is(result.status, 0, `${result.stdout}${result.stderr}\nRun \`npm run format\`, then fix what it cannot.`);
});

test.run();
