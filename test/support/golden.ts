import fs from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';

const GOLDEN_DIR = path.join(import.meta.dirname, '..', 'golden');

/**
 * Compare with a small reviewed file under test/golden/; `UPDATE_GOLDEN=1 npm test` rewrites it, and the
 * diff is then reviewed like any other change.
 */
export function matchesGolden(actual: string, name: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(file)) {
    if (process.env.CI && !fs.existsSync(file))
      assert.unreachable(`golden file ${name} is missing; run UPDATE_GOLDEN=1 npm test`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.fixture(
    actual,
    fs.readFileSync(file, 'utf8'),
    `golden ${name} differs; if intended: UPDATE_GOLDEN=1 npm test`,
  );
}
