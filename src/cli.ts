#!/usr/bin/env node
import { parseCliArgs } from './args.ts';
import { exitInterrupted, isCancel, isUserError, UserError } from './errors.ts';
import { helpText } from './options.ts';
import { ownEngines, ownVersion } from './paths.ts';
import type { UpdateOutcome } from './update/run.ts';

const ISSUES_URL = 'https://github.com/create-twelve-app/create-twelve-app/issues';

/**
 * The one place that turns outcomes into output and exit codes. Each command's code is imported where the
 * command is chosen, so `--help` and `--version` load only this file's imports (and the bundle, built by
 * scripts/bundle-cli.ts, keeps each command in its own chunk).
 */
async function main(argv: string[]): Promise<number> {
  try {
    const parsed = parseCliArgs(argv, process.env);
    if (parsed.help) {
      process.stdout.write(helpText(ownVersion(), parsed.command));
      return 0;
    }
    if (parsed.version) {
      process.stdout.write(`${ownVersion()}\n`);
      return 0;
    }
    if (parsed.command === 'create') {
      const { validateFlags } = await import('./request.ts');
      validateFlags(parsed.flags);
    }
    await assertNodeVersion(process.versions.node, ownEngines());
    if (parsed.command === 'template') {
      const { initTemplate, initNextSteps } = await import('./house-template/init.ts');
      process.stdout.write(initNextSteps(initTemplate(parsed.name!, process.cwd()), process.cwd()));
      return 0;
    }
    if (parsed.command === 'check') {
      // Loaded only for check, so scaffolding and --help never load the parsers.
      const { runCheckCommand } = await import('./check/command.ts');
      return await runCheckCommand(parsed.flags, {
        cwd: process.cwd(),
        stdout: process.stdout,
        env: process.env,
        version: ownVersion(),
      });
    }
    if (parsed.command === 'fleet') {
      const { runFleetCommand } = await import('./fleet/command.ts');
      const io = {
        cwd: process.cwd(),
        env: process.env,
        stdout: (text: string) => process.stdout.write(text),
        progress: (line: string) => process.stderr.write(`${line}\n`),
      };
      return await runFleetCommand(parsed.flags, io);
    }
    const context = {
      interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
      cwd: process.cwd(),
      userAgent: process.env.npm_config_user_agent,
    };
    if (parsed.command === 'update') {
      const { updateApp } = await import('./update/run.ts');
      return UPDATE_EXIT_CODES[await updateApp(parsed.flags, context)];
    }
    if (parsed.command === 'add') {
      // The same three-way merge as update (src/update/run.ts): one write path for both.
      const { addToApp } = await import('./update/run.ts');
      return UPDATE_EXIT_CODES[await addToApp(parsed.capability!, parsed.flags, context)];
    }
    // `docker compose version` takes a few hundred milliseconds; it runs while Yeoman loads.
    if (!parsed.flags.dryRun) void import('./next-steps.ts').then((steps) => steps.hasDockerCompose());
    // Yeoman is loaded only once we know we will generate: --help and bad flags stay instant.
    const run = await import('./run.ts');
    await run.generateApp(parsed.flags, context);
    return 0;
  } catch (error) {
    return report(error);
  }
}

/** `update --check` fails when an update is available, and an update or add that left conflicts fails too. */
const UPDATE_EXIT_CODES: Record<UpdateOutcome, number> = {
  'up-to-date': 0,
  updated: 0,
  previewed: 0,
  'would-change': 1,
  conflicts: 1,
};

/** Yeoman and its dependencies crash in obscure ways on an older Node.js; say so plainly first. */
async function assertNodeVersion(current: string, range: string): Promise<void> {
  const { default: semver } = await import('semver');
  if (!semver.satisfies(current, range)) {
    throw new UserError(
      `create-twelve-app needs Node.js ${range}, and this is ${current}: install a current Node.js 24 LTS and run it again.`,
    );
  }
}

function report(error: unknown): number {
  if (isUserError(error)) {
    process.stderr.write(`create-twelve-app: ${error.message}\n`);
    return error.exitCode;
  }
  if (isCancel(error)) {
    process.stderr.write('\nCancelled: nothing was written.\n');
    return 130;
  }
  process.stderr.write(
    `create-twelve-app: internal error, please report it at ${ISSUES_URL} with the details below.\n` +
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 70;
}

process.exitCode = await main(process.argv.slice(2));
if (process.exitCode === 130) exitInterrupted();
