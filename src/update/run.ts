import fs from 'node:fs';
import path from 'node:path';
import { buildModel } from '../app-model.ts';
import { addCapability, assertCanAdd, readAppSpec } from '../app-spec.ts';
import { type CapabilityId, capabilityById, isCapabilityId } from '../capabilities/registry.ts';
import { UserError } from '../errors.ts';
import { promptDefaults } from '../house-template/answers.ts';
import type { HouseTemplate } from '../house-template/load.ts';
import { loadTemplate, reloadTemplate, templateRef } from '../house-template/load.ts';
import { installDependencies } from '../install.ts';
import { migrateSpec } from '../model/migrations.ts';
import { assertSpecFileSize } from '../model/spec-schema.ts';
import type { AppModel, AppSpec } from '../model/types.ts';
import { addNextSteps, hasDockerCompose } from '../next-steps.ts';
import { ownVersion } from '../paths.ts';
import { renderApp } from '../render.ts';
import { assertWritesInside } from '../write-guard.ts';
import { cacheRoot, oldScaffolder, renderWithOld } from './base-render.ts';
import { assertCleanTree } from './clean-tree.ts';
import { appendToEnv, introducedVariables } from './env-file.ts';
import { changes, stepDiff, stepLines } from './report.ts';
import type { Files, UpdateStep } from './three-way.ts';
import { planThreeWay } from './three-way.ts';
import { assertTrustedTemplate } from './trusted-template.ts';

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

export interface AddFlags {
  cwd?: string;
  /** Accepted for scripts written for earlier versions: `add` asks nothing, it merges. */
  yes?: boolean;
  skipInstall?: boolean;
  dryRun?: boolean;
  /** Run even with uncommitted changes, as `update --force`. */
  force?: boolean;
  /** The package of the version that generated the app, when it is older than this one and unpublished. */
  from?: string;
  /** `--trust-template`, as for update: `add` re-renders with the house template the app records. */
  trustTemplates?: readonly string[];
  /** The capability's own options (`add schedule --name --cron --timezone`), for its `configure`. */
  options?: Readonly<Record<string, string | undefined>>;
}

/** How an update or an add ended; the CLI entry turns it into an exit code. */
export type UpdateOutcome = 'up-to-date' | 'updated' | 'conflicts' | 'would-change' | 'previewed';

export interface UpdateContext {
  cwd: string;
  write?: (line: string) => void;
}

/** The app as recorded in its `.yo-rc.json`, read once by both commands. */
interface RecordedApp {
  directory: string;
  yoRc: Record<string, unknown>;
  /** The saved spec after migrations, with unknown keys kept, so they are carried over, never dropped. */
  saved: Record<string, unknown>;
  migrations: readonly { from: number; description: string }[];
  spec: AppSpec;
}

/**
 * One change of an app, decided three ways and written by the one write path both commands share:
 * base = what the recorded version rendered for the recorded choices, theirs = what this version renders
 * for `next`, yours = the working tree.
 */
interface ReRender {
  app: RecordedApp;
  next: AppSpec;
  /** The house template for `next` (theirs, and base when that is rendered in-process). */
  house: HouseTemplate | undefined;
  /** The recorded version is this one: render the base here rather than installing that version. */
  inProcessBase: boolean;
  flags: {
    check?: boolean | undefined;
    dryRun?: boolean | undefined;
    force?: boolean | undefined;
    from?: string | undefined;
    skipInstall?: boolean | undefined;
  };
  /** How the right-hand side is named in conflict markers. */
  theirsLabel: string;
  /** For `add`: the capabilities it brings, whose variables go into a local `.env`. */
  added?: CapabilityId[];
}

/**
 * `create-twelve-app update`: re-renders the app with this version and merges it into the working tree
 * three ways (base: what the version that generated it rendered; see three-way.ts). Everything is
 * decided in memory first, so a failure before the write step leaves the app untouched.
 */
export async function updateApp(flags: UpdateFlags, context: UpdateContext): Promise<UpdateOutcome> {
  const log = logger(context);
  const app = readApp(path.resolve(context.cwd, flags.cwd ?? '.'), 'update');
  const { spec, directory } = app;
  const version = ownVersion();
  // Before anything of the recorded template is fetched, for the update or for the base render.
  if (spec.template) assertTrustedTemplate(spec.template, directory, flags.trustTemplates ?? [], context.cwd);
  // A house template is fetched again by its recorded source (a range picks its newest version), so an
  // update also brings the template's own improvements.
  const house = flags.template
    ? await loadTemplate(flags.template, context.cwd)
    : spec.template
      ? await reloadTemplate(spec.template, directory, { latest: true })
      : undefined;
  // Answers given before are kept; a question the new template added takes its default.
  const answers = house ? { ...promptDefaults(house.manifest.prompts), ...spec.template?.answers } : {};
  const next: AppSpec = {
    ...spec,
    generatorVersion: version,
    ...(house ? { template: templateRef(house, directory, answers) } : {}),
  };
  const templateChanged =
    next.template?.version !== spec.template?.version || next.template?.name !== spec.template?.name;
  if (spec.generatorVersion === version && app.migrations.length === 0 && !templateChanged) {
    log(
      `${spec.name} is up to date with create-twelve-app ${version}${spec.template ? ` and ${spec.template.name} ${spec.template.version}` : ''}.`,
    );
    return 'up-to-date';
  }
  if (!flags.check && !flags.dryRun && !flags.force) await assertCleanTree(directory);

  log(`Updating ${spec.name}: create-twelve-app ${spec.generatorVersion} → ${version}`);
  if (templateChanged && next.template) {
    log(
      `  house template ${spec.template ? `${spec.template.name} ${spec.template.version}` : '(none)'} → ${next.template.name} ${next.template.version}`,
    );
  }
  for (const migration of app.migrations)
    log(`  .yo-rc.json: spec version ${migration.from} → ${migration.from + 1} (${migration.description})`);
  return reRender({ app, next, house, inProcessBase: false, flags, theirsLabel: `create-twelve-app ${version}` }, log);
}

/**
 * `create-twelve-app add <capability>`: an update to the recorded choices plus that capability, through
 * the same three-way merge as `update`. When the app was rendered by an older version, the update to
 * this version and the addition are one merge.
 */
export async function addToApp(
  capability: CapabilityId,
  flags: AddFlags,
  context: UpdateContext,
): Promise<UpdateOutcome> {
  const log = logger(context);
  const app = readApp(path.resolve(context.cwd, flags.cwd ?? '.'), `add ${capability}`);
  const { spec, directory } = app;
  assertCanAdd(spec, capability);
  if (spec.template) assertTrustedTemplate(spec.template, directory, flags.trustTemplates ?? [], context.cwd);
  const version = ownVersion();
  // The recorded template at its recorded version: adding a capability does not move the template.
  const house = spec.template ? await reloadTemplate(spec.template, directory) : undefined;
  const next: AppSpec = configured(
    capability,
    { ...addCapability(spec, capability), generatorVersion: version },
    flags,
  );
  const added = next.capabilities.filter((id) => !spec.capabilities.includes(id)).filter(isCapabilityId);
  const sameVersion = spec.generatorVersion === version && app.migrations.length === 0;
  if (added.length === 0 && sameVersion && !flags.options) {
    log(`${spec.name} already has ${capability}: nothing to do.`);
    return 'up-to-date';
  }
  if (!flags.dryRun && !flags.force) await assertCleanTree(directory);

  const adding =
    added.length > 0
      ? `adding ${added.join(', ')}`
      : flags.options
        ? `adding ${capability} with ${Object.entries(flags.options)
            .map(([option, value]) => `--${option} ${value}`)
            .join(' ')}`
        : `${capability} is already there`;
  if (sameVersion) log(`${capitalize(adding)} to ${spec.name}`);
  else {
    log(
      `${spec.name} was generated by create-twelve-app ${spec.generatorVersion}: updating it to ${version} and ${adding}, in one merge`,
    );
    for (const migration of app.migrations)
      log(`  .yo-rc.json: spec version ${migration.from} → ${migration.from + 1} (${migration.description})`);
  }
  const theirsLabel = `create-twelve-app ${version}${added.length > 0 ? ` with ${added.join(', ')}` : ''}`;
  // A capability's own options add to it (`add schedule` again): the summary names it as added.
  const summarized = added.length === 0 && flags.options ? [capability] : added;
  return reRender({ app, next, house, inProcessBase: sameVersion, flags, theirsLabel, added: summarized }, log);
}

/**
 * The spec with the capability's own options applied (`add schedule --name --cron`): a capability
 * without options refuses any, and one with options needs them (its `apply` says which are missing).
 */
function configured(capability: CapabilityId, spec: AppSpec, flags: AddFlags): AppSpec {
  const { configure } = capabilityById(capability);
  const given = Object.keys(flags.options ?? {});
  const unknown = given.filter((option) => !configure?.options.includes(option));
  if (unknown.length > 0)
    throw new UserError(`add ${capability} takes no ${unknown.map((option) => `--${option}`).join(' or ')}.`, 2);
  return configure ? configure.apply(spec, flags.options ?? {}) : spec;
}

async function reRender(change: ReRender, log: (line: string) => void): Promise<UpdateOutcome> {
  const { app, next, house, flags } = change;
  const { directory, spec } = app;
  const base = await baseRender(change);
  const model = buildModel(next, house);
  const theirs = renderApp(model);
  const disk = (file: string) => {
    const absolute = path.join(directory, file);
    return fs.existsSync(absolute) && fs.statSync(absolute).isFile() ? fs.readFileSync(absolute) : undefined;
  };
  const labels = { ours: 'yours', base: `create-twelve-app ${spec.generatorVersion}`, theirs: change.theirsLabel };
  const steps = await planThreeWay(base, theirs, disk, labels);
  steps.push(yoRcStep(app.yoRc, { ...app.saved, ...next }, disk('.yo-rc.json')));
  const before = change.added ? buildModel(spec, house) : undefined;
  const env = before ? envStep(disk('.env'), before, model) : undefined;
  if (env) steps.push(env.step);

  const changed = steps.filter(changes);
  const conflicts = steps.filter((step) => step.action === 'conflict').map((step) => step.path);
  log(stepLines(steps).join('\n'));
  if (flags.dryRun) {
    for (const step of changed) log(stepDiff(step, disk(step.path), step.path === '.env' ? 0 : 3).trimEnd());
    log(`\nDry run: nothing was written to ${directory}.`);
    return flags.check && changed.length > 0 ? 'would-change' : 'previewed';
  }
  if (flags.check) {
    log(
      `\n${changed.length} file(s) would change: run \`npx create-twelve-app@${next.generatorVersion} update\` to apply.`,
    );
    return 'would-change';
  }

  write(directory, changed);
  const packageJson = steps.find((step) => step.path === 'package.json');
  const manager = model.packageManager;
  let installed = !(packageJson && changes(packageJson));
  if (packageJson && changes(packageJson)) {
    if (packageJson.action === 'conflict')
      log(`\npackage.json has conflicts: resolve them, then run \`${manager.name} install\`.`);
    else if (flags.skipInstall)
      log(`\nSkipped install (--skip-install): run \`${manager.name} install\` to update ${manager.lockfile}.`);
    else {
      log(`\nUpdating ${manager.lockfile} with ${manager.name} install…`);
      await installDependencies(
        directory,
        manager,
        `the app in ${directory} was changed, but not its ${manager.lockfile}`,
      );
      installed = true;
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
  if (before && change.added) {
    const summary = {
      added: change.added,
      installed,
      envExists: disk('.env') !== undefined,
      envAppended: env?.added ?? [],
      // Asked only when there is something to start: `docker compose version` takes a moment.
      compose: model.services.length > before.services.length ? await hasDockerCompose() : true,
    };
    log(addNextSteps(before, model, summary).trimEnd());
  } else
    log(
      `\nUpdated ${spec.name} to create-twelve-app ${next.generatorVersion}: review the changes with \`git diff\`, then commit.`,
    );
  return 'updated';
}

/**
 * What the recorded version rendered for the recorded choices. When that is this very version (`add`
 * on a current app, whose house template is the recorded one), it is rendered here, in-process; otherwise that version's own package is
 * installed and run (base-render.ts), since rendering old choices with today's templates would make
 * every template change look like an edit of the team's.
 */
async function baseRender(change: ReRender): Promise<Files> {
  const { app, flags } = change;
  if (change.inProcessBase) return renderApp(buildModel(app.spec, change.house));
  const old = await oldScaffolder(app.spec.generatorVersion, flags.from, cacheRoot(), app.directory);
  return renderWithOld(old, app.spec, app.directory);
}

/** The `.env` step of `add`: the new variables appended, when the app has a local `.env`. */
function envStep(
  current: Buffer | undefined,
  before: AppModel,
  after: AppModel,
): { step: UpdateStep; added: string[] } | undefined {
  if (current === undefined) return undefined;
  const appended = appendToEnv(current.toString('utf8'), introducedVariables(before, after));
  if (!appended) return undefined;
  return {
    step: { path: '.env', action: 'append', contents: appended.contents, reason: appended.added.join(', ') },
    added: appended.added,
  };
}

function readApp(directory: string, command: string): RecordedApp {
  const yoRc = readYoRc(directory, command);
  const migrated = migrateSpec(yoRc[YO_RC_KEY] as Record<string, unknown>);
  return {
    directory,
    yoRc,
    saved: migrated.saved,
    migrations: migrated.applied,
    spec: readAppSpec(yoRc[YO_RC_KEY], directory),
  };
}

function readYoRc(directory: string, command: string): Record<string, unknown> {
  const file = path.join(directory, '.yo-rc.json');
  const notOurs = new UserError(
    `${directory} is not an app generated by create-twelve-app (no .yo-rc.json with its choices): run ${command} inside one, or pass --cwd <dir>.`,
    2,
  );
  if (!fs.existsSync(file)) throw notOurs;
  assertSpecFileSize(file, directory);
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
function yoRcStep(
  yoRc: Record<string, unknown>,
  spec: Record<string, unknown>,
  current: Buffer | undefined,
): UpdateStep {
  const contents = `${JSON.stringify({ ...yoRc, [YO_RC_KEY]: spec }, null, 2)}\n`;
  const same = current?.equals(Buffer.from(contents));
  return same ? { path: '.yo-rc.json', action: 'unchanged' } : { path: '.yo-rc.json', action: 'update', contents };
}

/** The one write path of `add` and `update`: every file decided in memory first, then written. */
function write(directory: string, steps: readonly UpdateStep[]): void {
  assertWritesInside(
    directory,
    steps.map((step) => step.path),
  );
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
  for (
    let current = dir;
    current !== root && current.startsWith(root) && fs.readdirSync(current).length === 0;
    current = path.dirname(current)
  ) {
    fs.rmdirSync(current);
  }
}

function logger(context: UpdateContext): (line: string) => void {
  return context.write ?? ((line: string) => process.stdout.write(`${line}\n`));
}

function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
