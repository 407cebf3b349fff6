import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { checkApp } from '../check/check.ts';
import { ownVersion } from '../paths.ts';
import { updateApp } from '../update/run.ts';
import { type Checkout, git, gitOrThrow, lastLine } from './repos.ts';
import { type CheckSummary, type RepoStatus, readAppSpec, sentence } from './status.ts';

/** How one repository's update ended, for the after-run table and the exit code. */
export interface RepoUpdate {
  source: string;
  app: string | null;
  outcome: 'updated' | 'up-to-date' | 'conflicts' | 'failed' | 'skipped';
  /** The branch pushed (or left in the cache with --no-push). */
  branch?: string;
  /** The version change, `0.0.0-g1 → 0.0.0`. */
  change?: string;
  check?: CheckSummary;
  /** A factor that passed or warned before the update and fails after it (what stops a canary). */
  regressed?: string[];
  /** Set when the branch was built (a canary from a trusted repository): whether install and build passed. */
  build?: 'passed' | 'failed';
  conflicts?: string[];
  /** One sentence: why it failed, was skipped, or what to do about conflicts. */
  reason?: string;
  /** Set when --pr found no `gh` or was not given: the command that opens the pull request. */
  prCommand?: string;
  prUrl?: string;
  /** Where the branch sits in the cache. */
  dir?: string;
}

export interface UpdateOptions {
  branch: string;
  allowConflicts: boolean;
  push: boolean;
  pr: boolean;
  /** Old versions' packages by version (`--base-from`); others come from the npm registry. */
  bases: ReadonlyMap<string, string>;
  cwd: string;
  /** House-template sources the operator trusts; checked by fleet's status first, and passed on to update. */
  trustTemplates: readonly string[];
  /** Whether `gh` is on PATH, looked up once per run. */
  gh: boolean;
  /**
   * Install from the lockfile and build the updated branch before pushing it: runs the repository's
   * code, so only for canaries from repositories the operator trusts (`--trust-repo`).
   */
  build?: boolean;
}

/** Every fleet commit carries this trailer: a remote branch is ours to replace only if all its own commits do. */
export const TRAILER = 'Created-by: create-twelve-app fleet';

/** The identity used only when the machine has none (a fresh CI runner), as `git init` of new apps does. */
const FALLBACK_IDENTITY = {
  GIT_AUTHOR_NAME: 'create-twelve-app',
  GIT_AUTHOR_EMAIL: 'create-twelve-app@users.noreply.invalid',
  GIT_COMMITTER_NAME: 'create-twelve-app',
  GIT_COMMITTER_EMAIL: 'create-twelve-app@users.noreply.invalid',
};

/**
 * One repository, from its status (already fetched at the default branch): branch, `update`, lockfile,
 * `check`, commit, push. Never throws: a broken repository is a `failed` row and the others go on.
 */
export async function updateRepo(
  status: RepoStatus & { checkout?: Checkout },
  options: UpdateOptions,
): Promise<RepoUpdate> {
  const row: RepoUpdate = { source: status.source, app: status.app, outcome: 'failed' };
  const fetched = status.checkout;
  // A repository that is not an app of ours is skipped; one that could not be fetched or read failed.
  if (fetched && status.app === null)
    return { ...row, outcome: 'skipped', reason: status.error ?? 'not an app of ours' };
  if (!fetched || status.error !== null) return { ...row, reason: status.error ?? 'not fetched' };
  if (status.updateAvailable === false) return { ...row, outcome: 'up-to-date' };
  const { dir, defaultBranch } = fetched;
  row.dir = dir;
  if (options.branch === defaultBranch)
    return { ...row, reason: `--branch ${options.branch} is the default branch, which fleet never pushes to` };
  try {
    const spec = readAppSpec(dir);
    row.change = status.target ?? `${spec.generatorVersion} → ${ownVersion()}`;
    await gitOrThrow(dir, ['checkout', '-q', '-B', options.branch, defaultBranch], 'branching failed');
    const log: string[] = [];
    const from = options.bases.get(spec.generatorVersion);
    // skipInstall: update's own install would run the repository's lifecycle scripts; ours does not.
    const flags = { cwd: dir, skipInstall: true, trustTemplates: options.trustTemplates, ...(from ? { from } : {}) };
    const outcome = await updateApp(flags, { cwd: options.cwd, write: (line) => log.push(line) });
    if (outcome === 'up-to-date') return { ...row, outcome: 'up-to-date' };
    const conflicts = await conflictedFiles(dir);
    if (conflicts.length > 0) {
      row.conflicts = conflicts;
      if (!options.allowConflicts) {
        await discard(dir, defaultBranch, options.branch);
        return {
          ...row,
          outcome: 'conflicts',
          reason: `conflicts in ${conflicts.join(', ')}: no branch (pass --allow-conflicts to commit them with markers)`,
        };
      }
    }
    const changed = await gitOrThrow(dir, ['status', '--porcelain'], 'update failed');
    if (/^.. package\.json$/m.test(changed) && !conflicts.includes('package.json'))
      await refreshLockfile(dir, spec.packageManager);
    const report = await checkApp({ directory: dir });
    const failing = report.factors.filter((factor) => factor.status === 'fail').map((factor) => factor.id);
    row.check = { ...report.summary, failing };
    row.regressed = failing.filter((id) => !(status.check?.failing ?? []).includes(id));
    await commit(dir, commitMessage(row, report.summary, conflicts));
    if (options.build && conflicts.length === 0) {
      const failure = await build(dir, spec.packageManager);
      row.build = failure === undefined ? 'passed' : 'failed';
      // A branch that does not build is not pushed: it stays in the cache for a look, and stops the canary.
      if (failure !== undefined)
        return { ...row, outcome: 'failed', reason: `${failure}; the branch is left in ${dir}, not pushed` };
    }
    row.branch = options.branch;
    row.outcome = conflicts.length > 0 ? 'conflicts' : 'updated';
    if (options.push) {
      await push(dir, defaultBranch, options.branch);
      if (options.pr) Object.assign(row, await pullRequest(dir, defaultBranch, options.branch, row, options.gh));
    } else {
      row.reason = `branch left in ${dir} (--no-push)`;
    }
    if (conflicts.length > 0) row.reason ??= `committed with conflict markers in ${conflicts.join(', ')}`;
    return row;
  } catch (error) {
    return { ...row, outcome: 'failed', branch: undefined, reason: sentence(error) };
  }
}

/** Files the merge left conflict markers in (update writes git's standard `<<<<<<< yours`). */
async function conflictedFiles(dir: string): Promise<string[]> {
  const changed = await gitOrThrow(dir, ['diff', '--name-only'], 'update failed');
  return changed
    .split('\n')
    .filter(Boolean)
    .filter((file) => {
      const absolute = path.join(dir, file);
      return fs.existsSync(absolute) && /^<<<<<<< yours$/m.test(fs.readFileSync(absolute, 'utf8'));
    });
}

async function discard(dir: string, defaultBranch: string, branch: string): Promise<void> {
  await git(dir, ['checkout', '-q', '-f', defaultBranch]);
  await git(dir, ['clean', '-q', '-ffdx']);
  await git(dir, ['branch', '-q', '-D', branch]);
}

/**
 * The lockfile follows package.json without installing anything: npm's `--package-lock-only` (pnpm's
 * `--lockfile-only`) resolves versions and writes the lockfile, and `--ignore-scripts` makes sure no
 * lifecycle script of the repository or its dependencies runs on this machine.
 */
async function refreshLockfile(dir: string, packageManager: string): Promise<void> {
  const manager = packageManager.split('@')[0] ?? 'npm';
  const args =
    manager === 'pnpm'
      ? ['install', '--lockfile-only', '--ignore-scripts']
      : manager === 'yarn'
        ? ['install', '--mode=update-lockfile']
        : // --git on the command line: a repository's own .npmrc could otherwise name another program as git.
          ['install', '--package-lock-only', '--ignore-scripts', '--git=git', '--no-audit', '--no-fund'];
  const result = await execa(manager, args, {
    cwd: dir,
    reject: false,
    all: true,
    stdin: 'ignore',
    env: { npm_config_update_notifier: 'false', npm_config_ignore_scripts: 'true', YARN_ENABLE_SCRIPTS: 'false' },
  });
  if (result.failed)
    throw new Error(
      `refreshing the lockfile with ${manager} failed: ${lastLine(String(result.all ?? '')) || 'no output'}`,
    );
}

/**
 * The canary's build as the repository's CI would run it: a frozen install from the committed lockfile
 * (its lifecycle scripts included), then the `build` script. Runs the repository's code: only called
 * for repositories the operator trusts. Returns why it failed, or undefined.
 */
async function build(dir: string, packageManager: string): Promise<string | undefined> {
  const manager = packageManager.split('@')[0] || 'npm';
  const install =
    manager === 'pnpm'
      ? ['install', '--frozen-lockfile']
      : manager === 'yarn'
        ? ['install', '--immutable']
        : ['ci', '--no-audit', '--no-fund'];
  for (const args of [install, ['run', 'build']]) {
    const result = await execa(manager, args, {
      cwd: dir,
      reject: false,
      all: true,
      stdin: 'ignore',
      timeout: 15 * 60_000,
      env: { npm_config_update_notifier: 'false' },
    });
    if (result.failed)
      return `the build failed at \`${manager} ${args.join(' ')}\`: ${lastLine(String(result.all ?? '')) || 'no output'}`;
  }
  return undefined;
}

/** `create-twelve-app check: 11 pass, 1 warn, 0 fail (failing: …).` */
function checkSentence(row: RepoUpdate, summary: { pass: number; warn: number; fail: number }): string {
  return `create-twelve-app check: ${summary.pass} pass, ${summary.warn} warn, ${summary.fail} fail${row.check?.failing.length ? ` (failing: ${row.check.failing.join(', ')})` : ''}.`;
}

export function commitMessage(
  row: RepoUpdate,
  summary: { pass: number; warn: number; fail: number },
  conflicts: readonly string[],
): string {
  return [
    `Update create-twelve-app ${row.change ?? ''}`.trim(),
    '',
    checkSentence(row, summary),
    ...(conflicts.length > 0
      ? ['', 'Conflicts left with markers, to resolve before merging:', ...conflicts.map((file) => `- ${file}`)]
      : []),
    '',
    TRAILER,
    '',
  ].join('\n');
}

async function commit(dir: string, message: string): Promise<void> {
  const email = await git(dir, ['config', 'user.email']);
  const env = String(email.stdout).trim() ? {} : FALLBACK_IDENTITY;
  await gitOrThrow(dir, ['add', '-A'], 'commit failed');
  const result = await execa('git', ['commit', '-q', '--no-verify', '-F', '-'], {
    cwd: dir,
    input: message,
    reject: false,
    env: { GIT_TERMINAL_PROMPT: '0', ...env },
  });
  if (result.failed) throw new Error(`commit failed: ${lastLine(String(result.stderr))}`);
}

/**
 * Pushes the branch, never the default branch. A branch already on origin is replaced only when every
 * commit it has beyond the default branch is one of ours (the trailer), and only at the commit we looked
 * at (`--force-with-lease`), so someone's work on it is refused and reported, never overwritten.
 */
async function push(dir: string, defaultBranch: string, branch: string): Promise<void> {
  const remote = await gitOrThrow(dir, ['ls-remote', 'origin', `refs/heads/${branch}`], 'push failed');
  const existing = /^([0-9a-f]{40})\t/m.exec(remote)?.[1];
  let lease = `--force-with-lease=refs/heads/${branch}:`;
  if (existing !== undefined) {
    // The whole history of both, so "beyond the default branch" is exact rather than cut at the shallow edge.
    const shallow = (await gitOrThrow(dir, ['rev-parse', '--is-shallow-repository'], 'push failed')) === 'true';
    await gitOrThrow(
      dir,
      [
        'fetch',
        '-q',
        ...(shallow ? ['--unshallow'] : []),
        'origin',
        `+refs/heads/${defaultBranch}:refs/remotes/origin/${defaultBranch}`,
        `+refs/heads/${branch}:refs/fleet/remote`,
      ],
      'push failed',
    );
    const foreign = await gitOrThrow(
      dir,
      ['log', '--format=%H %s%x00%B%x01', 'refs/fleet/remote', '--not', `refs/remotes/origin/${defaultBranch}`],
      'push failed',
    );
    const notOurs = foreign
      .split('\x01')
      .map((record) => record.trim())
      .filter(Boolean)
      .filter((record) => !record.includes(TRAILER));
    if (notOurs.length > 0) {
      throw new Error(
        `origin already has a branch ${branch} with ${notOurs.length} commit(s) not made by fleet: refused to overwrite it; pass another --branch or merge that branch first`,
      );
    }
    lease += existing;
  }
  const result = await git(dir, ['push', '-q', '--no-verify', lease, 'origin', `HEAD:refs/heads/${branch}`]);
  if (result.failed) throw new Error(`push failed: ${lastLine(String(result.stderr))}`);
}

/** `gh pr create` when `gh` is installed; otherwise the command a person (or a later job) can run. */
async function pullRequest(
  dir: string,
  base: string,
  branch: string,
  row: RepoUpdate,
  gh: boolean,
): Promise<Pick<RepoUpdate, 'prCommand' | 'prUrl' | 'reason'>> {
  const title = `Update create-twelve-app ${row.change ?? ''}`.trim();
  const args = ['pr', 'create', '--base', base, '--head', branch, '--title', title, '--body', pullRequestBody(row)];
  const command = `gh ${args.map((arg) => (/^[\w@./:=-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ')}`;
  if (!gh) return { prCommand: command };
  const result = await execa('gh', args, { cwd: dir, reject: false, stdin: 'ignore' });
  if (result.failed) return { prCommand: command, reason: `gh pr create failed: ${lastLine(String(result.stderr))}` };
  return { prUrl: lastLine(String(result.stdout)) };
}

/** What a reviewer needs first: the version change, the check summary, whether fleet built the branch. */
export function pullRequestBody(row: RepoUpdate): string {
  const summary = row.check ?? { pass: 0, warn: 0, fail: 0, failing: [] };
  return [
    'Opened by `create-twelve-app fleet update`.',
    '',
    `- Version: create-twelve-app ${row.change ?? '(unknown)'}`,
    `- ${checkSentence(row, summary)}`,
    row.build === 'passed'
      ? '- Build: passed on this branch before it was pushed (lockfile install, then the build script).'
      : "- Build: not verified by fleet; this branch's CI builds it.",
    ...(row.conflicts?.length
      ? [`- Conflicts left with markers, to resolve before merging: ${row.conflicts.join(', ')}.`]
      : []),
  ].join('\n');
}
