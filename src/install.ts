import { execa } from 'execa';
import { UserError } from './errors.ts';
import type { PackageManagerInfo } from './model/types.ts';

/**
 * A real install with the chosen package manager, so the app ships with its lockfile. Its output is kept
 * and shown only when it fails: a wall of npm output would hide our next steps.
 */
export async function installDependencies(
  directory: string,
  packageManager: PackageManagerInfo,
  /** What is on disk when the install fails, for the error message. */
  leftBehind = `the app was generated in ${directory} without dependencies`,
): Promise<void> {
  const result = await execa(packageManager.name, ['install'], {
    cwd: directory,
    all: true,
    reject: false,
    stdin: 'ignore',
    // Our own npm_* variables (from `npm create`) would otherwise leak into the child's config.
    extendEnv: true,
    env: { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  });
  if (result.failed) {
    const output = (result.all ?? '').trim().split('\n').slice(-15).join('\n');
    const reason =
      result.code === 'ENOENT'
        ? `${packageManager.name} was not found on PATH`
        : `${packageManager.name} install failed`;
    throw new UserError(
      `${reason}; ${leftBehind}: fix the problem and run \`${packageManager.name} install\` there.${output ? `\n${output}` : ''}`,
    );
  }
}
