import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { AppModel } from './model/types.ts';
import { configEntries } from './projections/config-module.ts';
import { projections } from './projections/index.ts';
import { templatesRoot } from './paths.ts';
import { templateFiles } from './template-files.ts';

/**
 * Every file of an app, rendered from its model: app path → contents. Pure apart from reading the
 * templates, so the app generator writes it, and `add` renders it twice (before and after the change)
 * to tell files the user edited from files we may update.
 */
export function renderApp(model: AppModel, root: string = templatesRoot()): Map<string, string | Buffer> {
  const files = new Map<string, string | Buffer>(Object.entries(projections(model)));
  const data = { model, config: configEntries(model) };
  for (const file of templateFiles(root, model.templateDirs)) {
    const source = path.join(root, file.source);
    files.set(file.destination, file.render ? ejs.render(fs.readFileSync(source, 'utf8'), data, { filename: source }) : fs.readFileSync(source));
  }
  return files;
}
