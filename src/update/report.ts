import { createTwoFilesPatch } from 'diff';
import type { UpdateStep } from './three-way.ts';
import { text } from './three-way.ts';

/** A step that changes the working tree (a `keep` is reported but writes nothing). */
export function changes(step: UpdateStep): boolean {
  return step.action !== 'unchanged' && step.action !== 'keep';
}

/** One line per file that changes or is kept against our wishes: `  merge     src/app.ts`. */
export function stepLines(steps: readonly UpdateStep[]): string[] {
  return steps
    .filter((step) => step.action !== 'unchanged')
    .map((step) => `  ${step.action.padEnd(9)} ${step.path}${step.reason ? `  (${step.reason})` : ''}`);
}

/**
 * The unified diff of one step against the file as it is now, as `git diff` would show it; `context` 0
 * for the local `.env`, whose other lines may hold secrets and are not ours to print.
 */
export function stepDiff(step: UpdateStep, current: Buffer | undefined, context = 3): string {
  const before = current === undefined ? '' : current.toString('utf8');
  const after = step.action === 'delete' || step.contents === undefined ? '' : text(step.contents);
  const oldName = current === undefined ? '/dev/null' : `a/${step.path}`;
  const newName = step.action === 'delete' ? '/dev/null' : `b/${step.path}`;
  return createTwoFilesPatch(oldName, newName, before, after, undefined, undefined, { context }).replace(/^=+\n/, '');
}
