import { createEnv } from 'yeoman-environment';
import type { AddFlags, AddOptions } from '../generators/add-capability.ts';
import AppGenerator from '../generators/app/index.ts';
import type { AppOptions } from '../generators/app/generator.ts';
import { capabilityGenerator } from '../generators/capability-generator.ts';
import type { CapabilityId } from './capabilities/registry.ts';
import { packageRoot } from './paths.ts';
import type { Flags } from './request.ts';

export interface RunContext {
  interactive: boolean;
  cwd: string;
  userAgent?: string | undefined;
}

function environment(context: RunContext, options: { dryRun?: boolean | undefined; force?: boolean | undefined }) {
  return createEnv({
    cwd: context.cwd,
    // Yeoman logs to stderr by default; our progress and next steps are the output, so they go to
    // stdout, and stderr carries only the one-sentence errors the CLI entry writes.
    stdout: process.stdout,
    stderr: process.stdout,
    // We install ourselves (with a spinner and our own error message), so Yeoman's watcher stays off.
    skipInstall: true,
    dryRun: Boolean(options.dryRun),
    force: Boolean(options.force),
  });
}

/** Run the app generator in a Yeoman environment; only the CLI imports this, lazily, after argument checks. */
export async function generateApp(flags: Flags, context: RunContext) {
  // --force --yes overwrites; --force alone lets the conflicter ask per file.
  const env = environment(context, { dryRun: flags.dryRun, force: flags.force && flags.yes });
  // Registered as a class, not a path: Yeoman's path loader tries `require` first.
  env.register(AppGenerator, { namespace: 'twelve-app:app', packagePath: packageRoot() });
  const generatorOptions: Partial<AppOptions> = { flags, interactive: context.interactive, startDir: context.cwd, userAgent: context.userAgent };
  const generator = await env.create('twelve-app:app', { generatorArgs: [], generatorOptions: generatorOptions as never });
  await env.runGenerator(generator);
}

/** `add <capability>`: the capability's sub-generator, in the app at --cwd or the working directory. */
export async function addCapability(capability: CapabilityId, flags: AddFlags, context: RunContext) {
  const env = environment(context, { dryRun: flags.dryRun });
  const namespace = `twelve-app:${capability}`;
  // The same class generators/<capability>/ exports, built from the registry.
  env.register(capabilityGenerator(capability), { namespace, packagePath: packageRoot() });
  const generatorOptions: Partial<AddOptions> = { flags, interactive: context.interactive, startDir: context.cwd };
  const generator = await env.create(namespace, { generatorArgs: [], generatorOptions: generatorOptions as never });
  await env.runGenerator(generator);
}
