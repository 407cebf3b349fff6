import fs from 'node:fs';
import path from 'node:path';

/** Whether `candidate` is `root` or below it (`..foo` is a name inside; `..` and `../x` are not). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** The path with every link resolved, or the path itself where it does not exist (yet). */
export function realOrSelf(absolute: string): string {
  try {
    return fs.realpathSync(absolute);
  } catch {
    return absolute;
  }
}
