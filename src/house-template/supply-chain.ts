import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.ts';
import type { AppModel } from '../model/types.ts';

/**
 * The supply-chain settings every app keeps, whatever a house template's files say: a house template may
 * add to them (another ecosystem, a longer cooldown, more steps) and may not remove them. Checked on the
 * finished file set, after the house template's files are laid over ours, so an override is judged by
 * what it leaves in the app. The first problem is refused in one sentence naming the file; since it runs
 * before anything is written, nothing is.
 */
export function assertSupplyChainKept(files: ReadonlyMap<string, string | Buffer>, model: AppModel): void {
  const house = model.house?.name ?? 'house template';
  const problem = supplyChainProblem(files, model);
  if (problem)
    throw new UserError(
      `The house template ${house} ${problem}: a house template may add to the supply-chain settings, never remove them.`,
    );
}

/** What a file set lacks of the pins, cooldowns and checks every app has; undefined when nothing. */
export function supplyChainProblem(files: ReadonlyMap<string, string | Buffer>, model: AppModel): string | undefined {
  const text = (file: string) => (files.has(file) ? String(files.get(file)) : undefined);
  const days = model.releaseCooldownDays;

  const age = /^\s*min-release-age\s*=\s*(\d+)\s*$/m.exec(text('.npmrc') ?? '');
  if (!age || Number(age[1]) < days) return `drops npm's min-release-age=${days} (or more) from .npmrc`;

  const updates = list(field(yamlOf(text('.github/dependabot.yml')), 'updates'));
  for (const ecosystem of ['npm', 'docker', 'github-actions']) {
    const update = updates.find((entry) => field(entry, 'package-ecosystem') === ecosystem);
    if (!update) return `drops Dependabot's ${ecosystem} updates from .github/dependabot.yml`;
    if (!(Number(field(field(update, 'cooldown'), 'default-days')) >= days))
      return `drops the ${days}-day cooldown of Dependabot's ${ecosystem} updates from .github/dependabot.yml`;
    const groups = field(update, 'groups');
    if (!groups || typeof groups !== 'object' || Object.keys(groups).length === 0)
      return `drops the grouping of Dependabot's ${ecosystem} updates from .github/dependabot.yml`;
  }

  const audit = model.packageManager.auditSignatures;
  if (audit) {
    const runs = workflowRuns(yamlOf(text('.github/workflows/ci.yml')));
    const install = runs.findIndex((run) => run.includes(model.packageManager.ci));
    if (install < 0 || !runs.slice(install + 1).some((run) => run.includes(audit)))
      return `drops \`${model.packageManager.ci}\` followed by \`${audit}\` from .github/workflows/ci.yml`;
  }

  for (const [file, contents] of files) {
    if (!/^\.github\/workflows\/[^/]+\.ya?ml$/.test(file)) continue;
    for (const [, uses] of String(contents).matchAll(/^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#]+)/gm)) {
      if (uses!.startsWith('./') || /^docker:\/\/.+@sha256:[0-9a-f]{64}$/.test(uses!)) continue;
      if (!/@[0-9a-f]{40}$/.test(uses!)) return `uses ${uses} in ${file}, not pinned by a full commit SHA`;
    }
  }

  const dockerfile = text('Dockerfile');
  if (dockerfile) {
    const stages = new Set<string>();
    for (const [, image, stage] of dockerfile.matchAll(/^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/gim)) {
      if (!stages.has(image!.toLowerCase()) && !/@sha256:[0-9a-f]{64}$/.test(image!))
        return `has FROM ${image} in the Dockerfile, not pinned by digest`;
      if (stage) stages.add(stage.toLowerCase());
    }
  }
  return undefined;
}

function yamlOf(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return parseYaml(text);
  } catch {
    return undefined;
  }
}

/** A property of a parsed YAML value that may be anything. */
function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The `run:` scripts of every job's steps, in order. */
function workflowRuns(workflow: unknown): string[] {
  const jobs = field(workflow, 'jobs');
  return Object.values(jobs !== null && typeof jobs === 'object' ? jobs : {}).flatMap((job) =>
    list(field(job, 'steps')).map((step) => {
      const run = field(step, 'run');
      return typeof run === 'string' ? run : '';
    }),
  );
}
