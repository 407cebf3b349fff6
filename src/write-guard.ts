import fs from 'node:fs';
import path from 'node:path';
import { UserError } from './errors.ts';
import { isInside, realOrSelf } from './inside.ts';

/**
 * Refuses, before anything is written, a write into the app that would land outside it: a folder or
 * file on the way that is a symbolic link resolving outside the app (`src -> /etc`, `README.md ->
 * ~/.bashrc`), or a file hard-linked elsewhere (writing it would change the other name too). Every path
 * component is checked with `lstat`, since `stat` and `writeFile` follow links silently. The one guard
 * every write path calls: the app generator's commit, `add`, and `update`'s writes.
 */
export function assertWritesInside(root: string, files: Iterable<string>): void {
  const realRoot = realOrSelf(path.resolve(root));
  const checked = new Set<string>();
  for (const file of files) {
    const relative = path.isAbsolute(file) ? path.relative(path.resolve(root), file) : file;
    const segments = relative.split(/[\\/]/).filter((segment) => segment !== '' && segment !== '.');
    if (segments.includes('..') || path.isAbsolute(relative)) throw refuse(file, 'is outside the app');
    let current = path.resolve(root);
    for (const [index, segment] of segments.entries()) {
      current = path.join(current, segment);
      if (checked.has(current)) continue;
      checked.add(current);
      const problem = linkProblem(current, realRoot, index === segments.length - 1);
      if (problem === 'missing') break;
      if (problem) throw refuse(current, problem);
    }
  }
}

/** Why writing at `absolute` would reach outside `realRoot`; `missing` when nothing is there (created fresh). */
function linkProblem(absolute: string, realRoot: string, last: boolean): string | 'missing' | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(absolute);
  } catch {
    return 'missing';
  }
  if (stat.isSymbolicLink()) {
    const target = linkTarget(absolute);
    if (!isInside(realRoot, target)) return `is a symbolic link to ${target}, outside the app`;
    return undefined;
  }
  if (last && stat.isFile() && stat.nlink > 1)
    return 'is a hard link shared with another file, which writing it would change too';
  return undefined;
}

/** Where a link leads: its real path, or for a dangling link, where writing through it would create a file. */
function linkTarget(link: string): string {
  try {
    return fs.realpathSync(link);
  } catch {
    const target = path.resolve(path.dirname(link), fs.readlinkSync(link));
    return path.join(realOrSelf(path.dirname(target)), path.basename(target));
  }
}

function refuse(file: string, problem: string): UserError {
  return new UserError(
    `${file} ${problem}: nothing was written; replace the link with a plain file or folder (or choose another directory) and run it again.`,
  );
}
