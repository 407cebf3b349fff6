import { parseArgs } from 'node:util';
import { UserError } from './errors.ts';
import type { Command, OptionSpec } from './options.ts';
import { optionsFor } from './options.ts';

/**
 * `npm create twelve-app my-api --kind worker --yes` (no `--`): npm takes every option before `--` as
 * its own config. It hands us none of them in argv; it exports each as `npm_config_<name>` to our
 * process instead, and an option it does not know becomes the boolean `true`, its value a plain
 * argument (we get `my-api worker`, `npm_config_kind=true`). This puts such options back into argv,
 * so the one parser in args.ts sees what the user typed. Only under `npm exec` and `npm init`/`create`
 * (`npm_command`): under `npm test` or `npm run` the variables belong to another command.
 */
export function withNpmConfigArgs(argv: string[], command: Command, env: NodeJS.ProcessEnv): string[] {
  const npmCommand = env.npm_command;
  if (!env.npm_config_user_agent?.startsWith('npm/') || (npmCommand !== 'exec' && npmCommand !== 'init')) return argv;
  const offset = command === 'create' ? 0 : 1;
  const rest = argv.slice(offset);
  const given = new Set(tokens(rest, command).flatMap((token) => (token.kind === 'option' ? [token.name] : [])));
  const added: string[] = [];
  const pending: OptionSpec[] = [];
  for (const option of optionsFor(command)) {
    // --help and --version are answered by npm itself; `npx -y` means "install without asking", which
    // is not a choice about the app, while `npm create ... --yes` is.
    if (option.name === 'help' || option.name === 'version' || given.has(option.name)) continue;
    if (option.name === 'yes' && npmCommand !== 'init') continue;
    const raw = env[`npm_config_${option.name.replaceAll('-', '_')}`];
    if (raw === undefined || raw === '') continue;
    if (option.type === 'boolean') {
      if (raw === 'true') added.push(`--${option.name}`);
      continue;
    }
    // A repeated option arrives as its values joined by a blank line.
    for (const value of raw.split('\n\n')) {
      if (value === 'true') pending.push(option);
      else added.push(`--${option.name}=${value}`);
    }
  }
  if (added.length === 0 && pending.length === 0) return argv;
  const claimed = claimValues(rest, command, pending);
  const kept = rest.filter((_, index) => !claimed.has(index));
  return [...argv.slice(0, offset), ...kept, ...added, ...[...claimed].map(([, arg]) => arg)];
}

/**
 * Finds the argument npm split from each option it did not know. An option with choices takes an
 * argument that is one of them (the last such, since a directory usually comes first); `--answer`
 * takes a `name=value`. Any other value cannot be told from the directory: the user is asked to write
 * it so that npm leaves it alone.
 */
function claimValues(rest: string[], command: Command, pending: OptionSpec[]): Map<number, string> {
  const positionals = tokens(rest, command).flatMap((token) => (token.kind === 'positional' ? [token.index] : []));
  const claimed = new Map<number, string>();
  for (const option of pending) {
    const fits = (arg: string) =>
      option.choices ? option.choices.includes(arg) : option.name === 'answer' ? /^[^=\s]+=/.test(arg) : false;
    const index = positionals.filter((candidate) => !claimed.has(candidate) && fits(rest[candidate]!)).at(-1);
    if (index === undefined) {
      const example = option.valueName ?? '<value>';
      throw new UserError(
        `npm took --${option.name} as its own option and kept its value from us: write --${option.name}=${example.replace(/^<|>$/g, '')}, or put -- before our options (npm create twelve-app my-api -- --${option.name} ${example}).`,
        2,
      );
    }
    claimed.set(index, `--${option.name}=${rest[index]}`);
  }
  return claimed;
}

function tokens(args: string[], command: Command) {
  const options = Object.fromEntries(
    optionsFor(command).map((option) => [
      option.name,
      { type: option.type, ...(option.short ? { short: option.short } : {}), multiple: true },
    ]),
  );
  // Lenient: errors in what the user typed are reported by the real parse in args.ts.
  return parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true }).tokens;
}
