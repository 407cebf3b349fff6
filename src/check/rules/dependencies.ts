import semver from 'semver';
import { parse as parseYaml } from 'yaml';
import type { CheckContext } from '../context.ts';
import type { Repo } from '../repo.ts';
import type { Finding } from '../types.ts';

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'];
const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;
const RUNTIME_FILES = ['.nvmrc', '.node-version', '.tool-versions'];
/** How many ranged names a finding shows; the full list is in `items` (--json). */
const SHOWN = 5;

type Manager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/**
 * 2. Dependencies locked to exact versions and the runtime version declared. Ranges that a committed
 * lockfile locks (and its frozen install accepts) are version-locked, which is what the checklist asks:
 * a warning that package.json does not say so itself. No lockfile, an ignored one or one out of sync: fail.
 */
export function dependencies({ repo }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const text = repo.read('package.json');
  const lockfile = LOCKFILES.find((file) => repo.exists(file));
  const manager = packageManager(repo, lockfile);
  const declared = SECTIONS.flatMap((section) =>
    Object.entries(repo.packageJson[section] ?? {}).map(([name, spec]) => ({ section, name, spec })),
  );
  let locked = false;

  if (lockfile === undefined) {
    if (declared.length > 0) {
      findings.push({
        rule: 'dependencies/lockfile',
        severity: 'fail',
        message:
          'No lockfile (package-lock.json, pnpm-lock.yaml or yarn.lock): every install may resolve different versions.',
        file: 'package.json',
        hint: `Install once (${INSTALL[manager]}) and commit the lockfile it writes; install with \`${FROZEN[manager]}\` in CI and images.`,
      });
    }
  } else if (repo.tracked !== undefined && !repo.tracked.has(lockfile)) {
    findings.push({
      rule: 'dependencies/lockfile',
      severity: 'fail',
      message: `${lockfile} is ${repo.files.includes(lockfile) ? 'not committed' : 'ignored by git'}, so other machines do not install from it.`,
      file: lockfile,
      hint: `Commit it (remove it from .gitignore first if it is listed there): git add ${lockfile}`,
    });
  } else {
    const { drift, unverifiable } = lockfileDrift(repo, lockfile);
    locked = drift.length === 0;
    for (const problem of drift) {
      findings.push({
        rule: 'dependencies/lockfile-in-sync',
        severity: 'fail',
        message: `${lockfile} is out of sync with package.json, so \`${FROZEN[manager]}\` refuses it: ${problem.message}.`,
        file: 'package.json',
        ...dependencyLine(text, problem.name),
        hint: `Run \`${INSTALL[manager]}\` and commit the updated lockfile.`,
      });
    }
    if (unverifiable) {
      findings.push({
        rule: 'dependencies/lockfile-in-sync',
        severity: 'note',
        message: `Cannot verify that ${lockfile} matches package.json: ${unverifiable}.`,
        file: lockfile,
        hint: `\`${FROZEN[manager]}\` in CI is the real test; it refuses a lockfile out of sync.`,
      });
    }
  }

  const ranged = declared.filter(({ spec }) => !isPinned(spec));
  if (ranged.length > 0) {
    const versions = lockfile && locked ? lockedVersions(repo, lockfile) : new Map<string, string>();
    const names = ranged.map(({ name, spec }) => `${name}@${spec}`);
    const first = ranged[0]!;
    const pins = ranged.slice(0, SHOWN).map(({ name }) => `${name}@${versions.get(name) ?? '<version>'}`);
    findings.push({
      rule: 'dependencies/exact-versions',
      severity: locked ? 'warn' : 'fail',
      message: `${ranged.length} ${ranged.length === 1 ? 'dependency is' : 'dependencies are'} declared as ranges (${names.slice(0, SHOWN).join(', ')}${ranged.length > SHOWN ? ', …' : ''})${locked ? `; the committed ${lockfile} locks them` : ' and no lockfile in sync locks them'}.`,
      file: 'package.json',
      ...dependencyLine(text, first.name, first.section),
      hint: `Pin the versions the lockfile resolves: ${ADD_EXACT[manager]} ${pins.join(' ')}${ranged.length > SHOWN ? ' …' : ''} (or save-exact=true in .npmrc).`,
      items: names,
    });
  }

  const runtime = runtimeVersion(repo);
  if (runtime.kind !== 'exact' && runtime.kind !== 'bounded') {
    findings.push({
      rule: 'dependencies/runtime-version',
      severity: 'warn',
      message:
        runtime.kind === 'none'
          ? 'No Node.js version is declared (engines.node, .nvmrc, .node-version, .tool-versions or volta).'
          : `The Node.js version is open-ended (engines.node "${runtime.spec}"): a new major version is accepted untested.`,
      file: 'package.json',
      ...(runtime.kind === 'open' ? dependencyLine(text, 'node', 'engines') : {}),
      hint: 'Declare the major you test on, e.g. "engines": { "node": "^24.11.0" }, and the exact version in .nvmrc.',
    });
  }
  return findings;
}

const INSTALL: Record<Manager, string> = {
  npm: 'npm install',
  pnpm: 'pnpm install',
  yarn: 'yarn install',
  bun: 'bun install',
};
const FROZEN: Record<Manager, string> = {
  npm: 'npm ci',
  pnpm: 'pnpm install --frozen-lockfile',
  yarn: 'yarn install --immutable',
  bun: 'bun install --frozen-lockfile',
};
const ADD_EXACT: Record<Manager, string> = {
  npm: 'npm install --save-exact',
  pnpm: 'pnpm add --save-exact',
  yarn: 'yarn add --exact',
  bun: 'bun add --exact',
};

/** The project's package manager: `packageManager` in package.json, else its lockfile's. */
function packageManager(repo: Repo, lockfile: string | undefined): Manager {
  const declared = /^(npm|pnpm|yarn|bun)@/.exec(repo.packageJson.packageManager ?? '')?.[1] as Manager | undefined;
  if (declared) return declared;
  if (lockfile === 'pnpm-lock.yaml') return 'pnpm';
  if (lockfile === 'yarn.lock') return 'yarn';
  if (lockfile?.startsWith('bun.')) return 'bun';
  return 'npm';
}

/** exact (a .nvmrc or an exact engines version), bounded (^24, 24.x, >=24 <25), open (>=12), none. */
function runtimeVersion(repo: Repo): { kind: 'exact' | 'bounded' | 'open' | 'none'; spec?: string } {
  const exactFile = RUNTIME_FILES.some((file) =>
    file === '.tool-versions'
      ? /^(?:nodejs|node)\s+\S+/m.test(repo.read(file) ?? '')
      : Boolean(repo.read(file)?.trim()),
  );
  if (exactFile || repo.packageJson.volta?.node || repo.packageJson.devEngines?.runtime) return { kind: 'exact' };
  const spec = repo.packageJson.engines?.node;
  if (spec === undefined) return { kind: 'none' };
  if (semver.valid(spec)) return { kind: 'exact' };
  const range = semver.validRange(spec);
  // A range with an upper bound: some version far above its minimum is outside it.
  if (range !== null && !semver.satisfies('999.0.0', range)) return { kind: 'bounded' };
  return { kind: 'open', spec };
}

/** Exact versions, and sources that are exact by nature (a workspace, a local folder, a git commit). */
export function isPinned(spec: string): boolean {
  if (semver.valid(spec)) return true;
  if (/^(?:workspace|file|link|portal):/.test(spec)) return true;
  const alias = /^npm:(?:@[^/]+\/)?[^@]+@(.+)$/.exec(spec);
  if (alias) return semver.valid(alias[1]!) !== null;
  // A git or GitHub URL pinned to a full commit hash.
  if (/#[0-9a-f]{40}$/.test(spec)) return true;
  return false;
}

/**
 * The line of a dependency's own entry in package.json: inside its section (`"dependencies": {`), not
 * the first mention of the name (in `keywords`, `scripts` or a tool's block).
 */
export function dependencyLine(text: string | undefined, name: string, section?: string): { line?: number } {
  if (text === undefined) return {};
  const lines = text.split('\n');
  const sections = section ? [section] : [...SECTIONS, 'peerDependencies'];
  for (const candidate of sections) {
    const start = lines.findIndex((line) => line.includes(`"${candidate}"`) && /:\s*\{/.test(line));
    if (start === -1) continue;
    for (let index = start + 1; index < lines.length && !/^\s*\}/.test(lines[index]!); index++) {
      if (lines[index]!.includes(`"${name}"`)) return { line: index + 1 };
    }
  }
  const anywhere = lines.findIndex((line) => line.includes(`"${name}"`));
  return anywhere === -1 ? {} : { line: anywhere + 1 };
}

/** The version the lockfile resolves for each direct dependency, for the pin hint. */
function lockedVersions(repo: Repo, lockfile: string): Map<string, string> {
  const versions = new Map<string, string>();
  const text = repo.read(lockfile);
  if (text === undefined) return versions;
  try {
    if (lockfile === 'package-lock.json' || lockfile === 'npm-shrinkwrap.json') {
      const packages = (JSON.parse(text) as { packages?: Record<string, { version?: string }> }).packages ?? {};
      for (const [key, entry] of Object.entries(packages)) {
        const name = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(key)?.[1];
        if (name && entry.version) versions.set(name, entry.version);
      }
    } else if (lockfile === 'pnpm-lock.yaml') {
      const importer = (
        parseYaml(text) as { importers?: Record<string, Record<string, Record<string, { version?: string }>>> }
      ).importers?.['.'];
      for (const section of SECTIONS)
        for (const [name, entry] of Object.entries(importer?.[section] ?? {}))
          if (entry.version) versions.set(name, entry.version.split('(')[0]!);
    } else if (lockfile === 'yarn.lock') {
      let names: string[] = [];
      for (const line of text.split('\n')) {
        if (/^\S.*:$/.test(line) && !line.startsWith('#')) {
          names = line
            .slice(0, -1)
            .split(/,\s*/)
            .map((part) => part.replace(/^"|"$/g, '').replace(/@(?:npm:)?[^@]*$/, ''));
        } else {
          const version = /^\s+version:?\s+"?([^"\s]+)"?/.exec(line)?.[1];
          if (version) for (const name of names) if (!versions.has(name)) versions.set(name, version);
        }
      }
    }
  } catch {
    // An unreadable lockfile gives no versions; the hint then shows a placeholder.
  }
  return versions;
}

interface Drift {
  drift: Array<{ name: string; message: string }>;
  /** Why the comparison is impossible (a lockfile format too old, overrides): "cannot verify". */
  unverifiable?: string;
}

function lockfileDrift(repo: Repo, lockfile: string): Drift {
  const wanted = new Map<string, string>();
  for (const section of SECTIONS)
    for (const [name, spec] of Object.entries(repo.packageJson[section] ?? {})) wanted.set(name, spec);
  const text = repo.read(lockfile);
  if (text === undefined) return { drift: [] };
  const drift: Array<{ name: string; message: string }> = [];
  if (lockfile === 'package-lock.json' || lockfile === 'npm-shrinkwrap.json') {
    let lock: {
      lockfileVersion?: number;
      packages?: Record<string, Record<string, Record<string, string> | undefined>>;
    };
    try {
      lock = JSON.parse(text) as typeof lock;
    } catch {
      return { drift: [{ name: lockfile, message: 'it is not valid JSON' }] };
    }
    const root = lock.packages?.[''];
    if (!root)
      return {
        drift: [],
        unverifiable: `it is lockfileVersion ${lock.lockfileVersion ?? 1}, which does not record package.json's ranges (npm 7 or newer rewrites it)`,
      };
    const locked = new Map<string, string>();
    for (const section of SECTIONS)
      for (const [name, spec] of Object.entries(root[section] ?? {})) locked.set(name, spec);
    compare(wanted, locked, drift);
  } else if (lockfile === 'pnpm-lock.yaml') {
    try {
      const lock = parseYaml(text) as {
        importers?: Record<string, Record<string, Record<string, { specifier?: string }>>>;
      };
      const importer = lock.importers?.['.'];
      if (!importer) return { drift: [], unverifiable: 'it has no importer for the root package' };
      const locked = new Map<string, string>();
      for (const section of SECTIONS)
        for (const [name, entry] of Object.entries(importer[section] ?? {}))
          if (entry.specifier) locked.set(name, entry.specifier);
      compare(wanted, locked, drift);
    } catch {
      return { drift: [{ name: lockfile, message: 'it is not valid YAML' }] };
    }
  } else if (lockfile === 'yarn.lock') {
    // Entry headers list the `name@range` descriptors they resolve: `"a@^1.0.0", a@^1.2.0:`.
    const descriptors = new Set(
      text
        .split('\n')
        .filter((line) => /^\S.*:$/.test(line) && !line.startsWith('#'))
        .flatMap((line) =>
          line
            .slice(0, -1)
            .split(/,\s*/)
            .map((part) => part.replace(/^"|"$/g, '')),
        ),
    );
    for (const [name, spec] of wanted) {
      if (/^(?:workspace|file|link|portal):/.test(spec)) continue;
      if (!descriptors.has(`${name}@${spec}`) && !descriptors.has(`${name}@npm:${spec}`))
        drift.push({ name, message: `${name}@${spec} has no entry` });
    }
  } else {
    return { drift: [], unverifiable: `${lockfile} is not a format check reads` };
  }
  // Overrides and resolutions rewrite what the lockfile records for the names they cover.
  const overridden = new Set(
    Object.keys({
      ...repo.packageJson.overrides,
      ...repo.packageJson.resolutions,
      ...repo.packageJson.pnpm?.overrides,
    }).map((key) => key.replace(/^(?:\*\*\/)?((?:@[^/]+\/)?[^@/]+).*$/, '$1')),
  );
  const covered = drift.filter((problem) => overridden.has(problem.name));
  if (covered.length > 0) {
    return {
      drift: drift.filter((problem) => !overridden.has(problem.name)),
      unverifiable: `${covered.map((problem) => problem.name).join(', ')} ${covered.length === 1 ? 'is' : 'are'} rewritten by overrides or resolutions in package.json`,
    };
  }
  return { drift };
}

function compare(
  wanted: Map<string, string>,
  locked: Map<string, string>,
  drift: Array<{ name: string; message: string }>,
): void {
  for (const [name, spec] of wanted) {
    const lockedSpec = locked.get(name);
    if (lockedSpec === undefined) drift.push({ name, message: `${name} is in package.json but not in the lockfile` });
    else if (lockedSpec !== spec)
      drift.push({ name, message: `${name} is "${spec}" in package.json but "${lockedSpec}" in the lockfile` });
  }
  for (const name of locked.keys())
    if (!wanted.has(name)) drift.push({ name, message: `${name} is in the lockfile but no longer in package.json` });
}
