import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { UserError } from '../errors.ts';

/**
 * `--base-from <tarball|dir>` (repeatable): packages of older create-twelve-app versions, what
 * `update --from` takes, keyed by the version in their package.json. An app whose recorded version is
 * among them is merged from that package; any other from the npm registry, as `update` does. Versions a
 * team never published (or a test's) are reachable this way without running a registry.
 */
export async function basePackages(sources: readonly string[], cwd: string): Promise<Map<string, string>> {
  const byVersion = new Map<string, string>();
  for (const source of sources) {
    const absolute = path.resolve(cwd, source);
    const manifest = await readManifest(absolute, source);
    if (manifest.name !== 'create-twelve-app' || typeof manifest.version !== 'string') {
      throw new UserError(
        `--base-from ${source} is not a create-twelve-app package: pass a tarball made by \`npm pack\` or a package folder.`,
        2,
      );
    }
    byVersion.set(manifest.version, absolute);
  }
  return byVersion;
}

async function readManifest(file: string, source: string): Promise<{ name?: unknown; version?: unknown }> {
  const unreadable = new UserError(
    `--base-from ${source}: no such package; pass a tarball made by \`npm pack\` or a package folder.`,
    2,
  );
  if (!fs.existsSync(file)) throw unreadable;
  try {
    if (fs.statSync(file).isDirectory()) return JSON.parse(fs.readFileSync(path.join(file, 'package.json'), 'utf8'));
    let text = '';
    // Only package.json is read out of the tarball; nothing is unpacked here (update does that, checked).
    await tar.t({
      file,
      onReadEntry: (entry) => {
        if (entry.path === 'package/package.json')
          entry.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        else entry.resume();
      },
    });
    return JSON.parse(text);
  } catch {
    throw unreadable;
  }
}
