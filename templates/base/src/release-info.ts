import { readFileSync } from 'node:fs';

/**
 * The release the build baked into dist/release.json (src/release.ts): `<name>@<version>+<commit>`. It
 * identifies the code, so it comes from the build, never from the environment. Running from the sources
 * there is none (undefined).
 */
export function currentRelease(): string | undefined {
  try {
    const { release } = JSON.parse(readFileSync(new URL('./release.json', import.meta.url), 'utf8')) as {
      release?: unknown;
    };
    return typeof release === 'string' ? release : undefined;
  } catch {
    return undefined;
  }
}
