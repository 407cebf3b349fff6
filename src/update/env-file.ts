import { parseEnv } from 'node:util';
import type { AppModel } from '../model/types.ts';
import { envBlock, TEST_VARIABLES_NOTE, testVariables } from '../projections/env-example.ts';

/** A variable as it is appended: its name, and its lines with their comment. */
export interface EnvEntry {
  name: string;
  block: string;
}

/**
 * The local `.env` after `add`: each variable the new capabilities introduce, with its example value and
 * `.env.example`'s comment, appended at the end. The file is the team's (git-ignored, maybe holding
 * secrets), so no existing line is changed, reordered or removed, and a variable it already sets, even
 * to another value, is left alone. `undefined` when nothing is to be added.
 */
export function appendToEnv(
  current: string,
  introduced: readonly EnvEntry[],
): { contents: string; added: string[] } | undefined {
  // Node's own parser, the one `--env-file` uses, decides what the file already sets.
  const set = new Set(Object.keys(parseEnv(current)));
  const missing = introduced.filter((variable) => !set.has(variable.name));
  if (missing.length === 0) return undefined;
  const separator = current === '' || current.endsWith('\n\n') ? '' : current.endsWith('\n') ? '\n' : '\n\n';
  return {
    contents: `${current}${separator}${missing.map((variable) => variable.block).join('\n\n')}\n`,
    added: missing.map((variable) => variable.name),
  };
}

/**
 * The variables `after` has that `before` did not: what an added capability brings, the app's own and the
 * tests' (`TEST_*`, so that `npm test` keeps running everything locally).
 */
export function introducedVariables(before: AppModel, after: AppModel): EnvEntry[] {
  const known = new Set([...before.config.map((v) => v.name), ...testVariables(before).map((v) => v.name)]);
  return [
    ...after.config.filter((v) => !known.has(v.name)).map((v) => ({ name: v.name, block: envBlock(v) })),
    ...testVariables(after)
      .filter((v) => !known.has(v.name))
      .map((v) => ({ name: v.name, block: `${TEST_VARIABLES_NOTE}\n${v.name}=${v.value}` })),
  ];
}
