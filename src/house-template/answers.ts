import { UserError } from '../errors.ts';
import type { TemplateRef } from '../model/types.ts';
import type { Answers } from '../options.ts';
import { type Flags, questionAnswers } from '../request.ts';
import type { Manifest, ManifestPrompt, TemplateOption } from './manifest.ts';

type FlagKey = 'kind' | 'db' | 'errorReporting' | 'packageManager' | 'skipInstall' | 'skipGit';

const FLAG_KEYS: Record<TemplateOption, FlagKey> = {
  kind: 'kind',
  db: 'db',
  'error-reporting': 'errorReporting',
  'package-manager': 'packageManager',
  'skip-install': 'skipInstall',
  'skip-git': 'skipGit',
};

/** A flag for an option the template locks is refused, whatever its value: the platform team decided it. */
export function checkLocked(flags: Flags, manifest: Manifest, templateName: string): void {
  for (const option of manifest.locked) {
    if (flags[FLAG_KEYS[option]] !== undefined) {
      throw new UserError(
        `--${option} is locked to ${String(manifest.defaults[option])} by the house template ${templateName}: run without --${option}.`,
      );
    }
  }
}

/**
 * The template's defaults and locks applied to the run: locked kind and db count as answered (never
 * asked), other defaults become the questions' defaults (what --yes takes), and the run options
 * (package manager, skip-install, skip-git) apply unless a flag says otherwise.
 */
export function applyTemplateOptions(
  flags: Flags,
  manifest: Manifest,
): { flags: Flags; given: Partial<Answers>; defaults: Partial<Answers> } {
  const { defaults, locked } = manifest;
  const applied: Flags = { ...flags };
  if (applied.packageManager === undefined && defaults['package-manager'])
    applied.packageManager = defaults['package-manager'];
  if (applied.skipInstall === undefined && defaults['skip-install']) applied.skipInstall = true;
  if (applied.skipGit === undefined && defaults['skip-git']) applied.skipGit = true;
  const given: Partial<Answers> = {};
  const questionDefaults: Partial<Answers> = {};
  const asked = questionAnswers(flags);
  for (const option of ['kind', 'db', 'error-reporting'] as const) {
    const value = asked[option] ?? (locked.includes(option) ? defaults[option] : undefined);
    if (value !== undefined) given[option] = value;
    if (defaults[option] !== undefined) questionDefaults[option] = defaults[option];
  }
  return { flags: applied, given, defaults: questionDefaults };
}

/**
 * A template's default database goes with the kinds that may have one: a client reaches its data
 * through the API it calls, so for a client the default is left out (a `--db` flag is refused as ever).
 */
export function dropClientDatabase(answers: Answers): Answers {
  if (answers.kind !== 'client' || answers.db === undefined) return answers;
  const { db: _dropped, ...rest } = answers;
  return rest as Answers;
}

/** `--answer name=value` flags, checked against the template's prompts. */
export function answersFromFlags(
  values: readonly string[],
  prompts: readonly ManifestPrompt[],
  templateName: string,
): TemplateRef['answers'] {
  const answers: TemplateRef['answers'] = {};
  for (const value of values) {
    const [name, ...rest] = value.split('=');
    const prompt = prompts.find((candidate) => candidate.name === name);
    if (!prompt || rest.length === 0) {
      const names = prompts.map((candidate) => candidate.name);
      throw new UserError(
        `--answer ${value}: ${rest.length === 0 ? 'give it as name=value' : `the house template ${templateName} asks no question "${name}"`}` +
          (names.length > 0 ? ` (it asks ${names.join(', ')}).` : ' (it asks none).'),
      );
    }
    answers[prompt.name] = answerValue(prompt, rest.join('='), `--answer ${value}`);
  }
  return answers;
}

function answerValue(prompt: ManifestPrompt, raw: string, source: string): string | boolean {
  if (prompt.type === 'confirm') {
    if (raw !== 'true' && raw !== 'false')
      throw new UserError(`${source}: ${prompt.name} is a yes/no question, answer true or false.`);
    return raw === 'true';
  }
  if (prompt.choices && !prompt.choices.includes(raw))
    throw new UserError(`${source}: ${prompt.name} must be one of ${prompt.choices.join(', ')}.`);
  return raw;
}

/** The template's prompts no flag answered. */
export function openPrompts(prompts: readonly ManifestPrompt[], answered: TemplateRef['answers']): ManifestPrompt[] {
  return prompts.filter((prompt) => answered[prompt.name] === undefined);
}

/** What --yes answers: each prompt's default (required by the manifest, so this never blocks). */
export function promptDefaults(prompts: readonly ManifestPrompt[]): TemplateRef['answers'] {
  return Object.fromEntries(prompts.map((prompt) => [prompt.name, prompt.default]));
}

/**
 * Without a terminal and without --yes nobody can answer the template's questions: stop at once and
 * name the `--answer` flags that would, rather than hang a CI job.
 */
export function assertTemplateAnswerable(open: readonly ManifestPrompt[], answerable: boolean): void {
  if (open.length > 0 && !answerable) {
    throw new UserError(
      `No terminal to ask the house template's questions in: pass ${answerFlags(open).join(', ')}, or --yes to accept its defaults.`,
    );
  }
}

function answerFlags(prompts: readonly ManifestPrompt[]): string[] {
  return prompts.map(
    (prompt) =>
      `--answer ${prompt.name}=<${prompt.choices ? prompt.choices.join('|') : prompt.type === 'confirm' ? 'true|false' : 'value'}>`,
  );
}

/** Inquirer questions for the open prompts. */
export function templateQuestions(prompts: readonly ManifestPrompt[]) {
  return prompts.map((prompt) => ({
    type: prompt.type,
    name: prompt.name,
    message: prompt.message,
    default: prompt.default,
    ...(prompt.choices ? { choices: prompt.choices.map((value) => ({ value, name: value })) } : {}),
  }));
}
