import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { installDependencies } from '../install.ts';
import { promptDefaults } from '../house-template/answers.ts';
import { loadTemplate, reloadTemplate, templateRef } from '../house-template/load.ts';
import { buildModel } from '../model/build-model.ts';
import { migrateSpec } from '../model/migrations.ts';
import { readSpec } from '../model/spec.ts';
import type { AppSpec } from '../model/types.ts';
import { ownVersion } from '../paths.ts';
import { renderApp } from '../render.ts';
import { cacheRoot, oldScaffolder, renderWithOld } from './base-render.ts';
import { assertCleanTree } from './clean-tree.ts';
import { changes, stepDiff, stepLines } from './report.ts';
import { planThreeWay } from './three-way.ts';
import type { UpdateStep } from './three-way.ts';

/** Where Yeoman keeps our choices in `.yo-rc.json` (the generators' namespace). */
const YO_RC_KEY = 'create-twelve-app';

export interface UpdateFlags {
  cwd?: string;
  check?: boolean;
  dryRun?: boolean;
  force?: boolean;
  from?: string;
  /** A newer house template (or another source for it) to update to; default: the recorded source again. */
  template?: string;
  skipInstall?: boolean;
  /**
   * `--trust-template`: package scopes or names, path prefixes and URL prefixes whose house templates may
   * be fetched and run when `.yo-rc.json` records one (trusted-template.ts). `fleet` passes its own.
   */
  trustTemplates?: readonly string[];
}

/** How an update ended; the CLI entry turns it into an exit code. */
export type UpdateOutcome = 'up-to-date' | 'updated' | 'conflicts' | 'would-change' | 'previewed';

export interface UpdateContext {
  cwd: string;
  write?: (line: string) => void;
}

/**
 * `create-twelve-app update`: re-renders the app with this version and merges it into the working tree
 * three ways (base: what the version that generated it rendered; see three-way.ts). Everything is
 * decided in memory first, so a failure before the write step leaves the app untouched.
 */
export async function updateApp(flags: UpdateFlags, context: UpdateContext): Promise<UpdateOutcome> {
  const log = context.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const directory = path.resolve(context.cwd, flags.cwd ?? '.');
  const yoRc = readYoRc(directory);
  const migrated = migrateSpec(yoRc[YO_RC_KEY] as Record<string, unknown>);
  const spec = readSpec(yoRc[YO_RC_KEY], directory);
  const version = ownVersion();
  // A house template is fetched again by its recorded source (a range picks its newest version), so an
  // update also brings the template's own improvements.
  const house = flags.template
    ? await loadTemplate(flags.template, context.cwd)
    : spec.template
      ? await reloadTemplate(spec.template, directory, { latest: true })
      : undefined;
  // Answers given before are kept; a question the new template added takes its default.
  const answers = house ? { ...promptDefaults(house.manifest.prompts), ...spec.template?.answers } : {};
  const next: AppSpec = { ...spec, generatorVersion: version, ...(house ? { template: templateRef(house, directory, answers) } : {}) };
  const templateChanged = next.template?.version !== spec.template?.version || next.template?.name !== spec.template?.name;
  if (spec.generatorVersion === version && migrated.applied.length === 0 && !templateChanged) {
    log(`${spec.name} is up to date with create-twelve-app ${version}${spec.template ? ` and ${spec.template.name} ${spec.template.version}` : ''}.`);
    return 'up-to-date';
  }
  if (!flags.check && !flags.dryRun && !flags.force) await assertCleanTree(directory);

  log(`Updating ${spec.name}: create-twelve-app ${spec.generatorVersion} → ${version}`);
  if (templateChanged && next.template) {
    log(`  house template ${spec.template ? `${spec.template.name} ${spec.template.version}` : '(none)'} → ${next.template.name} ${next.template.version}`);
  }
  for (const migration of migrated.applied) log(`  .yo-rc.json: spec version ${migration.from} → ${migration.from + 1} (${migration.description})`);
  const old = await oldScaffolder(spec.generatorVersion, flags.from, cacheRoot(), context.cwd);
  const base = await renderWithOld(old, spec, directory);
  const model = buildModel(next, house);
  const theirs = renderApp(model);
  const disk = (file: string) => {
    const absolute = path.join(directory, file);
    return fs.existsSync(absolute) && fs.statSync(absolute).isFile() ? fs.readFileSync(absolute) : undefined;
  };
  const labels = { ours: 'yours', base: `create-twelve-app ${spec.generatorVersion}`, theirs: `create-twelve-app ${version}` };
  const steps = await planThreeWay(base, theirs, disk, labels);
  // Unknown keys (fields of a newer house template, say) are carried over, never dropped.
  steps.push(yoRcStep(yoRc, { ...migrated.saved, ...next }, disk('.yo-rc.json')));

  const changed = steps.filter(changes);
  const conflicts = steps.filter((step) => step.action === 'conflict').map((step) => step.path);
  log(stepLines(steps).join('\n'));
  if (flags.dryRun) {
    for (const step of changed) log(stepDiff(step, disk(step.path)).trimEnd());
    log(`\nDry run: nothing was written to ${directory}.`);
    return flags.check && changed.length > 0 ? 'would-change' : 'previewed';
  }
  if (flags.check) {
    log(`\n${changed.length} file(s) would change: run \`npx create-twelve-app@${version} update\` to apply.`);
    return 'would-change';
  }

  write(directory, changed);
  const packageJson = steps.find((step) => step.path === 'package.json');
  const manager = model.packageManager;
  if (packageJson && changes(packageJson)) {
    if (packageJson.action === 'conflict') log(`\npackage.json has conflicts: resolve them, then run \`${manager.name} install\`.`);
    else if (flags.skipInstall) log(`\nSkipped install (--skip-install): run \`${manager.name} install\` to update ${manager.lockfile}.`);
    else {
      log(`\nUpdating ${manager.lockfile} with ${manager.name} install…`);
      await installDependencies(directory, manager, `the app in ${directory} was updated, but not its ${manager.lockfile}`);
    }
  }
  if (conflicts.length > 0) {
    log(
      [
        '',
        `Conflicts in ${conflicts.length} file(s): your edits and the new version's overlap. Edit each file, keep what you want`,
        'between the <<<<<<< yours, ======= and >>>>>>> markers and delete the markers, then review and commit:',
        ...conflicts.map((file) => `  ${file}`),
      ].join('\n'),
    );
    return 'conflicts';
  }
  log(`\nUpdated ${spec.name} to create-twelve-app ${version}: review the changes with \`git diff\`, then commit.`);
  return 'updated';
}

function readYoRc(directory: string): Record<string, unknown> {
  const file = path.join(directory, '.yo-rc.json');
  const notOurs = new UserError(
    `${directory} is not an app generated by create-twelve-app (no .yo-rc.json with its choices): run update inside one, or pass --cwd <dir>.`,
    2,
  );
  if (!fs.existsSync(file)) throw notOurs;
  let saved: unknown;
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw notOurs;
  }
  const ours = (saved as Record<string, unknown> | null)?.[YO_RC_KEY];
  if (typeof ours !== 'object' || ours === null) throw notOurs;
  return saved as Record<string, unknown>;
}

/** `.yo-rc.json` with the migrated spec and the new version, as Yeoman writes it. */
function yoRcStep(yoRc: Record<string, unknown>, spec: Record<string, unknown>, current: Buffer | undefined): UpdateStep {
  const contents = `${JSON.stringify({ ...yoRc, [YO_RC_KEY]: spec }, null, 2)}\n`;
  const same = current !== undefined && current.equals(Buffer.from(contents));
  return same ? { path: '.yo-rc.json', action: 'unchanged' } : { path: '.yo-rc.json', action: 'update', contents };
}

function write(directory: string, steps: readonly UpdateStep[]): void {
  for (const step of steps) {
    const absolute = path.join(directory, step.path);
    if (step.action === 'delete') {
      fs.rmSync(absolute, { force: true });
      removeEmptyParents(directory, path.dirname(absolute));
    } else if (step.contents !== undefined) {
      fs.mkdirSync(path.dirname(absolute), { recursive: true });
      fs.writeFileSync(absolute, step.contents);
    }
  }
}

function removeEmptyParents(root: string, dir: string): void {
  for (let current = dir; current !== root && current.startsWith(root) && fs.readdirSync(current).length === 0; current = path.dirname(current)) {
    fs.rmdirSync(current);
  }
}
