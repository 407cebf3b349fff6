import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './scaffold.ts';

export const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'check');

/** What a fixture folder's `fixture.json` says it breaks, and how to lay it out. */
export interface FixtureSpec {
  factor: string;
  /** pass: a pattern that must not be reported (a false fail before); its message then matches a note, if given. */
  status: 'pass' | 'warn' | 'fail';
  message?: string;
  file?: string;
  line?: number;
  /** Base files this fixture deletes. */
  remove?: string[];
  /** Replacements in base files (by their name in the app): the fixture is then its own diff. */
  edit?: Record<string, Array<[from: string, to: string]>>;
  /** false: no git repository at all. */
  git?: boolean;
}

export function fixtureNames(): string[] {
  return fs
    .readdirSync(FIXTURES)
    .filter((name) => name !== 'base')
    .sort();
}

export function fixtureSpec(name: string): FixtureSpec {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'fixture.json'), 'utf8')) as FixtureSpec;
}

/**
 * A compliant small app (`base/`) with one fixture's files laid over it, in a temp dir, added to a
 * fresh git repository (unless the fixture is about having none). Dotfiles are stored as `_name`
 * (the repository must not ignore or track a fixture's `.env` as its own).
 */
export function layOut(name: string | undefined): string {
  const dir = tempDir(`check-${name ?? 'base'}`);
  const copy = (from: string) => {
    for (const entry of fs.readdirSync(from, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || entry.name === 'fixture.json') continue;
      const relative = path.relative(from, path.join(entry.parentPath, entry.name));
      const target = path.join(
        dir,
        relative
          .split(path.sep)
          .map((part) => part.replace(/^_/, '.'))
          .join(path.sep),
      );
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(entry.parentPath, entry.name), target);
    }
  };
  copy(path.join(FIXTURES, 'base'));
  const spec = name === undefined ? undefined : fixtureSpec(name);
  if (name !== undefined) copy(path.join(FIXTURES, name));
  for (const file of spec?.remove ?? []) fs.rmSync(path.join(dir, file));
  for (const [file, replacements] of Object.entries(spec?.edit ?? {})) {
    let text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const [from, to] of replacements) {
      if (!text.includes(from)) throw new Error(`fixture ${name}: ${file} has no ${JSON.stringify(from)}`);
      text = text.replace(from, to);
    }
    fs.writeFileSync(path.join(dir, file), text);
  }
  if (spec?.git !== false) {
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', '-A'], { cwd: dir });
  }
  return dir;
}
