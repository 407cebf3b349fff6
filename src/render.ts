import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { isUserError, UserError } from './errors.ts';
import { assertRenderedSize, houseFiles } from './house-template/files.ts';
import { assertSupplyChainKept } from './house-template/supply-chain.ts';
import type { AppModel } from './model/types.ts';
import { templatesRoot } from './paths.ts';
import { configEntries } from './projections/config-module.ts';
import { projections } from './projections/index.ts';
import { templateFiles } from './template-files.ts';

/**
 * Every file of an app, rendered from its model: app path → contents. Pure apart from reading the
 * templates, so the app generator writes it, and `add` renders it twice (before and after the change)
 * to tell files the user edited from files we may update.
 */
export function renderApp(model: AppModel, root: string = templatesRoot()): Map<string, string | Buffer> {
  const projected = projections(model);
  const files = new Map<string, string | Buffer>(Object.entries({ ...model.files, ...projected }));
  const data = renderData(model);
  for (const file of templateFiles(root, model.templateDirs)) {
    const source = path.join(root, file.source);
    files.set(
      file.destination,
      file.render
        ? ejs.render(fs.readFileSync(source, 'utf8'), data, ejsOptions(source, file.destination))
        : fs.readFileSync(source),
    );
  }
  if (model.house) {
    renderHouseFiles(model.house, data, files, Object.keys(projected));
    assertSupplyChainKept(files, model);
  }
  return files;
}

/**
 * What every template gets, built-in or a house template's (the house template README documents it):
 * `name`, `kind`, the whole `model`, `config` (the variables as `src/config.ts` renders them), `answers`
 * to the house template's questions, and `template` (its name and version) when there is one.
 */
export function renderData(model: AppModel) {
  return {
    name: model.name,
    kind: model.kind,
    model,
    config: configEntries(model),
    answers: model.answers,
    template: model.house ? { name: model.house.name, version: model.house.version } : undefined,
  };
}

/**
 * A house template's files, over the built-in ones. The files rendered from the model in code
 * (`package.json`, `.env.example`, ...) are not overridable: they would become a second source of truth
 * (the manifest adds dependencies and variables instead). A template that fails to render is a user
 * error naming its file, and since everything is rendered before anything is written, nothing is.
 */
function renderHouseFiles(
  house: NonNullable<AppModel['house']>,
  data: ReturnType<typeof renderData>,
  files: Map<string, string | Buffer>,
  projected: string[],
) {
  for (const file of houseFiles(path.dirname(house.dir), house.name)) {
    if (projected.includes(file.destination)) {
      throw new UserError(
        `The house template ${house.name} has ${file.name}, but ${file.destination} is rendered from the app model: add dependencies and config variables in twelve-template.json instead.`,
      );
    }
    if (!file.render) {
      files.set(file.destination, fs.readFileSync(file.source));
      continue;
    }
    try {
      const rendered = ejs.render(
        fs.readFileSync(file.source, 'utf8'),
        data,
        ejsOptions(file.source, file.destination),
      );
      assertRenderedSize(rendered, house.name, file.name);
      files.set(file.destination, rendered);
    } catch (error) {
      if (isUserError(error)) throw error;
      throw new UserError(
        `The house template ${house.name} failed to render ${file.name} (${ejsFailure(error)}): nothing was written.`,
      );
    }
  }
}

/**
 * `<%= %>` escapes for HTML only in HTML files: in Markdown, TypeScript or YAML an apostrophe must stay
 * one (EJS's default would write `API&#39;s` into a README).
 */
export function ejsOptions(filename: string, destination: string): ejs.Options & { async: false } {
  return /\.html?$/.test(destination)
    ? { filename, async: false }
    : { filename, async: false, escape: (value: unknown) => (value == null ? '' : String(value)) };
}

/** EJS's message in one line: `line 2: nope is not defined` for a runtime error, the syntax error as is. */
function ejsFailure(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error))
    .split('\n')
    .filter((line) => line.trim() !== '');
  const at = /:(\d+)$/.exec(lines[0] ?? '');
  if (at) return `line ${at[1]}: ${lines.at(-1)!.trim()}`;
  return (lines[0] ?? 'unknown error').replace(/ in \S+ while compiling ejs$/, ' (a syntax error)');
}
