import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packageRoot } from '../../src/paths.ts';

const generatorsDir = path.join(packageRoot(), 'generators');
const folders = fs
  .readdirSync(generatorsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

test('every generator folder has the same shape: generator.ts with the run loop, index.ts', () => {
  for (const folder of folders) {
    for (const file of ['generator.ts', 'index.ts']) {
      assert.ok(fs.existsSync(path.join(generatorsDir, folder, file)), `generators/${folder}/${file}`);
    }
  }
});

test.run();
