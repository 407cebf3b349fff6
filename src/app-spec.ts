import path from 'node:path';
import { KIND_DEFINITIONS } from './capabilities/kinds.ts';
import { CAPABILITIES, CAPABILITY_IDS, type CapabilityId, capabilityById } from './capabilities/registry.ts';
import { UserError } from './errors.ts';
import { CURRENT_SPEC_VERSION } from './model/migrations.ts';
import { detectPackageManager, packageManagerInfo } from './model/package-manager.ts';
import { readSpec } from './model/spec.ts';
import type { AppSpec, Database, ErrorReporter, Kind, PackageManagerName } from './model/types.ts';
import { DATABASES, ERROR_REPORTERS, KINDS, PACKAGE_MANAGERS } from './model/types.ts';
import type { Answers } from './options.ts';
import { DEFAULT_DIRECTORY } from './options.ts';
import type { Flags } from './request.ts';
import { checkPackageName, defaultName, flagsFromAnswers, validateFlags } from './request.ts';

/** The choices of a new app, as the CLI flags, a house template's defaults and the prompts settle them. */
export interface Choices {
  name: string;
  kind: Kind;
  db?: Database | undefined;
  errorReporting?: ErrorReporter | undefined;
  packageManager: PackageManagerName;
  /** The version of the package manager that ran us, when it is the chosen one. */
  packageManagerVersion?: string | undefined;
}

export interface NormalizeInput {
  /** The flags as given (with a house template's locks applied). */
  flags: Flags;
  /** The questions' answers, however they came: flags, a house template's defaults, prompts, `--yes`. */
  answers: Partial<Answers>;
  /** Where relative paths start: the user's working directory. */
  cwd: string;
  /** `npm_config_user_agent`, for the default package manager. */
  userAgent: string | undefined;
  generatorVersion: string;
}

/**
 * The one place a new app's choices become its spec, as Nx generators normalize their options: the
 * directory and package name, every answer checked against its choices (no casts downstream), the
 * package manager, and the capabilities through the compatibility table. Throws a UserError naming
 * what to fix.
 */
export function normalizeApp({ flags, answers, cwd, userAgent, generatorVersion }: NormalizeInput): {
  directory: string;
  spec: AppSpec;
} {
  const given = { ...flags, ...flagsFromAnswers(answers) };
  validateFlags(given);
  const directory = path.resolve(cwd, flags.directory ?? DEFAULT_DIRECTORY);
  const name = flags.name ?? defaultName(directory);
  checkPackageName(name, flags.name === undefined ? 'The directory name' : '--name');
  const detected = detectPackageManager(userAgent);
  const packageManager = oneOf(PACKAGE_MANAGERS, flags.packageManager ?? detected.name, 'package-manager');
  const choices: Choices = {
    name,
    kind: oneOf(KINDS, answers.kind ?? 'api', 'kind'),
    db: answers.db === undefined ? undefined : oneOf(DATABASES, answers.db, 'db'),
    errorReporting:
      answers['error-reporting'] === undefined
        ? undefined
        : oneOf(ERROR_REPORTERS, answers['error-reporting'], 'error-reporting'),
    packageManager,
    packageManagerVersion: packageManager === detected.name ? detected.version : undefined,
  };
  return { directory, spec: initialSpec(choices, generatorVersion) };
}

function oneOf<T extends string>(choices: readonly T[], value: string, option: string): T {
  const found = choices.find((choice) => choice === value);
  if (found === undefined) throw new UserError(`--${option} must be one of ${choices.join(', ')} (got "${value}").`);
  return found;
}

/**
 * The spec of a new app: its kind's capabilities, the database and error reporting asked for, an
 * exact package manager. Every capability goes through the compatibility table (`addCapability`).
 */
export function initialSpec(choices: Choices, generatorVersion: string): AppSpec {
  const manager = packageManagerInfo(choices.packageManager, choices.packageManagerVersion);
  const base: AppSpec = {
    specVersion: CURRENT_SPEC_VERSION,
    name: choices.name,
    kind: choices.kind,
    capabilities: [],
    packageManager: `${manager.name}@${manager.version}`,
    generatorVersion,
  };
  const answers: Record<string, string | undefined> = { db: choices.db, 'error-reporting': choices.errorReporting };
  const chosen = CAPABILITIES.filter(
    (capability) => capability.chosenBy && answers[capability.chosenBy.option] === capability.chosenBy.value,
  );
  const wanted: CapabilityId[] = [
    ...KIND_DEFINITIONS[choices.kind].starts,
    ...chosen.map((capability) => capability.id),
  ];
  return wanted.reduce(addCapability, base);
}

/**
 * The spec with `id` and what it requires added, in the registry's order; adding twice changes
 * nothing. A kind that does not accept one of them is refused with a sentence (the compatibility table).
 */
export function addCapability(spec: AppSpec, id: CapabilityId): AppSpec {
  const wanted = new Set(spec.capabilities);
  const visit = (capability: CapabilityId) => {
    assertCanAdd(spec, capability);
    wanted.add(capability);
    for (const required of capabilityById(capability).requires) if (isKnown(required)) visit(required);
  };
  visit(id);
  return { ...spec, capabilities: CAPABILITY_IDS.filter((capability) => wanted.has(capability)) };
}

/** Refuses a capability the app's kind does not accept (`kinds` in the registry). */
export function assertCanAdd(spec: AppSpec, id: CapabilityId): void {
  if (capabilityById(id).kinds.includes(spec.kind)) return;
  const why = KIND_DEFINITIONS[spec.kind].refusal.replace('{id}', id);
  throw new UserError(`${spec.name} ${why}.`);
}

/** The kinds that accept a capability: one row of the compatibility table. */
export function kindsAccepting(id: CapabilityId): readonly Kind[] {
  return capabilityById(id).kinds;
}

function isKnown(id: string): id is CapabilityId {
  return (CAPABILITY_IDS as readonly string[]).includes(id);
}

/** The spec saved in an app's `.yo-rc.json`, checked whole, with the capabilities the registry knows. */
export function readAppSpec(saved: unknown, where: string): AppSpec {
  return readSpec(saved, where, CAPABILITY_IDS);
}
