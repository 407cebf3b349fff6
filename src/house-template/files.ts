import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { isInside } from '../inside.ts';
import { destinationOf, listFiles } from '../template-files.ts';

export { isInside };

export interface HouseFile {
  /** Where it is read from: the real path, inside the template. */
  source: string;
  /** As the template's author knows it: `templates/src/app.ts.ejs`. */
  name: string;
  /** Path in the generated app. */
  destination: string;
  render: boolean;
}

/** Files the app's own machinery owns: `.yo-rc.json` holds its choices, and git runs what is in `.git/`. */
const RESERVED = [/^\.yo-rc\.json$/, /^\.git(\/|$)/];

/**
 * The files of a house template's `templates/` folder, named as built-in templates are (`_x` → `.x`,
 * `.ejs` dropped). A template is somebody else's code, so nothing in it may reach outside the app:
 * a name that would land outside (`_./` becomes `../`), a reserved file, or a symbolic link pointing
 * outside the template is refused, naming the file.
 */
export function houseFiles(packageRoot: string, templateName: string): HouseFile[] {
  const dir = path.join(packageRoot, 'templates');
  if (!fs.existsSync(dir)) return [];
  const realRoot = fs.realpathSync(packageRoot);
  return listFiles(dir, true).map((relative) => {
    const name = `templates/${relative}`;
    const refuse = (why: string) =>
      new UserError(`The house template ${templateName} has ${name}, which ${why}: remove it from the template.`);
    const destination = destinationOf(relative);
    const problem = pathProblem(destination);
    if (problem) throw refuse(problem);
    if (RESERVED.some((pattern) => pattern.test(destination)))
      throw refuse(`would overwrite ${destination}, which create-twelve-app or git owns`);
    const real = fs.realpathSync(path.join(dir, relative));
    if (!isInside(realRoot, real)) throw refuse('is a symbolic link pointing outside the template');
    const stat = fs.statSync(real);
    if (!stat.isFile()) throw refuse('is a symbolic link to a folder (link the files instead)');
    if (stat.size > HOUSE_FILE_LIMIT)
      throw refuse(
        `is ${Math.round(stat.size / 1024)} kB, over the ${HOUSE_FILE_LIMIT / 1024 / 1024} MB a template file may be`,
      );
    return { source: real, name, destination, render: relative.endsWith('.ejs') };
  });
}

/**
 * The most a house template file may be, read or rendered: far above any source file, far below what
 * would exhaust memory (a 100 MB `.ejs` once grew past 6 GB while rendering).
 */
export const HOUSE_FILE_LIMIT = 1024 * 1024;

/** A rendered file over the limit is refused; EJS runs the template's code, so only its output can be bounded. */
export function assertRenderedSize(rendered: string, templateName: string, name: string): void {
  if (rendered.length > HOUSE_FILE_LIMIT) {
    throw new UserError(
      `The house template ${templateName} renders ${name} to more than ${HOUSE_FILE_LIMIT / 1024 / 1024} MB: nothing was written; make the file smaller.`,
    );
  }
}

/** Why a relative path from a template would not stay inside the folder it is written to, if it would not. */
export function pathProblem(relative: string): string | undefined {
  if (relative === '' || path.posix.isAbsolute(relative) || path.win32.isAbsolute(relative))
    return 'is an absolute path';
  const segments = relative.split(/[\\/]/);
  if (segments.includes('..')) return 'would land outside the app (a .. in its path)';
  if (segments.some((segment) => segment === '.' || segment === '')) return 'has an empty or . segment in its path';
  return undefined;
}
