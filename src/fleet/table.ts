import type { FleetStatusJson, RepoStatus } from './status.ts';
import type { RepoUpdate } from './update-repo.ts';

/** Plain aligned columns (no box drawing), readable in a CI log and easy to grep. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function statusTable(entries: readonly RepoStatus[], summary: FleetStatusJson['summary']): string {
  const rows = entries.map((entry) => [
    entry.source,
    entry.app ?? '-',
    entry.kind ? `${entry.kind}${entry.capabilities.length ? ` (${entry.capabilities.join(', ')})` : ''}` : '-',
    entry.generatorVersion ?? '-',
    entry.template ?? '-',
    entry.updateAvailable === null ? '-' : entry.updateAvailable ? `yes: ${entry.target ?? ''}` : 'current',
    entry.check
      ? `${entry.check.pass} pass, ${entry.check.warn} warn, ${entry.check.fail} fail${entry.check.failing.length ? ` (${entry.check.failing.join(', ')})` : ''}`
      : '-',
    entry.error ?? '',
  ]);
  const lines = table(['REPOSITORY', 'APP', 'KIND', 'VERSION', 'TEMPLATE', 'UPDATE', 'CHECK', 'ERROR'], rows);
  lines.push(
    '',
    `${summary.repos} repositories, ${summary.apps} apps: ${summary.upToDate} up to date, ${summary.updateAvailable} with an update available, ${summary.failingCheck} failing check, ${summary.errors} with errors.`,
  );
  return `${lines.join('\n')}\n`;
}

const OUTCOME_LABEL: Record<RepoUpdate['outcome'], string> = {
  updated: 'updated',
  'up-to-date': 'up to date',
  conflicts: 'conflicts',
  failed: 'failed',
  skipped: 'skipped',
};

/** The after-run table: updated (with the branch), up to date, conflicts, failed (with why). */
export function updateTable(rows: readonly RepoUpdate[], notRun: readonly string[]): string {
  const lines = table(
    ['REPOSITORY', 'RESULT', 'BRANCH', 'CHANGE', 'CHECK', 'DETAILS'],
    rows.map((row) => [
      row.source,
      OUTCOME_LABEL[row.outcome],
      row.branch ?? '-',
      row.change ?? '-',
      row.check ? `${row.check.pass} pass, ${row.check.warn} warn, ${row.check.fail} fail` : '-',
      [row.reason, row.prUrl ? `pull request: ${row.prUrl}` : undefined].filter(Boolean).join('; '),
    ]),
  );
  const count = (outcome: RepoUpdate['outcome']) => rows.filter((row) => row.outcome === outcome).length;
  lines.push(
    '',
    `${count('updated')} updated, ${count('up-to-date')} up to date, ${count('conflicts')} with conflicts, ${count('failed')} failed, ${count('skipped')} skipped.`,
  );
  if (notRun.length > 0) lines.push(`Not run (the canary stopped the rollout): ${notRun.join(', ')}.`);
  const commands = rows.filter((row) => row.prCommand);
  if (commands.length > 0)
    lines.push(
      '',
      'Open the pull requests with:',
      ...commands.map((row) => `  (cd ${row.dir ?? row.source} && ${row.prCommand})`),
    );
  return `${lines.join('\n')}\n`;
}
