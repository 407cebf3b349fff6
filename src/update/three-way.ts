import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../errors.ts';
import { mergePackageJson } from './package-json.ts';

/** `append`: lines added at the end of a file that is the team's own (the local `.env`), nothing else touched. */
export type UpdateAction = 'create' | 'update' | 'merge' | 'conflict' | 'delete' | 'keep' | 'append' | 'unchanged';

export interface UpdateStep {
  path: string;
  action: UpdateAction;
  /** What to write: for `conflict`, the file with git's conflict markers. Absent for delete, keep, unchanged. */
  contents?: string | Buffer;
  /** Why a file is kept as it is, for `keep`. */
  reason?: string;
}

export type Files = ReadonlyMap<string, string | Buffer>;

/** How the three sides are named in conflict markers: `<<<<<<< ours`, `>>>>>>> theirs`. */
export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

/**
 * What updating does to each file, decided three ways as Copier does: `base` is what the old
 * scaffolder rendered for this app's model, `theirs` what the new one renders, `disk` the file now.
 * A file nobody edited is replaced; edits on both sides are merged line by line by `git merge-file`,
 * which leaves standard conflict markers where they overlap; `package.json` is merged key by key first.
 * A file the new version no longer renders is deleted only if it was never edited.
 */
export async function planThreeWay(
  base: Files,
  theirs: Files,
  disk: (file: string) => Buffer | undefined,
  labels: MergeLabels,
): Promise<UpdateStep[]> {
  const paths = [...new Set([...base.keys(), ...theirs.keys()])].sort();
  const steps: UpdateStep[] = [];
  for (const file of paths) steps.push(await planFile(file, base.get(file), theirs.get(file), disk(file), labels));
  return steps;
}

async function planFile(
  file: string,
  base: string | Buffer | undefined,
  theirs: string | Buffer | undefined,
  ours: Buffer | undefined,
  labels: MergeLabels,
): Promise<UpdateStep> {
  if (theirs === undefined) {
    if (ours === undefined || base === undefined) return { path: file, action: 'unchanged' };
    if (same(ours, base)) return { path: file, action: 'delete' };
    return { path: file, action: 'keep', reason: 'no longer generated; kept because you edited it' };
  }
  if (ours === undefined) {
    if (base === undefined) return { path: file, action: 'create', contents: theirs };
    if (same(base, theirs)) return { path: file, action: 'unchanged' };
    return { path: file, action: 'keep', reason: 'you deleted it; the new version changes it, so it is not restored' };
  }
  if (same(ours, theirs)) return { path: file, action: 'unchanged' };
  if (base !== undefined && same(ours, base)) return { path: file, action: 'update', contents: theirs };
  // Only the team changed it: their version stands.
  if (base !== undefined && same(base, theirs)) return { path: file, action: 'unchanged' };
  if (file === 'package.json' && base !== undefined) {
    const merged = mergePackageJson(text(base), text(ours), text(theirs));
    if (merged !== undefined)
      return same(merged, ours)
        ? { path: file, action: 'unchanged' }
        : { path: file, action: 'merge', contents: merged };
  }
  // Without a base (both sides added the file) the whole file is one conflict, as in git.
  const merged = await mergeText(text(ours), base === undefined ? '' : text(base), text(theirs), labels);
  if (merged.conflicts > 0) return { path: file, action: 'conflict', contents: merged.text };
  return same(merged.text, ours)
    ? { path: file, action: 'unchanged' }
    : { path: file, action: 'merge', contents: merged.text };
}

/**
 * `git merge-file -p`: git's own line merge, so the markers are exactly the ones git users resolve
 * every day and every editor highlights. Its exit code is the number of conflicts.
 */
export async function mergeText(
  ours: string,
  base: string,
  theirs: string,
  labels: MergeLabels,
): Promise<{ text: string; conflicts: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twelve-merge-'));
  try {
    const files = { ours, base, theirs };
    for (const [name, contents] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), contents);
    const result = await execa(
      'git',
      ['merge-file', '-p', '-L', labels.ours, '-L', labels.base, '-L', labels.theirs, 'ours', 'base', 'theirs'],
      { cwd: dir, reject: false, stdin: 'ignore', stripFinalNewline: false },
    );
    const code = result.exitCode ?? -1;
    if (result.code === 'ENOENT')
      throw new UserError('update merges files with git, and git was not found on PATH: install git and run it again.');
    if (code < 0 || code > 127) throw new Error(`git merge-file failed (${code}): ${result.stderr}`);
    return { text: result.stdout, conflicts: code };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function text(contents: string | Buffer): string {
  return typeof contents === 'string' ? contents : contents.toString('utf8');
}

export function same(a: string | Buffer, b: string | Buffer): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}
