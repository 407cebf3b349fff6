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
}
