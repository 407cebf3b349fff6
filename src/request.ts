import path from 'node:path';
import validatePackageName from 'validate-npm-package-name';
import { CAPABILITIES } from './capabilities/registry.ts';
import { UserError } from './errors.ts';
import type { Kind } from './model/types.ts';
import { DATABASES, ERROR_REPORTERS, KINDS, PACKAGE_MANAGERS } from './model/types.ts';
import type { Answers } from './options.ts';
import { flag, OPTIONS, openQuestions } from './options.ts';

/** The flags as given: every value still a string, nothing defaulted yet. */
export interface Flags {
  directory?: string;
  kind?: string;
  db?: string;
  errorReporting?: string;
  name?: string;
  packageManager?: string;
  template?: string;
  /** `--answer name=value`, for a house template's questions. */
  answer?: string[];
  yes?: boolean;
  skipInstall?: boolean;
  skipGit?: boolean;
  dryRun?: boolean;
  force?: boolean;
}

/**
 * The questions' answers a run's flags give: the one place the option names of the questions
 * (`error-reporting`) meet the flag fields the parser fills (`errorReporting`). Unset flags are left out.
 */
export function questionAnswers(flags: Flags): Partial<Answers> {
  const answers: Partial<Answers> = {};
  if (flags.kind !== undefined) answers.kind = flags.kind;
  if (flags.db !== undefined) answers.db = flags.db;
  if (flags.errorReporting !== undefined) answers['error-reporting'] = flags.errorReporting;
  return answers;
}

/** The flags that answer the questions, the other way round (for the checks on flags). */
export function flagsFromAnswers(answers: Partial<Answers>): Flags {
  return { kind: answers.kind, db: answers.db, errorReporting: answers['error-reporting'] };
}

/** Checks that need no disk and no prompt. Throws a UserError naming the flag to fix. */
export function validateFlags(flags: Flags): void {
  checkChoice('kind', flags.kind, KINDS);
  checkChoice('db', flags.db, DATABASES);
  checkChoice('error-reporting', flags.errorReporting, ERROR_REPORTERS);
  checkChoice('package-manager', flags.packageManager, PACKAGE_MANAGERS);
  const kinds = databaseKinds();
  if (flags.db && flags.kind && !kinds.includes(flags.kind as never)) {
    throw new UserError(
      `--db applies to --kind ${kinds.join(' or ')} only: a ${flags.kind} reaches its data through the API it calls.`,
    );
  }
  if (flags.answer !== undefined && flags.template === undefined) {
    throw new UserError("--answer answers a house template's questions: pass --template too, or leave --answer out.");
  }
  if (flags.name !== undefined) checkPackageName(flags.name, '--name');
}

/** The kinds that may have a database: those that accept what `--db` chooses (the compatibility table). */
export function databaseKinds(): readonly Kind[] {
  return CAPABILITIES.find((capability) => capability.chosenBy?.option === 'db')?.kinds ?? [];
}

function checkChoice(name: string, value: string | undefined, choices: readonly string[]): void {
  if (value !== undefined && !choices.includes(value)) {
    throw new UserError(`--${name} must be one of ${choices.join(', ')} (got "${value}").`);
  }
}

export function checkPackageName(name: string, source: string): void {
  const result = validatePackageName(name);
  if (!result.validForNewPackages) {
    const reason = [...(result.errors ?? []), ...(result.warnings ?? [])][0] ?? 'it is not a valid npm package name';
    throw new UserError(
      `${source} "${name}" is not a valid npm package name: ${reason}. Pass a valid one with --name.`,
    );
  }
}

/** The package name a directory gives when --name is absent: its base name, lower-cased as npm requires. */
export function defaultName(directory: string): string {
  return path.basename(path.resolve(directory)).toLowerCase();
}

/**
 * Without a TTY nobody can answer a prompt: with --yes the defaults answer; otherwise stop at once and
 * name the flags that would have answered, rather than hang a CI job.
 */
export function assertAnswerable(flags: Flags, interactive: boolean): void {
  if (interactive || flags.yes) return;
  const missing = openQuestions(questionAnswers(flags)).map(flag);
  if (flags.directory === undefined) missing.unshift('<directory>');
  if (missing.length > 0) {
    throw new UserError(
      `No terminal to ask questions in: pass ${missing.join(', ')}, or --yes to accept the defaults.`,
    );
  }
  if (flags.force) {
    throw new UserError('--force without a terminal cannot ask about conflicting files: add --yes to overwrite them.');
  }
}

export const OPTION_NAMES = OPTIONS.map((option) => option.name);
