import { parseArgs } from 'node:util';
import type { AddFlags } from '../generators/add-capability.ts';
import { UserError } from './errors.ts';
import { ADDABLE, optionsFor } from './options.ts';
import type { Command } from './options.ts';
import type { Flags } from './request.ts';

export type ParsedArgs =
  | { command: 'create'; flags: Flags; help: boolean; version: boolean }
  | { command: 'add'; capability: string | undefined; flags: AddFlags; help: boolean; version: boolean };

/**
 * argv → flags, with Node's own parser configured from the option table of the command; unknown
 * options are usage errors. `add` as the first word is the sub-command (a directory called "add" is
 * `./add`).
 */
export function parseCliArgs(argv: string[]): ParsedArgs {
  const command: Command = argv[0] === 'add' ? 'add' : 'create';
  const { values, positionals } = parse(command === 'add' ? argv.slice(1) : argv, command);
  const text = (name: string) => {
    const value = values[name];
    if (value === '') throw new UserError(`--${name} needs a value.`, 2);
    return typeof value === 'string' ? value : undefined;
  };
  const bool = (name: string) => values[name] === true;
  const common = { help: bool('help'), version: bool('version') };
  if (positionals.length > 1) {
    const what = command === 'add' ? 'capability' : 'directory';
    throw new UserError(`Expected one ${what}, got ${positionals.length}: ${positionals.join(' ')}.`, 2);
  }
  if (command === 'add') {
    const capability = positionals[0];
    if (capability === undefined && !common.help) {
      throw new UserError(`add needs a capability: ${Object.keys(ADDABLE).join(', ')} (e.g. create-twelve-app add worker).`, 2);
    }
    if (capability !== undefined && !(capability in ADDABLE)) {
      throw new UserError(`Cannot add "${capability}": choose one of ${Object.keys(ADDABLE).join(', ')}.`, 2);
    }
    const flags: AddFlags = { cwd: text('cwd'), yes: bool('yes'), skipInstall: bool('skip-install'), dryRun: bool('dry-run') };
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
        optionsFor(command).map((option) => [option.name, option.short ? { type: option.type, short: option.short } : { type: option.type }]),
      ),
    });
  } catch (error) {
    const help = command === 'add' ? 'create-twelve-app add --help' : 'create-twelve-app --help';
    throw new UserError(`${describeParseError(error)} Run ${help} to see the options.`, 2);
  }
}

function describeParseError(error: unknown): string {
  if (!(error instanceof Error)) return 'Invalid arguments.';
  const code = 'code' in error ? error.code : undefined;
  const option = /'(-{1,2}[^']+)'/.exec(error.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option ${option ?? ''}.`.replace(' .', '.');
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return option ? `Option ${option.split(' ')[0]} ${/argument missing/.test(error.message) ? 'needs a value' : 'takes no value'}.` : 'Invalid option value.';
  }
  return error.message.split('\n')[0] ?? 'Invalid arguments.';
}

/** Absent and false flags are left out, so `{}` means "nothing given". */
function compact<T extends object>(flags: T): T {
  return Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined && value !== false)) as T;
}
