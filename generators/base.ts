import Generator from 'yeoman-generator';
import type { BaseFeatures, BaseOptions } from 'yeoman-generator';

/**
 * Our generators' common base. `tasksMatchingPriority` makes only run-loop methods (`initializing`,
 * `prompting`, `writing`, ...) run as tasks, so a helper method never runs by accident; templates get
 * their data and nothing else (`templateContext: 'throw'`).
 */
export class TwelveGenerator<C extends Record<string, unknown>, O extends BaseOptions = BaseOptions> extends Generator<C, O> {
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
    (this as { log: typeof log }).log = new Proxy(log, { get: (target, property) => (property === 'error' ? error : Reflect.get(target, property)) });
  }

  /** The `.yo-rc.json` key; fixed, so it does not depend on how Yeoman found the generator's package.json. */
  override rootGeneratorName(): string {
    return YO_RC_KEY;
  }
}

export const YO_RC_KEY = 'create-twelve-app';
