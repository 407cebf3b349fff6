import fs from 'node:fs';
import path from 'node:path';

/**
 * The package root, found by walking up from this file: the same code runs from `src/` (tests, with Node
 * stripping types) and from `dist/src/` (the published CLI), and templates sit at the root in both.
 */
export function packageRoot(from: string = import.meta.dirname): string {
  let current = from;
  for (;;) {
    const candidate = path.join(current, 'package.json');
    if (fs.existsSync(candidate) && JSON.parse(fs.readFileSync(candidate, 'utf8')).name === 'create-twelve-app') {
      return current;
    }
    const parent = path.dirname(current);
    if (parent === current) throw new Error(`create-twelve-app's package.json not found above ${from}`);
    current = parent;
  }
}

function ownPackageJson(): { version: string; engines: { node: string } } {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8'));
}

export function ownVersion(): string {
  return ownPackageJson().version;
}

export function ownEngines(): string {
  return ownPackageJson().engines.node;
}

export function templatesRoot(): string {
  return path.join(packageRoot(), 'templates');
}
