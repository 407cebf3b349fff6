import semver from 'semver';
import { parse as parseYaml } from 'yaml';
import type { CheckContext } from '../context.ts';
import type { Repo } from '../repo.ts';
import type { Finding } from '../types.ts';
import { lineFor } from './codebase.ts';

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'];
const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;
const RUNTIME_FILES = ['.nvmrc', '.node-version', '.tool-versions'];

/** 2. Dependencies declared with exact versions, locked, and the runtime version declared. */
export function dependencies({ repo }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const text = repo.read('package.json');
  const lockfile = LOCKFILES.find((file) => repo.exists(file));
  const declared = SECTIONS.flatMap((section) => Object.entries(repo.packageJson[section] ?? {}).map(([name, spec]) => ({ section, name, spec })));

  if (lockfile === undefined) {
    if (declared.length > 0) {
      findings.push({
        factor: 'dependencies',
        severity: 'fail',
        message: 'No lockfile (package-lock.json, pnpm-lock.yaml or yarn.lock): every install may resolve different versions.',
        file: 'package.json',
        hint: 'Install once with your package manager and commit the lockfile it writes; install with `npm ci` in CI and images.',
      });
    }
  } else {
    if (repo.tracked !== undefined && !repo.tracked.has(lockfile)) {
      findings.push({ factor: 'dependencies', severity: 'fail', message: `${lockfile} is not committed, so other machines do not install from it.`, file: lockfile, hint: `git add ${lockfile}` });
    }
    for (const problem of lockfileDrift(repo, lockfile)) {
      findings.push({
        factor: 'dependencies',
        severity: 'fail',
        message: `${lockfile} is out of sync with package.json: ${problem.message}.`,
        file: 'package.json',
        ...lineFor(text, problem.name),
        hint: `Run the install again (${lockfile === 'package-lock.json' ? 'npm install' : lockfile === 'pnpm-lock.yaml' ? 'pnpm install' : 'yarn install'}) and commit the updated lockfile.`,
      });
    }
  }

  for (const { section, name, spec } of declared) {
    if (isPinned(spec)) continue;
    findings.push({
      factor: 'dependencies',
      severity: 'fail',
      message: `${name} is declared as "${spec}" in ${section}, a range rather than an exact version.`,
      file: 'package.json',
      ...lineFor(text, name),
      hint: `Pin it: "${name}": "${semver.minVersion(spec)?.version ?? 'x.y.z'}" (npm install --save-exact, or save-exact=true in .npmrc).`,
    });
  }

  const runtime =
    repo.packageJson.engines?.node ??
    repo.packageJson.volta?.node ??
    (repo.packageJson.devEngines?.runtime ? 'devEngines' : undefined) ??
    RUNTIME_FILES.find((file) => (file === '.tool-versions' ? /^(?:nodejs|node)\s+\S+/m.test(repo.read(file) ?? '') : repo.read(file)?.trim()));
  if (!runtime) {
    findings.push({
      factor: 'dependencies',
      severity: 'fail',
      message: 'No Node.js version is declared (engines.node, .nvmrc, .node-version, .tool-versions or volta).',
      file: 'package.json',
      hint: 'Add "engines": { "node": ">=24.11.0" } and a .nvmrc with the exact version you test on.',
    });
  }
  return findings;
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

function lockfileDrift(repo: Repo, lockfile: string): Array<{ name: string; message: string }> {
  const wanted = new Map<string, string>();
  for (const section of SECTIONS) for (const [name, spec] of Object.entries(repo.packageJson[section] ?? {})) wanted.set(name, spec);
  const text = repo.read(lockfile);
  if (text === undefined) return [];
  const drift: Array<{ name: string; message: string }> = [];
  if (lockfile === 'package-lock.json' || lockfile === 'npm-shrinkwrap.json') {
    let root: Record<string, Record<string, string> | undefined> | undefined;
    try {
      root = (JSON.parse(text) as { packages?: Record<string, Record<string, Record<string, string> | undefined>> }).packages?.[''];
    } catch {
      return [{ name: lockfile, message: 'it is not valid JSON' }];
    }
    if (!root) return [{ name: lockfile, message: 'it has no root entry (lockfileVersion 1 is too old to compare; run npm install with npm 7 or newer)' }];
    const locked = new Map<string, string>();
    for (const section of SECTIONS) for (const [name, spec] of Object.entries(root[section] ?? {})) locked.set(name, spec);
    compare(wanted, locked, drift);
  } else if (lockfile === 'pnpm-lock.yaml') {
    try {
      const lock = parseYaml(text) as { importers?: Record<string, Record<string, Record<string, { specifier?: string }>>> };
      const importer = lock.importers?.['.'];
      if (!importer) return [];
      const locked = new Map<string, string>();
      for (const section of SECTIONS) for (const [name, entry] of Object.entries(importer[section] ?? {})) if (entry.specifier) locked.set(name, entry.specifier);
      compare(wanted, locked, drift);
    } catch {
      return [{ name: lockfile, message: 'it is not valid YAML' }];
    }
  } else if (lockfile === 'yarn.lock') {
    // Entry headers list the `name@range` descriptors they resolve: `"a@^1.0.0", a@^1.2.0:`.
    const descriptors = new Set(
      text
        .split('\n')
        .filter((line) => /^\S.*:$/.test(line) && !line.startsWith('#'))
        .flatMap((line) => line.slice(0, -1).split(/,\s*/).map((part) => part.replace(/^"|"$/g, ''))),
    );
    for (const [name, spec] of wanted) {
      if (/^(?:workspace|file|link|portal):/.test(spec)) continue;
      if (!descriptors.has(`${name}@${spec}`) && !descriptors.has(`${name}@npm:${spec}`)) drift.push({ name, message: `${name}@${spec} has no entry` });
    }
  }
  return drift;
}

function compare(wanted: Map<string, string>, locked: Map<string, string>, drift: Array<{ name: string; message: string }>): void {
  for (const [name, spec] of wanted) {
    const lockedSpec = locked.get(name);
    if (lockedSpec === undefined) drift.push({ name, message: `${name} is in package.json but not in the lockfile` });
    else if (lockedSpec !== spec) drift.push({ name, message: `${name} is "${spec}" in package.json but "${lockedSpec}" in the lockfile` });
  }
  for (const name of locked.keys()) if (!wanted.has(name)) drift.push({ name, message: `${name} is in the lockfile but no longer in package.json` });
}
