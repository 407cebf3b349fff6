import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Run by `npm run build` after tsc: writes dist/release.json, the release every error report names.
 * A release identifies code, so it is fixed here, at build time: `<name>@<version>+<commit>`. Where the
 * build has no git (a Docker build copies no .git), it is `<name>@<version>`: bump the version to tell
 * such releases apart.
 */
const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

function commit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const sha = commit();
const release = `${name.replace(/^@[^/]+\//, '')}@${version}${sha ? `+${sha}` : ''}`;
writeFileSync(new URL('../dist/release.json', import.meta.url), `${JSON.stringify({ release })}\n`);
console.log(`release ${release}`);
