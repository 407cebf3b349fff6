import { execa } from 'execa';
import { UserError } from '../errors.ts';

/**
 * An update must be reviewable and revertable as one diff, so it starts from a committed tree: refuse
 * uncommitted changes in the app (and an app outside git, where nothing could be reverted) unless --force.
 */
export async function assertCleanTree(directory: string): Promise<void> {
  const status = await execa('git', ['status', '--porcelain', '--untracked-files=normal', '--', '.'], {
    cwd: directory,
    reject: false,
    stdin: 'ignore',
  });
  if (status.code === 'ENOENT') {
    throw new UserError(
      'git was not found on PATH, so uncommitted changes cannot be ruled out: install git, or pass --force to update anyway.',
    );
  }
  if (status.failed) {
    throw new UserError(
      `${directory} is not in a git repository, so the update could not be reviewed or reverted as one diff: commit the app to git first, or pass --force.`,
    );
  }
  const changed = status.stdout.split('\n').filter(Boolean);
  if (changed.length > 0) {
    const files = changed
      .slice(0, 5)
      .map((line) => line.slice(3))
      .join(', ');
    throw new UserError(
      `The app has uncommitted changes (${files}${changed.length > 5 ? ', …' : ''}): commit or stash them first, so the update is one diff you can review and revert, or pass --force.`,
    );
  }
}
