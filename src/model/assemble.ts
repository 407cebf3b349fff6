import { isDeepStrictEqual } from 'node:util';
import { extendCommands } from './commands.ts';
import { deployModel, healthcheckCommand } from './deploy.ts';
import { FACTS } from './facts.ts';
import { packageManagerInfo } from './package-manager.ts';
import type { AppModel, AppSpec, Contribution, PackageManagerName, Script } from './types.ts';
import { PACKAGE_MANAGERS } from './types.ts';
import { GITHUB_ACTIONS, NODE_IMAGE, NODE_VERSION, RELEASE_COOLDOWN_DAYS } from './versions.ts';

/** A house template as the model sees it: its name, version and `templates/` folder (absolute). */
export type HouseRef = NonNullable<AppModel['house']>;

/**
 * The whole app model from the saved choices and what each part contributes (the kind's and the
 * capabilities' contributions, then a house template's), in that order. Pure. The model is the ground
 * floor: it knows no capability and no house template, only contributions (src/app-model.ts composes them).
 */
export function assembleModel(spec: AppSpec, parts: Contribution[], house?: HouseRef): AppModel {
  const model: AppModel = {
    spec,
    name: spec.name,
    kind: spec.kind,
    node: {
      version: NODE_VERSION,
      major: Number(NODE_VERSION.split('.')[0]),
      image: `node:${NODE_IMAGE.tag}@${NODE_IMAGE.digest}`,
    },
    packageManager: parsePackageManager(spec.packageManager),
    features: Object.fromEntries(spec.capabilities.map((id) => [id, true])),
    dependencies: mergeRecords(parts, 'dependencies'),
    devDependencies: mergeRecords(parts, 'devDependencies'),
    ...extendCommands(parts, mergeNamed(parts, 'processes'), orderScripts(mergeNamed(parts, 'scripts'))),
    config: mergeNamed(parts, 'config'),
    services: mergeNamed(parts, 'services'),
    templateDirs: [...new Set(parts.flatMap((part) => part.templateDirs ?? []))],
    files: Object.assign({}, ...parts.map((part) => part.files ?? {})),
    writableDirs: [...new Set(parts.flatMap((part) => part.writableDirs ?? []))],
    clients: mergeNamed(parts, 'clients'),
    routes: parts.flatMap((part) => part.routes ?? []),
    setupScripts: [...new Set(parts.flatMap((part) => part.setupScripts ?? []))],
    data: Object.assign({}, ...parts.map((part) => part.data ?? {})),
    ownership: parts.flatMap((part) => part.ownership ?? []),
    readme: [],
    facts: FACTS,
    bundle: {
      entryPoints: [...new Set(parts.flatMap((part) => part.entryPoints ?? []))],
      externals: [...new Set(parts.flatMap((part) => part.externals ?? []))].sort(),
      modulesInDist: false,
    },
    docker: { cmd: [], sources: [] },
    devScripts: [],
    deploy: { name: '', image: '', workloads: [], scheduled: [], environments: [] },
    answers: spec.template?.answers ?? {},
    ...(house ? { house } : {}),
    check: `npx --yes create-twelve-app@${spec.generatorVersion} check`,
    actions: Object.fromEntries(
      Object.entries(GITHUB_ACTIONS).map(([name, action]) => [name, `${action.repo}@${action.sha} # ${action.tag}`]),
    ) as AppModel['actions'],
    releaseCooldownDays: RELEASE_COOLDOWN_DAYS,
  };
  // The externals' closure is read from npm's lockfile; pnpm's and yarn's installs ship whole (pruned).
  model.bundle.modulesInDist = model.bundle.externals.length > 0 && model.packageManager.name === 'npm';
  model.devScripts = model.scripts
    .map((script) => script.name)
    .filter((name) => name === 'dev' || name.startsWith('dev:'));
  const invalid = model.config.find((variable) => variable.invalid !== undefined);
  const warmUp = model.processes
    .filter((process) => !process.release && !process.schedule)
    .flatMap((process) => warmUpCommands(process.command));
  const main =
    model.processes.find((process) => process.name === 'web') ?? model.processes.find((process) => process.health);
  model.docker = {
    cmd: main ? main.command.split(' ') : ['node'],
    ...(invalid && warmUp.length > 0
      ? {
          warmUp: {
            commands: warmUp,
            env: `${invalid.name}='${invalid.invalid}'`,
            stopsWith: `${invalid.name} ${invalid.error}`,
          },
        }
      : {}),
    ...(main?.health ? { health: main.health, healthcheck: healthcheckCommand(main.health) } : {}),
    ...(main?.name === 'web' && main.health ? { expose: main.health.port } : {}),
    sources: [...new Set(parts.flatMap((part) => part.buildInputs ?? []))],
  };
  model.deploy = deployModel(model);
  // Last: a section may mention anything in the model (scripts, processes, other capabilities).
  model.readme = parts.flatMap((part) => (part.readme ? [part.readme(model)] : []));
  return model;
}

/**
 * A preload (`--import`) validates the config too and stops before the process's own code is loaded, so
 * a command with one is also run without it: the cache then holds both.
 */
function warmUpCommands(command: string): string[] {
  const withoutPreloads = command.replace(/ --import \S+/g, '');
  return withoutPreloads === command ? [command] : [command, withoutPreloads];
}

function parsePackageManager(value: string) {
  const [name, version] = value.split('@') as [string, string | undefined];
  if (!(PACKAGE_MANAGERS as readonly string[]).includes(name)) throw new Error(`Unknown package manager "${value}"`);
  return packageManagerInfo(name as PackageManagerName, version);
}

/** Two capabilities asking for one package at different versions is a bug in the scaffolder, not user input. */
function mergeRecords(parts: Contribution[], key: 'dependencies' | 'devDependencies'): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const part of parts) {
    for (const [name, version] of Object.entries(part[key] ?? {})) {
      if (merged[name] !== undefined && merged[name] !== version) {
        throw new Error(`Capabilities disagree on ${name}: ${merged[name]} vs ${version}`);
      }
      merged[name] = version;
    }
  }
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
}

type Named = 'scripts' | 'config' | 'processes' | 'services' | 'clients';

/**
 * Concatenate in capability order. Two capabilities may declare the same item when it is identical
 * (the web process and the worker both bind HOST for their probes); a name declared twice differently
 * is a bug in the scaffolder.
 */
function mergeNamed<K extends Named>(parts: Contribution[], key: K): NonNullable<Contribution[K]> {
  const byName = new Map<string, { name: string }>();
  for (const item of parts.flatMap((part) => (part[key] ?? []) as Array<{ name: string }>)) {
    const seen = byName.get(item.name);
    if (seen && !isDeepStrictEqual(seen, item))
      throw new Error(`Two capabilities declare ${key} "${item.name}" differently`);
    byName.set(item.name, seen ?? item);
  }
  return [...byName.values()] as NonNullable<Contribution[K]>;
}

/** The scripts people look for first, in the order they use them; the rest follow in capability order. */
const FIRST_SCRIPTS = ['build', 'start', 'dev', 'test', 'typecheck'];

function orderScripts(scripts: Script[]): Script[] {
  const rank = (script: Script) =>
    FIRST_SCRIPTS.includes(script.name) ? FIRST_SCRIPTS.indexOf(script.name) : FIRST_SCRIPTS.length;
  // Array#sort is stable, so scripts of equal rank keep their capability order.
  return [...scripts].sort((a, b) => rank(a) - rank(b));
}
