import { execa } from 'execa';

/** The identity used only when the machine has none, so the first commit never fails a CI run. */
const FALLBACK_IDENTITY = {
  GIT_AUTHOR_NAME: 'create-twelve-app',
  GIT_AUTHOR_EMAIL: 'create-twelve-app@users.noreply.invalid',
  GIT_COMMITTER_NAME: 'create-twelve-app',
  GIT_COMMITTER_EMAIL: 'create-twelve-app@users.noreply.invalid',
};

export type GitResult = 'committed' | 'inside-repository' | 'git-missing' | 'failed';

/** `git init` and a first commit, unless the app already sits inside a repository. */
export async function initRepository(directory: string): Promise<GitResult> {
  const inside = await execa('git', ['rev-parse', '--is-inside-work-tree'], {
    cwd: directory,
    reject: false,
    stdin: 'ignore',
  });
  if (inside.code === 'ENOENT') return 'git-missing';
  if (!inside.failed && inside.stdout.trim() === 'true') return 'inside-repository';
  const email = await execa('git', ['config', 'user.email'], { cwd: directory, reject: false, stdin: 'ignore' });
  const env = email.stdout.trim() ? {} : FALLBACK_IDENTITY;
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '-A'],
    ['commit', '-q', '-m', 'Initial commit from create-twelve-app'],
  ]) {
    const result = await execa('git', args, { cwd: directory, reject: false, stdin: 'ignore', env });
    if (result.failed) return 'failed';
  }
  return 'committed';
}
