import type { CheckContext } from '../context.ts';
import { lineOf } from '../repo.ts';
import type { Finding } from '../types.ts';

/** 1. One codebase in version control; no code taken from another app's folder. */
export function codebase({ repo }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  if (repo.tracked === undefined) {
    findings.push({
      factor: 'codebase',
      severity: 'fail',
      message: 'The app is not in a git repository, so no release can be traced to a commit.',
      hint: 'Run `git init` and commit the app; every deploy is then a commit of one codebase.',
    });
  } else if (repo.tracked.size === 0) {
    findings.push({ factor: 'codebase', severity: 'warn', message: 'git tracks no file of the app yet.', hint: 'Commit it: `git add -A && git commit`.' });
  }
  const text = repo.read('package.json');
  for (const [name, spec] of Object.entries({ ...repo.packageJson.dependencies, ...repo.packageJson.devDependencies })) {
    if (/^(?:file|link):\.\.\//.test(spec)) {
      findings.push({
        factor: 'codebase',
        severity: 'warn',
        message: `${name} comes from ${spec}, a folder outside this app: code shared between apps this way couples their releases.`,
        file: 'package.json',
        ...lineFor(text, name),
        hint: 'Publish the shared code as a versioned package (or use workspaces of one repository) and depend on a version.',
      });
    }
  }
  return findings;
}

export function lineFor(text: string | undefined, key: string): { line?: number } {
  const line = lineOf(text, `"${key}"`);
  return line === undefined ? {} : { line };
}
