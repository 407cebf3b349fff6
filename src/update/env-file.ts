import { parseEnv } from 'node:util';
import type { ConfigVar } from '../model/types.ts';
import { envBlock } from '../projections/env-example.ts';

/**
 * The local `.env` after `add`: each variable the new capabilities introduce, with its example value and
 * `.env.example`'s comment, appended at the end. The file is the team's (git-ignored, maybe holding
 * secrets), so no existing line is changed, reordered or removed, and a variable it already sets, even
 * to another value, is left alone. `undefined` when nothing is to be added.
 */
export function appendToEnv(
  current: string,
  introduced: readonly ConfigVar[],
): { contents: string; added: string[] } | undefined {
  // Node's own parser, the one `--env-file` uses, decides what the file already sets.
  const set = new Set(Object.keys(parseEnv(current)));
  const missing = introduced.filter((variable) => !set.has(variable.name));
  if (missing.length === 0) return undefined;
  const separator = current === '' || current.endsWith('\n\n') ? '' : current.endsWith('\n') ? '\n' : '\n\n';
  return {
    contents: `${current}${separator}${missing.map(envBlock).join('\n\n')}\n`,
    added: missing.map((variable) => variable.name),
  };
}

/** The variables `after` reads that `before` did not: what an added capability brings. */
export function introducedVariables(before: readonly ConfigVar[], after: readonly ConfigVar[]): ConfigVar[] {
  const known = new Set(before.map((variable) => variable.name));
  return after.filter((variable) => !known.has(variable.name));
}
