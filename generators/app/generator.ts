import path from 'node:path';
import type { BaseOptions } from 'yeoman-generator';
import { buildModel } from '../../src/app-model.ts';
import { normalizeApp } from '../../src/app-spec.ts';
import { initRepository } from '../../src/git.ts';
import {
  answersFromFlags,
  applyTemplateOptions,
  assertTemplateAnswerable,
  checkLocked,
  dropClientDatabase,
  openPrompts,
  promptDefaults,
  templateQuestions,
} from '../../src/house-template/answers.ts';
import type { HouseTemplate } from '../../src/house-template/load.ts';
import { loadTemplate, templateRef } from '../../src/house-template/load.ts';
import type { AppModel, AppSpec, TemplateRef } from '../../src/model/types.ts';
import { hasDockerCompose, nextSteps } from '../../src/next-steps.ts';
import type { Answers } from '../../src/options.ts';
import { openQuestions } from '../../src/options.ts';
import { ownVersion } from '../../src/paths.ts';
import { renderApp } from '../../src/render.ts';
import type { Flags } from '../../src/request.ts';
import { assertAnswerable, questionAnswers, validateFlags } from '../../src/request.ts';
import { checkTarget } from '../../src/target.ts';
import { assertWritesInside } from '../../src/write-guard.ts';
import { TwelveGenerator } from '../base.ts';
import { appQuestions, DIRECTORY_QUESTION } from './questions.ts';

export type AppOptions = BaseOptions & {
  /** The CLI's flags, validated by the generator itself too so that it is safe to run alone. */
  flags?: Flags;
  /** Whether a person can answer prompts (the CLI passes whether stdin is a TTY). */
  interactive?: boolean;
  /** `npm_config_user_agent` of the process that ran us, to default the package manager. */
  userAgent?: string;
  /** The directory relative paths are taken from (the user's working directory). */
  startDir?: string;
};

/** `create-twelve-app [directory]`: asks what is being built, renders every file from one app model. */
export default class AppGenerator extends TwelveGenerator<AppSpec & Record<string, unknown>, AppOptions> {
  declare flags: Flags;
  declare answers: Answers;
  declare directory: string;
  declare model: AppModel;
  declare installed: boolean;
  /** The house template (--template), its defaults for the questions, and the answers to its own. */
  declare house: HouseTemplate | undefined;
  declare given: Partial<Answers>;
  declare defaults: Partial<Answers>;
  declare templateAnswers: TemplateRef['answers'];

  async initializing() {
    this.flags = this.options.flags ?? {};
    validateFlags(this.flags);
    this.given = questionAnswers(this.flags);
    this.defaults = {};
    this.templateAnswers = {};
    if (this.flags.template !== undefined) await this.#loadTemplate(this.flags.template);
    const interactive = this.options.interactive ?? false;
    assertAnswerable({ ...this.flags, ...stripUndefined(this.given) }, interactive);
    assertTemplateAnswerable(
      openPrompts(this.house?.manifest.prompts ?? [], this.templateAnswers),
      interactive || Boolean(this.flags.yes),
    );
    // Refuse a bad target before asking anything, when the directory is already known.
    if (this.flags.directory !== undefined)
      checkTarget(this.#directory(this.flags.directory), Boolean(this.flags.force));
  }

  async prompting() {
    const given = this.given;
    const prompts = openPrompts(this.house?.manifest.prompts ?? [], this.templateAnswers);
    if (this.flags.yes) {
      this.answers = dropClientDatabase({
        ...this.defaults,
        ...defaultAnswers(given, this.defaults),
        ...stripUndefined(given),
      } as Answers);
      this.templateAnswers = { ...promptDefaults(prompts), ...this.templateAnswers };
      return;
    }
    if (this.flags.directory === undefined) {
      const { directory } = await this.prompt<{ directory: string }>([DIRECTORY_QUESTION] as never);
      this.flags.directory = directory;
      checkTarget(this.#directory(directory), Boolean(this.flags.force));
    }
    const asked = await this.prompt<Partial<Answers>>(appQuestions(given, this.defaults) as never);
    this.answers = dropClientDatabase({
      ...this.defaults,
      ...stripUndefined(given),
      ...stripUndefined(asked),
    } as Answers);
    if (prompts.length > 0) {
      const answered = await this.prompt<TemplateRef['answers']>(templateQuestions(prompts) as never);
      this.templateAnswers = { ...this.templateAnswers, ...answered };
    }
  }

  configuring() {
    // Flags, the house template's defaults and the answers become one checked spec, in one function.
    const { directory, spec } = normalizeApp({
      flags: this.flags,
      answers: this.answers,
      cwd: this.#startDir(),
      userAgent: this.options.userAgent,
      generatorVersion: ownVersion(),
    });
    if (this.house) spec.template = templateRef(this.house, directory, this.templateAnswers);
    this.model = buildModel(spec, this.house);
    this.directory = directory;
    this.destinationRoot(directory);
    this.config.set({ ...spec } as AppSpec & Record<string, unknown>);
  }

  writing() {
    const files = renderApp(this.model);
    // Refused here, while everything is still in memory: Yeoman's commit would follow links (--force).
    assertWritesInside(this.destinationRoot(), [...files.keys(), '.yo-rc.json']);
    for (const [file, contents] of files) {
      this.fs.write(this.destinationPath(file), contents);
    }
  }

  async install() {
    this.installed = false;
    if (this.flags.skipInstall || this.flags.dryRun) return;
    await this.runInstall(
      this.model.packageManager,
      `Installing dependencies with ${this.model.packageManager.name}`,
      'delete the directory',
    );
    this.installed = true;
  }

  async end() {
    if (this.flags.dryRun) {
      this.log(`\nDry run: nothing was written to ${this.destinationRoot()}.`);
      return;
    }
    if (this.flags.skipInstall) {
      this.log(`Skipped install (--skip-install): no ${this.model.packageManager.lockfile} was written yet.`);
    }
    if (!this.flags.skipGit) {
      const git = await initRepository(this.destinationRoot());
      if (git === 'git-missing') this.log('git was not found: no repository was created.');
      if (git === 'failed')
        this.log('git init or the first commit failed: the files are in place, commit them yourself.');
      if (git === 'inside-repository')
        this.log('The directory is inside a git repository already: nothing was committed.');
    }
    const compose = this.model.services.length === 0 || (await hasDockerCompose());
    this.log(nextSteps(this.model, this.destinationRoot(), this.#startDir(), this.installed, compose));
  }

  /** Fetch and check the template, then let its locks and defaults shape the run. */
  async #loadTemplate(spec: string) {
    this.house = await loadTemplate(spec, this.#startDir());
    const { manifest, name } = this.house;
    checkLocked(this.flags, manifest, name);
    const applied = applyTemplateOptions(this.flags, manifest);
    this.flags = applied.flags;
    this.given = applied.given;
    this.defaults = applied.defaults;
    // A default or locked kind goes through the same checks as the flag would.
    validateFlags({ ...this.flags, kind: this.given.kind ?? this.defaults.kind, db: undefined });
    this.templateAnswers = answersFromFlags(this.flags.answer ?? [], manifest.prompts, name);
  }

  #startDir(): string {
    return this.options.startDir ?? this.env.cwd;
  }

  #directory(directory: string): string {
    return path.resolve(this.#startDir(), directory);
  }
}

/** What --yes answers: the default of every question still open (the db question only for an api). */
function defaultAnswers(given: Partial<Answers>, defaults: Partial<Answers>): Partial<Answers> {
  return Object.fromEntries(
    openQuestions(given, defaults).map((option) => [
      option.name,
      defaults[option.name as keyof Answers] ?? option.question!.default,
    ]),
  );
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
