import { parseArgs } from 'node:util';
import { UserError } from './errors.ts';
import { OPTIONS } from './options.ts';
import type { Flags } from './request.ts';

export interface ParsedArgs {
  flags: Flags;
  help: boolean;
  version: boolean;
}

/** argv → flags, with Node's own parser configured from the option table; unknown options are user errors. */
export function parseCliArgs(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        OPTIONS.map((option) => [option.name, option.short ? { type: option.type, short: option.short } : { type: option.type }]),
      ),
    });
  } catch (error) {
    throw new UserError(`${describeParseError(error)} Run create-twelve-app --help to see the options.`, 2);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UserError(`Expected one directory, got ${positionals.length}: ${positionals.join(' ')}.`, 2);
  }
  const text = (name: string) => {
    const value = values[name];
    if (value === '') throw new UserError(`--${name} needs a value.`, 2);
    return typeof value === 'string' ? value : undefined;
  };
  const bool = (name: string) => values[name] === true;
  const flags: Flags = {
    directory: positionals[0],
    kind: text('kind'),
    db: text('db'),
    name: text('name'),
    packageManager: text('package-manager'),
    template: text('template'),
    yes: bool('yes'),
    skipInstall: bool('skip-install'),
    skipGit: bool('skip-git'),
    dryRun: bool('dry-run'),
    force: bool('force'),
  };
  return { flags: dropUndefined(flags), help: bool('help'), version: bool('version') };
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

function dropUndefined(flags: Flags): Flags {
  return Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined && value !== false)) as Flags;
}
