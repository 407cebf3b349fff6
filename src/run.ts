import { createEnv } from 'yeoman-environment';
import AppGenerator from '../generators/app/index.ts';
import type { AppOptions } from '../generators/app/generator.ts';
import { packageRoot } from './paths.ts';
import type { Flags } from './request.ts';

/** Run the app generator in a Yeoman environment; only the CLI imports this, lazily, after argument checks. */
export async function generateApp(flags: Flags, options: { interactive: boolean; cwd: string; userAgent?: string }) {
  const env = createEnv({
    cwd: options.cwd,
    // Yeoman logs to stderr by default; our progress and next steps are the output, so they go to
    // stdout, and stderr carries only the one-sentence errors the CLI entry writes.
    stdout: process.stdout,
    stderr: process.stdout,
    // We install ourselves (with a spinner and our own error message), so Yeoman's watcher stays off.
    skipInstall: true,
    dryRun: Boolean(flags.dryRun),
    // --force --yes overwrites; --force alone lets the conflicter ask per file.
    force: Boolean(flags.force && flags.yes),
  });
  // Registered as a class, not a path: Yeoman's path loader tries `require` first.
  env.register(AppGenerator, { namespace: 'twelve-app:app', packagePath: packageRoot() });
  const generatorOptions: Partial<AppOptions> = {
    flags,
    interactive: options.interactive,
    startDir: options.cwd,
    userAgent: options.userAgent,
  };
  const generator = await env.create('twelve-app:app', { generatorArgs: [], generatorOptions: generatorOptions as never });
  await env.runGenerator(generator);
}
