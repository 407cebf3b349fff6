import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import validatePackageName from 'validate-npm-package-name';
import { UserError } from '../errors.ts';
import { ownEngines, ownVersion, packageRoot } from '../paths.ts';
import { checkTarget } from '../target.ts';
import { destinationOf, listFiles } from '../template-files.ts';
import { MANIFEST_FILE } from './manifest.ts';

/**
 * `create-twelve-app template init <name>`: a house template package in `./<name>` (the part after the
 * scope). Its files come from `template-init/`: there, `.ejs` files are rendered with the package's
 * name and `_x` names become `.x`, except below `templates/`, which is copied as it is (those files are
 * rendered later, for each app). `package.json` and the manifest are written from code. Everything is
 * rendered before the first write, so a failure leaves nothing behind.
 */
export function initTemplate(name: string, cwd: string): { directory: string; files: string[] } {
  const valid = validatePackageName(name);
  if (!valid.validForNewPackages) {
    const reason = [...(valid.errors ?? []), ...(valid.warnings ?? [])][0] ?? 'it is not a valid npm package name';
    throw new UserError(`"${name}" is not a valid npm package name for the template: ${reason}.`);
  }
  const folder = name.replace(/^@[^/]+\//, '');
  const directory = path.resolve(cwd, folder);
  // checkTarget's own message offers --force, which template init does not take.
  if (fs.existsSync(directory) && (!fs.statSync(directory).isDirectory() || fs.readdirSync(directory).length > 0)) {
    throw new UserError(`${directory} already exists and is not empty: choose another name, or move it away first.`);
  }
  checkTarget(directory, false);
  const files = houseTemplateFiles(name, folder);
  for (const [file, contents] of files) {
    fs.mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
    fs.writeFileSync(path.join(directory, file), contents);
  }
  return { directory, files: [...files.keys()].sort() };
}

/** What `template init` prints: what it made, then the commands to run. */
export function initNextSteps(made: { directory: string; files: string[] }, cwd: string): string {
  return [
    `Created the house template ${made.directory}:`,
    ...made.files.map((file) => `  ${file}`),
    '',
    'Next steps (its README explains the format):',
    `  cd ${path.relative(cwd, made.directory) || '.'}`,
    '  npm install',
    '  npm test',
    '',
  ].join('\n');
}

/** The files of a new house template package: path → contents. */
export function houseTemplateFiles(name: string, folder: string): Map<string, string | Buffer> {
  const source = path.join(packageRoot(), 'template-init');
  const data = { name, folder, cliVersion: ownVersion() };
  const files = new Map<string, string | Buffer>();
  for (const relative of listFiles(source)) {
    const file = path.join(source, relative);
    if (relative.startsWith('templates/')) files.set(relative, fs.readFileSync(file));
    else if (relative.endsWith('.ejs'))
      files.set(destinationOf(relative), ejs.render(fs.readFileSync(file, 'utf8'), data, { filename: file }));
    else files.set(destinationOf(relative), fs.readFileSync(file));
  }
  files.set('package.json', `${JSON.stringify(packageJson(name), null, 2)}\n`);
  files.set(MANIFEST_FILE, `${JSON.stringify(starterManifest(), null, 2)}\n`);
  return files;
}

function packageJson(name: string) {
  return {
    name,
    version: '0.1.0',
    description: 'A create-twelve-app house template.',
    type: 'module',
    keywords: ['create-twelve-app', 'twelve-template'],
    files: [MANIFEST_FILE, 'templates'],
    scripts: {
      // Only this folder's own tests: templates/ may hold tests of the generated app.
      test: 'node --test "test/*.test.mjs"',
    },
    // The CLI its tests render with, exact like every dependency we write; `npm install -D
    // create-twelve-app@latest` moves it forward.
    devDependencies: { 'create-twelve-app': ownVersion() },
    engines: { node: ownEngines() },
  };
}

/** A manifest that shows each field with a harmless value. */
function starterManifest() {
  return {
    createTwelveApp: `>=${ownVersion()}`,
    defaults: { kind: 'api', db: 'postgres' },
    locked: [],
    prompts: [{ name: 'team', message: 'Which team owns this service?', default: 'platform' }],
    dependencies: {},
    devDependencies: {},
    config: [],
  };
}
