import type { Answers } from '../../src/options.ts';
import { CHOICE_LABELS, DEFAULT_DIRECTORY, OPTIONS, openQuestions } from '../../src/options.ts';

/** Inquirer questions for the options the flags left open, built from the one option table. */
export function appQuestions(given: Partial<Answers>, defaults: Partial<Answers> = {}) {
  const open = new Set(openQuestions(given, defaults).map((option) => option.name));
  return OPTIONS.filter((option) => option.question && open.has(option.name)).map((option) => {
    const question = option.question!;
    return {
      type: 'select' as const,
      name: option.name,
      message: question.message,
      default: defaults[option.name as keyof Answers] ?? question.default,
      choices: (option.choices ?? []).map((value) => ({
        value,
        name: CHOICE_LABELS[`${option.name}:${value}`] ?? CHOICE_LABELS[value] ?? value,
      })),
      when: (answers: Partial<Answers>) => (question.when ? question.when({ ...given, ...answers }) : true),
    };
  });
}

export const DIRECTORY_QUESTION = {
  type: 'input' as const,
  name: 'directory',
  message: 'Where should the app be created?',
  default: DEFAULT_DIRECTORY,
};
