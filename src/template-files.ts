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
      const destination = relative
        .replace(/\.ejs$/, '')
        .split('/')
        .map((segment) => segment.replace(/^_/, '.'))
        .join('/');
      byDestination.set(destination, { source: `${dir}/${relative}`, destination, render });
    }
  }
  return [...byDestination.values()].sort((a, b) => a.destination.localeCompare(b.destination));
}

function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}
