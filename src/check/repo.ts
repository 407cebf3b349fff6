import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../errors.ts';

/** What `check` knows about the directory, read once and shared by every rule. */
export interface Repo {
  dir: string;
  packageJson: PackageJson;
  /** Files git tracks, relative with `/`; undefined when the directory is not in a git work tree. */
  tracked: ReadonlySet<string> | undefined;
  /** Every file of the app: tracked plus untracked-but-not-ignored, or a walk when there is no git. */
  files: readonly string[];
  /** A file's text, read once; undefined when it does not exist or cannot be read. */
  read: (file: string) => string | undefined;
  exists: (file: string) => boolean;
}

export interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  volta?: Record<string, string>;
  devEngines?: { runtime?: unknown };
  workspaces?: unknown;
  bin?: unknown;
}

/** Never descended into by the walk, and never judged: other people's code and build output. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '.next', '.turbo', '.cache', 'out']);

export async function loadRepo(directory: string): Promise<Repo> {
  const dir = path.resolve(directory);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UserError(`${directory} is not a directory: pass the directory of a Node.js app.`, 2);
  }
  const manifest = path.join(dir, 'package.json');
  if (!fs.existsSync(manifest)) {
    throw new UserError(`${directory} has no package.json, so it is not a Node.js app: pass the app's directory.`, 2);
  }
  let packageJson: PackageJson;
  try {
    packageJson = JSON.parse(fs.readFileSync(manifest, 'utf8')) as PackageJson;
  } catch {
    throw new UserError(`${path.join(directory, 'package.json')} is not valid JSON: fix it and run check again.`, 2);
  }
  const git = await gitFiles(dir);
  const files = (git?.files ?? walk(dir)).filter((file) => !file.split('/').some((part) => SKIPPED_DIRS.has(part)));
  const cache = new Map<string, string | undefined>();
  const fileSet = new Set(files);
  return {
    dir,
    packageJson,
    tracked: git?.tracked,
    files,
    exists: (file) => fileSet.has(file) || fs.existsSync(path.join(dir, file)),
    read: (file) => {
      if (!cache.has(file)) {
        let text: string | undefined;
        try {
          text = fs.readFileSync(path.join(dir, file), 'utf8');
        } catch {
          text = undefined;
        }
        cache.set(file, text);
      }
      return cache.get(file);
    },
  };
}

async function gitFiles(dir: string): Promise<{ tracked: Set<string>; files: string[] } | undefined> {
  const git = (args: string[]) => execa('git', args, { cwd: dir, reject: false, stdin: 'ignore' });
  const inside = await git(['rev-parse', '--is-inside-work-tree']);
  if (inside.exitCode !== 0 || inside.stdout.trim() !== 'true') return undefined;
  // Paths come relative to `dir` even when the repository root is above it (a monorepo package).
  const [tracked, others] = await Promise.all([
    git(['ls-files', '-z', '--cached']),
    git(['ls-files', '-z', '--others', '--exclude-standard']),
  ]);
  const split = (output: string) => output.split('\0').filter(Boolean);
  const trackedFiles = split(tracked.stdout).filter((file) => fs.existsSync(path.join(dir, file)));
  return { tracked: new Set(split(tracked.stdout)), files: [...trackedFiles, ...split(others.stdout)].sort() };
}

function walk(dir: string): string[] {
  const found: string[] = [];
  const visit = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const file = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(file);
      } else if (entry.isFile()) found.push(file);
    }
  };
  visit('');
  return found.sort();
}

/** 1-based line of the first match of `pattern` in `text`, for findings in non-code files. */
export function lineOf(text: string | undefined, pattern: RegExp | string): number | undefined {
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const index = lines.findIndex((line) => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line)));
  return index === -1 ? undefined : index + 1;
}
