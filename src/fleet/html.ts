import semver from 'semver';
import { FACTORS, type Status } from '../check/types.ts';
import type { FleetStatusJson, RepoStatus } from './status.ts';

/**
 * `fleet status --html`: one self-contained page (inline CSS and SVG, no script, no external asset), so
 * it can be mailed, attached to a CI run or opened offline. Written by hand rather than with a chart
 * library: three simple figures, and a library would have to be inlined into the page anyway.
 */
export function renderHtml(
  entries: readonly RepoStatus[],
  summary: FleetStatusJson['summary'],
  generatedAt: Date,
  version: string,
): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fleet status: ${summary.repos} repositories</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #1b1f24; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.meta { color: #57606a; }
table { border-collapse: collapse; } th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
th { background: #f6f8fa; }
.yes { color: #9a6700; font-weight: 600; } .no { color: #1a7f37; } .err { color: #cf222e; }
.grid td.cell { width: 1.6rem; height: 1.3rem; padding: 0; border: 2px solid #fff; text-align: center; font-size: 11px; }
.pass { background: #2da44e; color: #fff; } .warn { background: #d4a72c; } .fail { background: #cf222e; color: #fff; } .none { background: #eaeef2; }
.legend span { display: inline-block; padding: 0 .5rem; margin-right: .5rem; }
</style>
</head>
<body>
<h1>Fleet status</h1>
<p class="meta">${summary.repos} repositories, ${summary.apps} apps: ${summary.upToDate} up to date, ${summary.updateAvailable} with an update available, ${summary.failingCheck} failing check, ${summary.errors} with errors. Generated ${escapeHtml(generatedAt.toISOString())} by create-twelve-app ${escapeHtml(version)}.</p>
<h2>Adoption by version</h2>
${adoptionChart(entries, version)}
<h2>Drift</h2>
${driftTable(entries)}
<h2>Factors</h2>
${factorGrid(entries)}
</body>
</html>
`;
}

/** Apps per recorded generatorVersion, newest first, as horizontal bars; the current version highlighted. */
export function adoptionChart(entries: readonly RepoStatus[], current: string): string {
  const counts = new Map<string, number>();
  for (const entry of entries)
    if (entry.generatorVersion) counts.set(entry.generatorVersion, (counts.get(entry.generatorVersion) ?? 0) + 1);
  if (counts.size === 0) return '<p>No apps of ours were found.</p>';
  // Newest first; a version that is not semver (a hand-edited record) sorts last, by name.
  const bars = [...counts].sort(([a], [b]) =>
    semver.valid(a) && semver.valid(b)
      ? semver.rcompare(a, b)
      : semver.valid(a)
        ? -1
        : semver.valid(b)
          ? 1
          : a.localeCompare(b),
  );
  const max = Math.max(...counts.values());
  const rowHeight = 28;
  const labelWidth = 180;
  const barWidth = 360;
  const height = bars.length * rowHeight + 10;
  const rows = bars.map(([version, count], index) => {
    const y = index * rowHeight + 5;
    const width = Math.max(2, Math.round((count / max) * barWidth));
    const fill = version === current ? '#2da44e' : '#d4a72c';
    return [
      `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end" font-size="13">${escapeHtml(version)}${version === current ? ' (current)' : ''}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${width}" height="${rowHeight - 8}" fill="${fill}"><title>${escapeHtml(version)}: ${count} app(s)</title></rect>`,
      `<text x="${labelWidth + width + 6}" y="${y + 17}" font-size="13">${count}</text>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Apps by create-twelve-app version" width="${labelWidth + barWidth + 60}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}" font-family="system-ui, sans-serif">${rows.join('')}</svg>`;
}

function driftTable(entries: readonly RepoStatus[]): string {
  const rows = entries.map((entry) => {
    const update =
      entry.updateAvailable === null
        ? '<td>-</td>'
        : entry.updateAvailable
          ? `<td class="yes">${escapeHtml(entry.target ?? 'yes')}</td>`
          : '<td class="no">current</td>';
    const check = entry.check ? `${entry.check.pass} pass, ${entry.check.warn} warn, ${entry.check.fail} fail` : '-';
    return `<tr><td>${escapeHtml(entry.source)}</td><td>${escapeHtml(entry.app ?? '-')}</td><td>${escapeHtml(entry.kind ?? '-')}${entry.capabilities.length ? ` (${escapeHtml(entry.capabilities.join(', '))})` : ''}</td><td>${escapeHtml(entry.generatorVersion ?? '-')}</td><td>${escapeHtml(entry.template ?? '-')}</td>${update}<td>${check}</td><td class="err">${escapeHtml(entry.error ?? '')}</td></tr>`;
  });
  return `<table class="drift"><thead><tr><th>Repository</th><th>App</th><th>Kind</th><th>Version</th><th>House template</th><th>Update</th><th>Check</th><th>Error</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function factorGrid(entries: readonly RepoStatus[]): string {
  const header = FACTORS.map((factor) => `<th title="${escapeHtml(factor.title)}">${factor.number}</th>`).join('');
  const rows = entries.map((entry) => {
    const byId = new Map(entry.factors.map((factor) => [factor.id, factor.status]));
    const cells = FACTORS.map((factor) => {
      const status: Status | undefined = byId.get(factor.id);
      return `<td class="cell ${status ?? 'none'}" title="${escapeHtml(`${factor.number}. ${factor.title}: ${status ?? 'not checked'}`)}">${status ? status[0] : ''}</td>`;
    }).join('');
    return `<tr><td>${escapeHtml(entry.app ?? entry.source)}</td>${cells}</tr>`;
  });
  const legend =
    '<p class="legend"><span class="pass">p pass</span><span class="warn">w warn</span><span class="fail">f fail</span><span class="none">not checked</span></p>';
  return `<table class="grid"><thead><tr><th>App</th>${header}</tr></thead><tbody>${rows.join('')}</tbody></table>${legend}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
