import type { BaseOptions } from 'yeoman-generator';
import type { CapabilityId } from '../src/capabilities/registry.ts';
import { UserError } from '../src/errors.ts';
import type { AddFlags, UpdateOutcome } from '../src/update/run.ts';
import { addToApp } from '../src/update/run.ts';
import { TwelveGenerator } from './base.ts';

export type { AddFlags } from '../src/update/run.ts';

export type AddOptions = BaseOptions & {
  flags?: AddFlags;
  interactive?: boolean;
  startDir?: string;
};

/**
 * `add <capability>` as a Yeoman sub-generator, for generators that compose ours. It is the same
 * three-way merge as `update` (src/update/run.ts, which the CLI calls directly): base = what the recorded
 * version rendered, theirs = this version with the capability, yours = the working tree. That code
 * decides every file in memory and writes once, so this generator writes through it rather than through
 * `this.fs`, whose conflicter would ask `Overwrite?` about files the merge has already settled.
 */
export class AddCapabilityGenerator extends TwelveGenerator<Record<string, unknown>, AddOptions> {
  /** Set by each sub-generator folder: the capability it adds. */
  declare capability: CapabilityId;
  declare outcome: UpdateOutcome;

  constructor(args?: string[], options?: AddOptions) {
    // The run-loop methods live here, on the parent of each generators/<capability> class.
    super(args, options, { inheritTasks: true });
  }

  async writing() {
    const flags = this.options.flags ?? {};
    this.outcome = await addToApp(this.capability, flags, {
      cwd: this.options.startDir ?? this.env.cwd,
      write: (line) => this.log(line),
    });
    if (this.outcome === 'conflicts') {
      throw new UserError(
        `add ${this.capability} left conflict markers in the files listed above: resolve them, then commit.`,
      );
    }
  }
}
