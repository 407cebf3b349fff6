import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes dist/release.json, the identity of this build: the commit it was built from and the release
 * `<name>@<version>+<commit>` that the startup event and every error report name. It is fixed at build
 * time and never read from the environment at run time. The build runs it after compiling; the Docker
 * build runs it again with the commit CI passes (`--build-arg GIT_COMMIT`), since the image's build
 * context has no .git. A build without git and without a commit is `<name>@<version>`.
 */
const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

function gitHead(): string | undefined {
  try {
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

const given = process.argv[2];
if (given !== undefined && !/^[0-9a-f]{7,40}$|^local$/.test(given)) {
  console.error(`release: "${given}" is not a commit: pass the output of git rev-parse HEAD (or "local")`);
  process.exit(1);
}
const commit = given ?? gitHead();
const release = `${name.replace(/^@[^/]+\//, '')}@${version}${commit ? `+${commit.slice(0, 12)}` : ''}`;
writeFileSync(
  new URL('../dist/release.json', import.meta.url),
  `${JSON.stringify({ release, version, ...(commit ? { commit } : {}) })}\n`,
);
console.log(`release ${release}`);
