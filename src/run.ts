import { createEnv } from 'yeoman-environment';
import type { AddFlags, AddOptions } from '../generators/add-capability.ts';
import AppGenerator from '../generators/app/index.ts';
import ErrorReportingGenerator from '../generators/error-reporting/index.ts';
import type { AppOptions } from '../generators/app/generator.ts';
import PostgresGenerator from '../generators/postgres/index.ts';
import RedisGenerator from '../generators/redis/index.ts';
import TracingGenerator from '../generators/tracing/index.ts';
import WorkerGenerator from '../generators/worker/index.ts';
import type { CapabilityId } from './model/types.ts';
import { packageRoot } from './paths.ts';
import type { Flags } from './request.ts';

export interface RunContext {
  interactive: boolean;
  cwd: string;
  userAgent?: string | undefined;
}

/** One sub-generator per capability `add` accepts (generators/<name>). */
export const SUB_GENERATORS = {
  worker: WorkerGenerator,
  redis: RedisGenerator,
  postgres: PostgresGenerator,
  'error-reporting': ErrorReportingGenerator,
  tracing: TracingGenerator,
} as const;

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
  env.register(SUB_GENERATORS[capability], { namespace, packagePath: packageRoot() });
  const generatorOptions: Partial<AddOptions> = { flags, interactive: context.interactive, startDir: context.cwd };
  const generator = await env.create(namespace, { generatorArgs: [], generatorOptions: generatorOptions as never });
  await env.runGenerator(generator);
}
