import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';

/** What `check` knows about the directory, read once and shared by every rule. */
export interface Repo {
  dir: string;
  packageJson: PackageJson;
  /** Files git tracks, relative with `/`; undefined when the directory is not in a git work tree. */
  tracked: ReadonlySet<string> | undefined;
  /**
   * Every file of the app check may read: tracked plus untracked-but-not-ignored (or a walk when there
   * is no git), regular files only, links only when they resolve to a regular file inside the directory.
   */
  files: readonly string[];
  /** What was left out of `files`, for the report's note. */
  skipped: { outside: string[]; special: string[] };
  /** Whether git ignores `.env`; undefined without git. */
  envIgnored: boolean | undefined;
  /** A file's text, read once; undefined when it does not exist, is not a regular file inside the app, or is too large. */
  read: (file: string) => string | undefined;
  /** The same, not kept: for the thousands of source files read once for their facts. */
  readOnce: (file: string) => string | undefined;
  /** The size of a readable file in bytes; undefined when `read` would refuse it. */
  size: (file: string) => number | undefined;
  exists: (file: string) => boolean;
}

/** Larger files are never read whole (a lockfile of a large monorepo is a few MB). */
export const READ_LIMIT = 32 * 2 ** 20;

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
  packageManager?: string;
  overrides?: Record<string, unknown>;
  resolutions?: Record<string, unknown>;
  pnpm?: { overrides?: Record<string, unknown> };
}

/** Never descended into by the walk, and never judged: other people's code and build output. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '.next', '.turbo', '.cache', 'out']);

export async function loadRepo(directory: string): Promise<Repo> {
  const dir = path.resolve(directory);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UserError(`${directory} is not a directory: pass the directory of a Node.js app.`, 2);
  }
  const realDir = fs.realpathSync(dir);
  /** The real path of a regular file inside the app, or why it is not one. */
  const resolve = (file: string): { real: string; size: number } | 'outside' | 'special' | 'missing' => {
    const full = path.join(dir, file);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(full);
      if (stat.isSymbolicLink()) {
        const real = fs.realpathSync(full);
        if (real !== realDir && !real.startsWith(realDir + path.sep)) return 'outside';
        stat = fs.statSync(real);
        return stat.isFile() ? { real, size: stat.size } : 'special';
      }
    } catch {
      return 'missing';
    }
    // Devices, FIFOs and sockets never end or block a read: never opened.
    return stat.isFile() ? { real: full, size: stat.size } : 'special';
  };

  const manifest = resolve('package.json');
  if (manifest === 'missing') {
    throw new UserError(`${directory} has no package.json, so it is not a Node.js app: pass the app's directory.`, 2);
  }
  if (typeof manifest === 'string' || manifest.size > READ_LIMIT) {
    throw new UserError(
      `${path.join(directory, 'package.json')} is not a regular file inside the app (or is over 32 MB): check reads only the app's own files.`,
      2,
    );
  }
  let packageJson: PackageJson;
  try {
    packageJson = JSON.parse(fs.readFileSync(manifest.real, 'utf8')) as PackageJson;
    if (typeof packageJson !== 'object' || packageJson === null || Array.isArray(packageJson))
      throw new Error('not an object');
  } catch {
    throw new UserError(`${path.join(directory, 'package.json')} is not valid JSON: fix it and run check again.`, 2);
  }
  const git = await gitFiles(dir);
  const skipped: Repo['skipped'] = { outside: [], special: [] };
  const resolved = new Map<string, { real: string; size: number }>();
  const files = (git?.files ?? walk(dir)).filter((file) => {
    if (file.split('/').some((part) => SKIPPED_DIRS.has(part))) return false;
    const found = resolve(file);
    if (found === 'missing') return false;
    if (found === 'outside' || found === 'special') {
      skipped[found].push(file);
      return false;
    }
    resolved.set(file, found);
    return true;
  });
  const cache = new Map<string, string | undefined>();
  const readFile = (file: string): string | undefined => {
    const found = lookup(file);
    try {
      return found && found.size <= READ_LIMIT ? fs.readFileSync(found.real, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
  const lookup = (file: string) => {
    const known = resolved.get(file);
    if (known) return known;
    // Files outside the list (ignored ones such as .env) are checked the same way before any read.
    const found = resolve(file);
    return typeof found === 'string' ? undefined : found;
  };
  return {
    dir,
    packageJson,
    tracked: git?.tracked,
    files,
    skipped,
    envIgnored: git?.envIgnored,
    exists: (file) => resolved.has(file) || lookup(file) !== undefined,
    size: (file) => {
      const found = lookup(file);
      return found && found.size <= READ_LIMIT ? found.size : undefined;
    },
    read: (file) => {
      if (!cache.has(file)) cache.set(file, readFile(file));
      return cache.get(file);
    },
    readOnce: (file) => (cache.has(file) ? cache.get(file) : readFile(file)),
  };
}

async function gitFiles(
  dir: string,
): Promise<{ tracked: Set<string>; files: string[]; envIgnored: boolean } | undefined> {
  // node:child_process rather than execa: three short git calls, and execa alone costs more to load than they take.
  const git = (args: string[]) =>
    new Promise<{ exitCode: number; stdout: string }>((resolve) => {
      const child = execFile('git', args, { cwd: dir, maxBuffer: 256 * 2 ** 20 }, (error, stdout) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ exitCode: code, stdout: String(stdout) });
      });
      child.stdin?.end();
    });
  // Paths come relative to `dir` even when the repository root is above it (a monorepo package).
  // One ls-files lists tracked and untracked-but-not-ignored files, each tagged (`-t`): `?` for an
  // untracked file, a letter for a tracked one (H, or S/M for skip-worktree and unmerged entries).
  const [listed, ignored] = await Promise.all([
    git(['ls-files', '-z', '-t', '--cached', '--others', '--exclude-standard']),
    // --no-index: by the ignore rules, also when .env is (wrongly) tracked.
    git(['check-ignore', '-q', '--no-index', '.env']),
  ]);
  // Outside a work tree ls-files fails: no git repository, the walk lists the files.
  if (listed.exitCode !== 0) return undefined;
  const tracked = new Set<string>();
  const files = new Set<string>();
  for (const entry of listed.stdout.split('\0')) {
    if (entry.length < 3) continue;
    const file = entry.slice(2);
    files.add(file);
    if (entry[0] !== '?') tracked.add(file);
  }
  return { tracked, files: [...files].sort(), envIgnored: ignored.exitCode === 0 };
}

function walk(dir: string): string[] {
  const found: string[] = [];
  const visit = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const file = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(file);
      } else if (entry.isFile() || entry.isSymbolicLink()) found.push(file);
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
