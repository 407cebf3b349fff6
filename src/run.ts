import fs from 'node:fs';
import path from 'node:path';
import { createEnv } from 'yeoman-environment';
import type { AppOptions } from '../generators/app/generator.ts';
import AppGenerator from '../generators/app/index.ts';
import { packageRoot } from './paths.ts';
import type { Flags } from './request.ts';

export interface RunContext {
  interactive: boolean;
  cwd: string;
  userAgent?: string | undefined;
}

function environment(context: RunContext, options: { dryRun?: boolean | undefined; force?: boolean | undefined }) {
  const env = createEnv({
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
  labelNewFilesCreated(env.adapter.log, context.cwd);
  return env;
}

/**
 * Yeoman marks `.yo-rc.json` "force" whether or not it existed, so a new app's output named a conflict
 * that never was. The label is printed before the file is written: a file not on disk yet is `create`.
 * A real overwrite (`--force --yes` in a non-empty directory) keeps its "force".
 */
function labelNewFilesCreated(
  log: { force: (...args: unknown[]) => unknown; create: (...args: unknown[]) => unknown },
  cwd: string,
): void {
  const force = log.force;
  log.force = function (this: unknown, ...args: unknown[]) {
    const file = typeof args[0] === 'string' ? path.resolve(cwd, args[0]) : undefined;
    return file !== undefined && !fs.existsSync(file) ? log.create.apply(this, args) : force.apply(this, args);
  };
}

/** Run the app generator in a Yeoman environment; only the CLI imports this, lazily, after argument checks. */
export async function generateApp(flags: Flags, context: RunContext) {
  // --force --yes overwrites; --force alone lets the conflicter ask per file.
  const env = environment(context, { dryRun: flags.dryRun, force: flags.force && flags.yes });
  // Registered as a class, not a path: Yeoman's path loader tries `require` first.
  env.register(AppGenerator, { namespace: 'twelve-app:app', packagePath: packageRoot() });
  const generatorOptions: Partial<AppOptions> = {
    flags,
    interactive: context.interactive,
    startDir: context.cwd,
    userAgent: context.userAgent,
  };
  const generator = await env.create('twelve-app:app', {
    generatorArgs: [],
    generatorOptions: generatorOptions as never,
  });
  await env.runGenerator(generator);
}
