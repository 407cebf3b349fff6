import { parseArgs } from 'node:util';
import { CAPABILITY_IDS, type CapabilityId, isCapabilityId } from './capabilities/registry.ts';
import type { CheckFlags } from './check/command.ts';
import { UserError } from './errors.ts';
import type { FleetFlags } from './fleet/command.ts';
import { withNpmConfigArgs } from './npm-config-args.ts';
import type { Command } from './options.ts';
import { optionsFor } from './options.ts';
import type { Flags } from './request.ts';
import type { AddFlags, UpdateFlags } from './update/run.ts';

export type ParsedArgs =
  | { command: 'create'; flags: Flags; help: boolean; version: boolean }
  | {
      command: 'template';
      action: 'init';
      name: string | undefined;
      flags: Record<string, never>;
      help: boolean;
      version: boolean;
    }
  | { command: 'add'; capability: CapabilityId | undefined; flags: AddFlags; help: boolean; version: boolean }
  | { command: 'update'; flags: UpdateFlags; help: boolean; version: boolean }
  | { command: 'check'; flags: CheckFlags; help: boolean; version: boolean }
  | { command: 'fleet'; flags: FleetFlags; help: boolean; version: boolean };

/**
 * argv → flags, with Node's own parser configured from the option table of the command; unknown
 * options are usage errors. `add` as the first word is the sub-command (a directory called "add" is
 * `./add`). Under `npm create`/`npm exec`, options npm kept as its own config are read back from `env`.
 */
export function parseCliArgs(typed: string[], env: NodeJS.ProcessEnv = {}): ParsedArgs {
  const command: Command =
    (['add', 'update', 'template', 'check', 'fleet'] as const).find((name) => name === typed[0]) ?? 'create';
  const argv = withNpmConfigArgs(typed, command, env);
  const { values, positionals } = parse(command === 'create' ? argv : argv.slice(1), command);
  const text = (name: string) => {
    const value = values[name];
    if (value === '') throw new UserError(`--${name} needs a value.`, 2);
    return typeof value === 'string' ? value : undefined;
  };
  const bool = (name: string) => values[name] === true;
  const list = (name: string) => {
    const value = values[name];
    if (!Array.isArray(value)) return undefined;
    if (value.some((item) => item === '')) throw new UserError(`--${name} needs a value.`, 2);
    return value.filter((item): item is string => typeof item === 'string');
  };
  const common = { help: bool('help'), version: bool('version') };
  if (command === 'template') return parseTemplateCommand(positionals, common);
  if (command === 'fleet') {
    const [action, ...repos] = positionals;
    if (action !== 'status' && action !== 'update' && !common.help && !common.version) {
      throw new UserError(
        `${action === undefined ? 'fleet needs an action' : `Unknown fleet action "${action}"`}: run create-twelve-app fleet status|update <repos...>.`,
        2,
      );
    }
    const list = (name: string) =>
      Array.isArray(values[name])
        ? values[name].filter((value): value is string => typeof value === 'string')
        : undefined;
    const flags: FleetFlags = {
      action: action === 'update' ? 'update' : 'status',
      repos,
      from: text('from'),
      json: bool('json'),
      html: text('html'),
      branch: text('branch'),
      allowConflicts: bool('allow-conflicts'),
      noPush: bool('no-push'),
      concurrency: text('concurrency'),
      canary: text('canary'),
      pr: bool('pr'),
      trustTemplate: list('trust-template'),
      trustRepo: list('trust-repo'),
      config: text('config'),
      baseFrom: list('base-from'),
    };
    return { command, flags: compact(flags), ...common };
  }
  if (command === 'update') {
    if (positionals.length > 0)
      throw new UserError(
        `update takes no arguments (got ${positionals.join(' ')}): run it inside the app, or pass --cwd <dir>.`,
        2,
      );
    const flags: UpdateFlags = {
      cwd: text('cwd'),
      check: bool('check'),
      dryRun: bool('dry-run'),
      force: bool('force'),
      from: text('from'),
      template: text('template'),
      skipInstall: bool('skip-install'),
      trustTemplates: list('trust-template'),
    };
    return { command, flags: compact(flags), ...common };
  }
  if (positionals.length > 1) {
    const what = command === 'add' ? 'capability' : 'directory';
    throw new UserError(`Expected one ${what}, got ${positionals.length}: ${positionals.join(' ')}.`, 2);
  }
  if (command === 'check') {
    return {
      command,
      flags: compact({
        directory: positionals[0],
        json: bool('json'),
        format: text('format'),
        rules: bool('rules'),
        run: bool('run'),
        only: text('only'),
      }),
      ...common,
    };
  }
  if (command === 'add') {
    const given = positionals[0];
    if (given === undefined && !common.help) {
      throw new UserError(
        `add needs a capability: ${CAPABILITY_IDS.join(', ')} (e.g. create-twelve-app add worker).`,
        2,
      );
    }
    if (given !== undefined && !isCapabilityId(given)) {
      throw new UserError(`Cannot add "${given}": choose one of ${CAPABILITY_IDS.join(', ')}.`, 2);
    }
    const capability = given;
    const flags: AddFlags = {
      cwd: text('cwd'),
      yes: bool('yes'),
      skipInstall: bool('skip-install'),
      dryRun: bool('dry-run'),
      force: bool('force'),
      from: text('from'),
      trustTemplates: list('trust-template'),
      // A capability's own options (`add schedule --name --cron --timezone`), checked by its `configure`.
      options: compact({ name: text('name'), cron: text('cron'), timezone: text('timezone') }),
    };
    if (Object.keys(flags.options ?? {}).length === 0) delete flags.options;
    return { command, capability, flags: compact(flags), ...common };
  }
  const flags: Flags = {
    directory: positionals[0],
    kind: text('kind'),
    db: text('db'),
    errorReporting: text('error-reporting'),
    name: text('name'),
    packageManager: text('package-manager'),
    template: text('template'),
    answer: Array.isArray(values.answer)
      ? values.answer.filter((value): value is string => typeof value === 'string')
      : undefined,
    yes: bool('yes'),
    skipInstall: bool('skip-install'),
    skipGit: bool('skip-git'),
    dryRun: bool('dry-run'),
    force: bool('force'),
  };
  return { command, flags: compact(flags), ...common };
}

function parse(args: string[], command: Command) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        optionsFor(command).map((option) => [
          option.name,
          {
            type: option.type,
            ...(option.short ? { short: option.short } : {}),
            ...(option.multiple ? { multiple: true } : {}),
          },
        ]),
      ),
    });
  } catch (error) {
    const help = command === 'create' ? 'create-twelve-app --help' : `create-twelve-app ${command} --help`;
    throw new UserError(`${describeParseError(error)} Run ${help} to see the options.`, 2);
  }
}

/** `template init <name>`: the one action of the `template` command. */
function parseTemplateCommand(positionals: string[], common: { help: boolean; version: boolean }): ParsedArgs {
  const [action, name, ...extra] = positionals;
  if (common.help || common.version) return { command: 'template', action: 'init', name, flags: {}, ...common };
  if (action !== 'init') {
    throw new UserError(
      `${action === undefined ? 'template needs an action' : `Unknown template action "${action}"`}: run create-twelve-app template init <name>.`,
      2,
    );
  }
  if (name === undefined)
    throw new UserError('template init needs a package name, e.g. create-twelve-app template init acme-house.', 2);
  if (extra.length > 0)
    throw new UserError(`Expected one name, got ${positionals.length - 1}: ${positionals.slice(1).join(' ')}.`, 2);
  return { command: 'template', action, name, flags: {}, ...common };
}

function describeParseError(error: unknown): string {
  if (!(error instanceof Error)) return 'Invalid arguments.';
  const code = 'code' in error ? error.code : undefined;
  const option = /'(-{1,2}[^']+)'/.exec(error.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option ${option ?? ''}.`.replace(' .', '.');
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return option
      ? `Option ${option.split(' ')[0]} ${/argument missing/.test(error.message) ? 'needs a value' : 'takes no value'}.`
      : 'Invalid option value.';
  }
  return error.message.split('\n')[0] ?? 'Invalid arguments.';
}

/** Absent and false flags are left out, so `{}` means "nothing given". */
function compact<T extends object>(flags: T): T {
  return Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined && value !== false)) as T;
}
