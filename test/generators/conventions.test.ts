import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ADDABLE } from '../../src/options.ts';
import { packageRoot } from '../../src/paths.ts';
import { SUB_GENERATORS } from '../../src/run.ts';

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

test('add offers exactly the sub-generators there are, and --help lists each', () => {
  const subGenerators = folders.filter((folder) => folder !== 'app');
  assert.equal(Object.keys(ADDABLE).sort(), subGenerators);
  assert.equal(Object.keys(SUB_GENERATORS).sort(), subGenerators);
});

test.run();
