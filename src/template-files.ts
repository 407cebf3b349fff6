import fs from 'node:fs';
import path from 'node:path';

export interface TemplateFile {
  /** Path below `templates/`. */
  source: string;
  /** Path in the generated app. */
  destination: string;
  /** Only `.ejs` files go through EJS; everything else is copied byte for byte. */
  render: boolean;
}

/**
 * The files of the given template folders, later folders overriding earlier ones at the same destination.
 * A leading `_` in a name stands for `.` (npm drops `.gitignore` from published packages), and a
 * trailing `.ejs` is dropped.
 */
export function templateFiles(root: string, dirs: string[]): TemplateFile[] {
  const byDestination = new Map<string, TemplateFile>();
  for (const dir of dirs) {
    for (const relative of listFiles(path.join(root, dir))) {
      const render = relative.endsWith('.ejs');
      const destination = destinationOf(relative);
      byDestination.set(destination, { source: `${dir}/${relative}`, destination, render });
    }
  }
  return [...byDestination.values()].sort((a, b) => a.destination.localeCompare(b.destination));
}

/** Where a template file lands: `_github/workflows/ci.yml.ejs` → `.github/workflows/ci.yml`. */
export function destinationOf(relative: string): string {
  return relative
    .replace(/\.ejs$/, '')
    .split('/')
    .map((segment) => segment.replace(/^_/, '.'))
    .join('/');
}

/** Files below `dir`, relative with `/`, sorted; `symlinks` also lists symbolic links (a house template's). */
export function listFiles(dir: string, symlinks = false): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile() || (symlinks && entry.isSymbolicLink()))
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}
