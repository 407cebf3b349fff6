import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { UserError } from '../errors.ts';
import { cacheRoot } from '../update/base-render.ts';

/** A repository of the fleet as the operator named it, and where git reaches it. */
export interface RepoSource {
  /** As given (a git URL or a path), shown in every report. */
  source: string;
  /** What `git` fetches from: URLs as given, local paths as `file://` so a shallow fetch works. */
  remote: string;
}

/** A repository fetched into the cache, checked out at its default branch. */
export interface Checkout {
  dir: string;
  defaultBranch: string;
  /** The default branch's commit on origin when fetched, to prove later that it did not move. */
  head: string;
}

/**
 * The repositories: positional arguments first, then the lines of `--from <file>` (blank lines and
 * `#` comments skipped), each once, in the order given (`--canary` takes the first N of it).
 */
export function listRepos(positionals: readonly string[], fromFile: string | undefined, cwd: string): RepoSource[] {
  const named = [...positionals];
  if (fromFile !== undefined) {
    const file = path.resolve(cwd, fromFile);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new UserError(
        `--from ${fromFile}: cannot read that file; pass a file with one repository (git URL or path) per line.`,
        2,
      );
    }
    named.push(...parseRepoList(text));
  }
  if (named.length === 0)
    throw new UserError(
      'fleet needs repositories: name git URLs or paths, or pass --from <file> with one per line.',
      2,
    );
  return [...new Set(named)].map((source) => ({ source, remote: remoteFor(source, cwd) }));
}

/** One repository per line; `#` starts a comment (a URL never contains one before its path). */
export function parseRepoList(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}

/** URLs (scheme or scp-like `git@host:path`) stay as they are; anything else is a path on this machine. */
export function remoteFor(source: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /^[^/\\]+@[^/\\:]+:/.test(source)) return source;
  return pathToFileURL(path.resolve(cwd, source)).href;
}

/** `$CREATE_TWELVE_APP_CACHE/fleet` (or the user's cache folder), beside update's installed versions. */
export function fleetCache(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), 'fleet');
}

/** A readable, collision-free folder name: the repository's last path part and a hash of the source. */
export function cacheFolder(remote: string): string {
  const base =
    remote
      .replace(/\.git\/?$/, '')
      .split(/[/:]/)
      .filter(Boolean)
      .pop() ?? 'repo';
  const hash = createHash('sha256').update(remote).digest('hex').slice(0, 10);
  return `${base.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)}-${hash}`;
}

/** git with no prompt for credentials (a CI job would hang on one) and no pager. */
export function git(cwd: string, args: readonly string[], env: Record<string, string> = {}) {
  return execa('git', args, {
    cwd,
    reject: false,
    stdin: 'ignore',
    env: { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', GIT_PAGER: 'cat', ...env },
  });
}

export async function gitOrThrow(
  cwd: string,
  args: readonly string[],
  what: string,
  env: Record<string, string> = {},
): Promise<string> {
  const result = await git(cwd, args, env);
  if (result.failed) throw new UserError(`${what}: ${lastLine(String(result.stderr)) || `git ${args[0]} failed`}`);
  return String(result.stdout).trim();
}

/** The line of a tool's output that says what went wrong: git's first `fatal:`/`error:`, else the last line. */
export function lastLine(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean);
  const line = lines.find((candidate) => /^(fatal|error|npm error|ERR!)\b/.test(candidate)) ?? lines.pop() ?? '';
  return line.replace(/^(fatal|error|npm error):? /, '').trim();
}

/**
 * Clones the repository into the cache, or fetches it again, at its default branch (as origin's HEAD
 * says), one commit deep; the working tree is reset to it, so a previous run's branch or edits never
 * leak into this one.
 */
export async function checkout(repo: RepoSource, cache: string): Promise<Checkout> {
  const dir = path.join(cache, cacheFolder(repo.remote));
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, '.git'))) {
    await gitOrThrow(dir, ['init', '-q'], 'clone failed');
    await gitOrThrow(dir, ['remote', 'add', 'origin', repo.remote], 'clone failed');
  } else {
    await gitOrThrow(dir, ['remote', 'set-url', 'origin', repo.remote], 'clone failed');
  }
  const heads = await gitOrThrow(dir, ['ls-remote', '--symref', 'origin', 'HEAD'], 'clone failed');
  const defaultBranch = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(heads)?.[1];
  if (defaultBranch === undefined)
    throw new UserError('clone failed: the repository has no default branch (an empty repository?)');
  await gitOrThrow(
    dir,
    ['fetch', '-q', '--depth', '1', 'origin', `+refs/heads/${defaultBranch}:refs/remotes/origin/${defaultBranch}`],
    'clone failed',
  );
  await gitOrThrow(
    dir,
    ['checkout', '-q', '-f', '-B', defaultBranch, `refs/remotes/origin/${defaultBranch}`],
    'checkout failed',
  );
  await gitOrThrow(dir, ['clean', '-q', '-ffdx'], 'checkout failed');
  const head = await gitOrThrow(dir, ['rev-parse', 'HEAD'], 'checkout failed');
  return { dir, defaultBranch, head };
}
