import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../errors.ts';
import { ownVersion } from '../paths.ts';
import { basePackages } from './base-packages.ts';
import { renderHtml } from './html.ts';
import { mapPool } from './pool.ts';
import { fleetCache, listRepos } from './repos.ts';
import { repoStatus, statusExitCode, toJson } from './status.ts';
import { statusTable, updateTable } from './table.ts';
import { isTrustedRepo, readFleetConfig } from './trust.ts';
import { type RepoUpdate, updateRepo } from './update-repo.ts';

export interface FleetFlags {
  action: 'status' | 'update';
  repos: string[];
  /** A file listing the repositories, one per line. */
  from?: string;
  json?: boolean;
  html?: string;
  branch?: string;
  allowConflicts?: boolean;
  noPush?: boolean;
  concurrency?: string;
  canary?: string;
  pr?: boolean;
  trustTemplate?: string[];
  /** Repositories whose own code may run here: canaries from them are installed and built. */
  trustRepo?: string[];
  config?: string;
  baseFrom?: string[];
}

export interface FleetIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  /** Progress lines, on stderr so `--json` stays one document on stdout. */
  progress: (line: string) => void;
}

export const DEFAULT_CONCURRENCY = 4;

/**
 * `create-twelve-app fleet status|update`: every flag is validated before any repository is touched, so
 * bad usage (exit 2) writes nothing. Returns the exit code.
 */
export async function runFleetCommand(flags: FleetFlags, io: FleetIo): Promise<number> {
  const concurrency = positiveInteger(flags.concurrency, '--concurrency') ?? DEFAULT_CONCURRENCY;
  const canary = positiveInteger(flags.canary, '--canary');
  if (flags.action === 'status') {
    for (const name of ['branch', 'allowConflicts', 'noPush', 'canary', 'pr', 'trustRepo'] as const) {
      if (flags[name] !== undefined)
        throw new UserError(`--${kebab(name)} is an option of fleet update, not fleet status.`, 2);
    }
  } else {
    if (flags.json || flags.html !== undefined)
      throw new UserError('--json and --html are options of fleet status: fleet update prints its table.', 2);
    if (flags.branch === undefined)
      throw new UserError(
        'fleet update needs --branch <name>: the branch each update is pushed to (never the default branch).',
        2,
      );
    const valid = await execa('git', ['check-ref-format', '--branch', flags.branch], {
      reject: false,
      stdin: 'ignore',
    });
    if (valid.failed) throw new UserError(`--branch ${flags.branch} is not a valid git branch name.`, 2);
  }
  const html = flags.html === undefined ? undefined : path.resolve(io.cwd, flags.html);
  if (html !== undefined && !fs.existsSync(path.dirname(html)))
    throw new UserError(`--html ${flags.html}: the folder ${path.dirname(html)} does not exist.`, 2);
  const repos = listRepos(flags.repos, flags.from, io.cwd);
  const config = readFleetConfig(flags.config, io.cwd);
  const trustTemplates = [...config.trustTemplates, ...(flags.trustTemplate ?? [])];
  const trustRepos = [...config.trustRepos, ...(flags.trustRepo ?? [])];
  const bases = await basePackages(flags.baseFrom ?? [], io.cwd);
  const cache = fleetCache(io.env);
  fs.mkdirSync(cache, { recursive: true });

  const statuses = await mapPool(repos, concurrency, async (repo) => {
    io.progress(`fetching ${repo.source}`);
    return repoStatus(repo, { cache, cwd: io.cwd, trustTemplates });
  });

  if (flags.action === 'status') {
    const json = toJson(statuses);
    if (html !== undefined) writeAtomically(html, renderHtml(statuses, json.summary, new Date(), ownVersion()));
    io.stdout(flags.json ? `${JSON.stringify(json, null, 2)}\n` : statusTable(statuses, json.summary));
    if (html !== undefined && !flags.json) io.stdout(`Wrote ${path.relative(io.cwd, html) || html}.\n`);
    return statusExitCode(json);
  }

  const gh = flags.pr ? (await execa('gh', ['--version'], { reject: false, stdin: 'ignore' })).exitCode === 0 : false;
  const options = {
    branch: flags.branch!,
    allowConflicts: flags.allowConflicts === true,
    push: flags.noPush !== true,
    pr: flags.pr === true,
    bases,
    cwd: io.cwd,
    trustTemplates,
    gh,
  };
  const run = (status: (typeof statuses)[number]) => {
    if (status.updateAvailable === true) io.progress(`updating ${status.source}`);
    return updateRepo(status, options);
  };
  // The canaries are the first N repositories with an update to make, in the order given; the rest
  // wait until every canary updated cleanly, no factor that passed before fails after, and (for the
  // repositories the operator trusts to run their code here) the canary's build passed.
  const due = statuses.filter((status) => status.updateAvailable === true && status.error === null);
  const canaries = canary === undefined ? [] : due.slice(0, canary);
  const trusted = (status: (typeof statuses)[number]) => {
    const repo = repos.find((entry) => entry.source === status.source);
    return repo !== undefined && isTrustedRepo(repo, trustRepos, io.cwd);
  };
  const first = await mapPool(canaries, concurrency, (status) => {
    if (status.updateAvailable === true) io.progress(`updating ${status.source} (canary)`);
    return updateRepo(status, { ...options, build: trusted(status) });
  });
  const stopped = first.some(
    (row) => row.outcome === 'failed' || row.outcome === 'conflicts' || (row.regressed?.length ?? 0) > 0,
  );
  // Once stopped, the repositories with nothing to do (current, not ours, broken) are still reported.
  const rest = statuses.filter((status) => !canaries.includes(status));
  const held = stopped ? rest.filter((status) => due.includes(status)) : [];
  const others: RepoUpdate[] = await mapPool(
    rest.filter((status) => !held.includes(status)),
    concurrency,
    run,
  );
  const bySource = new Map([...first, ...others].map((row) => [row.source, row]));
  const rows = statuses
    .map((status) => bySource.get(status.source))
    .filter((row): row is RepoUpdate => row !== undefined);
  const notRun = held.map((status) => status.source);
  io.stdout(updateTable(rows, notRun));
  const unbuilt = canaries.filter((status) => !trusted(status)).map((status) => status.source);
  if (unbuilt.length > 0)
    io.stdout(
      `Builds were not verified for ${unbuilt.join(', ')}: building runs a repository's own code, so fleet builds a canary (lockfile install, then npm run build) only from a repository you trust; pass --trust-repo <URL or path prefix> (or list it under "trustRepos" in --config) to build the canaries before the rollout goes on.\n`,
    );
  if (stopped)
    io.stdout(
      `The canary stopped the rollout: ${first
        .filter((row) => row.outcome !== 'updated' || row.regressed?.length)
        .map((row) => `${row.source} (${row.reason ?? `now failing ${row.regressed?.join(', ')}`})`)
        .join('; ')}.\n`,
    );
  const bad = rows.some((row) => row.outcome === 'failed' || row.outcome === 'conflicts');
  return bad || stopped ? 1 : 0;
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UserError(`${name} needs a whole number of 1 or more, got "${value}".`, 2);
  return Number(value);
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The page appears whole or not at all: a reader (or a CI upload) never sees half of it. */
function writeAtomically(file: string, contents: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
}
