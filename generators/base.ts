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
  }

  /** The `.yo-rc.json` key; fixed, so it does not depend on how Yeoman found the generator's package.json. */
  override rootGeneratorName(): string {
    return YO_RC_KEY;
  }
}

export const YO_RC_KEY = 'create-twelve-app';
