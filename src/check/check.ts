import { loadRepo } from './repo.ts';
import { buildReport, type FactorId, type Finding, type Report } from './types.ts';
import { readWaivers, waiverFor } from './waivers.ts';

export interface CheckOptions {
  directory: string;
  only?: FactorId[];
  /** Build and start the app's web process too (`--run`). */
  run?: boolean;
  /** The environment the app is started with under `--run`. */
  env?: NodeJS.ProcessEnv;
}

/** Reads the app once, runs every static rule (and the dynamic checks with `run`), applies the waivers. */
export async function checkApp(options: CheckOptions): Promise<Report> {
  // git lists the files while the parsers and rules load (yaml, dockerfile-ast, semver, oxc-parser: a
  // few hundred modules): the two overlap instead of adding up. The handler is attached at once, so a
  // bad directory is still one UserError below, never an unhandled rejection.
  const loading = loadRepo(options.directory);
  loading.catch(() => {});
  const [{ buildContext }, { RULES }] = await Promise.all([import('./context.ts'), import('./rules/index.ts')]);
  const repo = await loading;
  // Validated before any rule runs: a malformed waiver file stops the check with one line.
  const waivers = await readWaivers(repo.dir);
  const ctx = await buildContext(repo);
  const findings: Finding[] = RULES.flatMap((rule) => rule(ctx));
  if (options.run) {
    const { runChecks } = await import('./run.ts');
    findings.push(...(await runChecks(ctx, options.env ?? process.env)));
  }
  return buildReport(findings, options.only, waiverFor(waivers));
}
