import type { CheckContext } from '../context.ts';
import { PARSE_LIMIT } from '../large-files.ts';
import type { Finding } from '../types.ts';
import { dependencyLine } from './dependencies.ts';

/** 1. One codebase in version control; no code taken from another app's folder. */
export function codebase({ repo, facts }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  if (repo.tracked === undefined) {
    findings.push({
      rule: 'codebase/version-control',
      severity: 'fail',
      message: 'The app is not in a git repository, so no release can be traced to a commit.',
      hint: 'Run `git init` and commit the app; every deploy is then a commit of one codebase.',
    });
  } else if (repo.tracked.size === 0) {
    findings.push({
      rule: 'codebase/version-control',
      severity: 'warn',
      message: 'git tracks no file of the app yet.',
      hint: 'Commit it: `git add -A && git commit`.',
    });
  }
  const text = repo.read('package.json');
  for (const [name, spec] of Object.entries({
    ...repo.packageJson.dependencies,
    ...repo.packageJson.devDependencies,
  })) {
    if (/^(?:file|link):\.\.\//.test(spec)) {
      findings.push({
        rule: 'codebase/shared-code',
        severity: 'warn',
        message: `${name} comes from ${spec}, a folder outside this app: code shared between apps this way couples their releases.`,
        file: 'package.json',
        ...dependencyLine(text, name),
        hint: 'Publish the shared code as a versioned package (or use workspaces of one repository) and depend on a version.',
      });
    }
  }
  const list = (files: readonly string[]) => `${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}`;
  if (facts.unparsed.length > 0) {
    findings.push({
      rule: 'codebase/unread-files',
      severity: 'note',
      message: `${facts.unparsed.length} source file${facts.unparsed.length === 1 ? ' was' : 's were'} too large to parse (over ${PARSE_LIMIT / 1024} KiB: bundles, generated code) and only searched for credentials: ${list(facts.unparsed)}.`,
      items: [...facts.unparsed],
    });
  }
  const { outside, special } = repo.skipped;
  if (outside.length + special.length > 0) {
    findings.push({
      rule: 'codebase/unread-files',
      severity: 'note',
      message: `${outside.length + special.length} tracked path${outside.length + special.length === 1 ? ' was' : 's were'} not read: ${[
        ...(outside.length > 0
          ? [`${outside.length} link${outside.length === 1 ? '' : 's'} out of the repository (${list(outside)})`]
          : []),
        ...(special.length > 0
          ? [`${special.length} not a regular file (a device, a FIFO, a link to a directory: ${list(special)})`]
          : []),
      ].join('; ')}.`,
      items: [...outside, ...special],
    });
  }
  return findings;
}
