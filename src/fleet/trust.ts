import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { isInside, realOrSelf } from '../inside.ts';
import type { TemplateRef } from '../model/types.ts';
import { prefixMatches } from '../update/trusted-template.ts';
import type { RepoSource } from './repos.ts';

/**
 * Which house-template sources the operator trusts. A template is code (EJS runs with the operator's
 * permissions), and fleet runs `update` on repositories other people push to, so a recorded source is
 * fetched only when it matches one of these: an npm scope (`@acme`), a package name (`acme-house`), or
 * a path prefix (`/srv/templates/`, resolved against the current directory).
 */
export interface TrustConfig {
  trustTemplates: string[];
  /**
   * Repositories whose own code fleet may run on this machine (`--trust-repo`): URL prefixes
   * (`https://github.com/acme/`, `git@github.com:acme/`) or path prefixes. Only these canaries are
   * installed from their lockfile and built; anything a repository's pushers wrote runs then.
   */
  trustRepos: string[];
}

/**
 * `--config <file>`: `{ "trustTemplates": ["@acme"], "trustRepos": ["https://github.com/acme/"] }`, merged
 * with `--trust-template` and `--trust-repo`.
 */
export function readFleetConfig(file: string | undefined, cwd: string): TrustConfig {
  if (file === undefined) return { trustTemplates: [], trustRepos: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(path.resolve(cwd, file), 'utf8'));
  } catch {
    throw new UserError(
      `--config ${file}: not a readable JSON file; write {"trustTemplates": ["@your-scope"], "trustRepos": ["https://github.com/your-org/"]}.`,
      2,
    );
  }
  const list = (key: 'trustTemplates' | 'trustRepos', what: string): string[] => {
    const value = (parsed as Partial<Record<typeof key, unknown>> | null)?.[key] ?? [];
    if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string' && entry.trim() !== ''))
      throw new UserError(`--config ${file}: "${key}" must be a list of ${what}.`, 2);
    return value;
  };
  return {
    trustTemplates: list('trustTemplates', 'npm scopes, package names or path prefixes'),
    trustRepos: list('trustRepos', 'git URL prefixes or path prefixes'),
  };
}

/**
 * Whether the operator trusts a repository's own code to run here: a URL repository when an entry is a
 * prefix of its URL (up to a `/`, `#` or the end, as `--trust-template` matches URLs), a path repository
 * when it lies inside an entry's path (resolved against the current directory, links resolved).
 */
export function isTrustedRepo(repo: RepoSource, trusted: readonly string[], cwd: string): boolean {
  if (repo.remote === repo.source) return trusted.some((entry) => prefixMatches(entry, repo.source));
  const absolute = realOrSelf(path.resolve(cwd, repo.source));
  return trusted.some((entry) => !/^[\w+.-]+:/.test(entry) && isInside(realOrSelf(path.resolve(cwd, entry)), absolute));
}

// Which sources are trusted is decided by update's own rule (src/update/trusted-template.ts), so fleet
// and `update --trust-template` can never disagree.
export { isTrusted } from '../update/trusted-template.ts';

/** One sentence naming the source and what to pass to trust it. */
export function untrustedMessage(ref: TemplateRef): string {
  const hint = ref.type === 'npm' ? (ref.name.startsWith('@') ? ref.name.split('/')[0] : ref.name) : '<path prefix>';
  return `house template ${ref.name}@${ref.version} from ${ref.source} is not trusted: pass --trust-template ${hint} (or list it in --config) to let fleet fetch it`;
}
