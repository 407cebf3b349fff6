import type { Report, ReportFinding } from '../types.ts';

/**
 * JUnit XML for GitLab and Jenkins: one `testsuite`, one `testcase` per factor, a `failure` for each
 * failing factor listing its findings (warnings go to `system-out`, so they are visible but pass).
 * Hand-written: four elements and XML escaping do not need an XML library.
 */
export function renderJunit(report: Report): string {
  const failures = report.factors.filter((factor) => factor.status === 'fail').length;
  const line = (finding: ReportFinding) =>
    `[${finding.severity}${finding.waived ? `, waived: ${finding.reason}` : ''}] ${finding.ruleId}: ${finding.message}${finding.file ? ` (${finding.file}${finding.line ? `:${finding.line}` : ''})` : ''}${finding.hint ? `\n  -> ${finding.hint}` : ''}`;
  const cases = report.factors.map((factor) => {
    const open = `    <testcase classname="twelve-factor" name="${escapeXml(`${factor.number}. ${factor.title}`)}" time="0">`;
    const failing = factor.findings.filter((finding) => finding.severity === 'fail' && !finding.waived);
    const others = factor.findings.filter((finding) => !failing.includes(finding));
    const body = [
      ...(factor.status === 'fail'
        ? [
            `      <failure message="${escapeXml(`${failing.length} failing finding${failing.length === 1 ? '' : 's'}: ${failing[0]?.message ?? ''}`)}" type="${escapeXml(failing[0]?.ruleId ?? factor.id)}">${escapeXml(failing.map(line).join('\n'))}</failure>`,
          ]
        : []),
      ...(others.length > 0 ? [`      <system-out>${escapeXml(others.map(line).join('\n'))}</system-out>`] : []),
    ];
    return body.length === 0 ? `${open.slice(0, -1)} />` : [open, ...body, '    </testcase>'].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="create-twelve-app check" tests="${report.factors.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="twelve-factor" tests="${report.factors.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the five markup characters are escaped.
  return text
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
