import fs from 'node:fs';
import path from 'node:path';
import { UserError } from './errors.ts';

/** Entries a fresh clone or a new folder may already hold without counting as "not empty". */
const IGNORABLE = new Set(['.git', '.DS_Store', 'Thumbs.db']);

/**
 * Refuse a target before anything is asked or written: a file in the way, a non-empty folder without
 * --force, or a place we cannot write. Returns whether the directory already exists.
 */
export function checkTarget(directory: string, force: boolean): { exists: boolean } {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(directory);
  } catch (error) {
    if (isCode(error, 'ENOTDIR')) {
      throw new UserError(`${directory} cannot be created because a parent of it is a file: choose another directory.`);
    }
    if (!isCode(error, 'ENOENT')) throw unusable(directory, error);
  }
  if (stat && !stat.isDirectory()) {
    throw new UserError(`${directory} exists and is not a directory: choose another directory.`);
  }
  if (stat) {
    const entries = fs.readdirSync(directory).filter((entry) => !IGNORABLE.has(entry));
    if (entries.length > 0 && !force) {
      throw new UserError(
        `${directory} is not empty: choose an empty or new directory, or pass --force to generate into it.`,
      );
    }
  }
  const writable = stat ? directory : nearestExisting(directory);
  try {
    // A real write, removed at once: permission bits lie to root, and read-only mounts ignore them.
    fs.rmdirSync(fs.mkdtempSync(path.join(writable, '.twelve-app-probe-')));
  } catch (error) {
    throw unusable(directory, error);
  }
  return { exists: Boolean(stat) };
}

function nearestExisting(directory: string): string {
  let current = path.dirname(directory);
  while (!fs.existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

function unusable(directory: string, error: unknown): UserError {
  const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
  return new UserError(`Cannot write to ${directory} (${code}): choose a directory you can write to.`);
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
