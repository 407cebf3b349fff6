import type { BaseFeatures, BaseOptions } from 'yeoman-generator';
import Generator from 'yeoman-generator';
import { exitInterrupted } from '../src/errors.ts';
import { installDependencies } from '../src/install.ts';
import type { PackageManagerInfo } from '../src/model/types.ts';

/**
 * Our generators' common base. `tasksMatchingPriority` makes only run-loop methods (`initializing`,
 * `prompting`, `writing`, ...) run as tasks, so a helper method never runs by accident; templates get
 * their data and nothing else (`templateContext: 'throw'`).
 */
export class TwelveGenerator<C extends Record<string, unknown>, O extends BaseOptions = BaseOptions> extends Generator<
  C,
  O
> {
  constructor(args?: string[], options?: O, features?: BaseFeatures) {
    super(args ?? [], options ?? ({} as O), {
      tasksMatchingPriority: true,
      templateContext: 'throw',
      disableLodashProperty: true,
      customInstallTask: true,
      ...features,
    });
    // Yeoman logs "An error occured while running …" for every failed task; the CLI already reports each
    // failure once, as one sentence for a user error, so that line would only be noise.
    const log = this.log;
    const error = (...args: Parameters<typeof log.error>) =>
      String(args[0]).startsWith('An error occured while running') ? log : log.error(...args);
    (this as { log: typeof log }).log = new Proxy(log, {
      get: (target, property) => (property === 'error' ? error : Reflect.get(target, property)),
    });
  }

  /**
   * A real install in the destination with a spinner. Ctrl-C ends it with exit 130 and one sentence
   * saying what is left (`otherwise`: what else the user can do). Not a task: with
   * `tasksMatchingPriority` Yeoman runs only methods named for its priorities.
   */
  protected async runInstall(packageManager: PackageManagerInfo, label: string, otherwise: string): Promise<void> {
    const directory = this.destinationRoot();
    const onInterrupt = () => {
      process.stderr.write(
        `\nInstall interrupted: the app's files are in ${directory}, its dependencies are incomplete; run \`${packageManager.name} install\` there, or ${otherwise}.\n`,
      );
      exitInterrupted();
    };
    process.once('SIGINT', onInterrupt);
    // The spinner puts a TTY in raw mode and turns a Ctrl-C byte into SIGINT, but only reads it if
    // stdin is flowing; with --yes nothing has read stdin yet, so Ctrl-C would be swallowed.
    const stdin = process.stdin.isTTY ? process.stdin : undefined;
    stdin?.resume();
    try {
      await this.env.adapter.progress(() => installDependencies(directory, packageManager), { name: label });
    } finally {
      stdin?.pause();
      process.removeListener('SIGINT', onInterrupt);
    }
  }

  /** The `.yo-rc.json` key; fixed, so it does not depend on how Yeoman found the generator's package.json. */
  override rootGeneratorName(): string {
    return YO_RC_KEY;
  }
}

export const YO_RC_KEY = 'create-twelve-app';
