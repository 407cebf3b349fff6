import fs from 'node:fs';
import path from 'node:path';
import { parseChangesetFile } from '@changesets/parse';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const dir = path.join(import.meta.dirname, '..', '..', '.changeset');

// `changeset version` reads the front matter; a formatter once turned it into a heading, which Changesets
// then reads as a changeset that releases nothing, so the release notes would have lost every entry.
test('every changeset releases create-twelve-app with a summary, as `changeset version` reads it', () => {
  const files = fs.readdirSync(dir).filter((name) => name.endsWith('.md') && name !== 'README.md');
  assert.ok(files.length > 0);
  for (const name of files) {
    const { releases, summary } = parseChangesetFile(fs.readFileSync(path.join(dir, name), 'utf8'));
    assert.equal(
      releases.map((release) => release.name),
      ['create-twelve-app'],
      `${name}: front matter must be ---\\n"create-twelve-app": minor\\n---`,
    );
    assert.ok(summary.trim().length > 0, `${name}: no summary`);
  }
});

test.run();
