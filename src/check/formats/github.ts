import type { Report } from '../types.ts';

const COMMAND = { fail: 'error', warn: 'warning', note: 'notice' } as const;

/**
 * GitHub Actions workflow commands: `::error file=…,line=…,title=…::message`, so each finding shows on
 * the pull request's diff. Waived findings are notices. Escaping follows the runner's rules: `%`, CR and
 * LF in the message; also `:` and `,` in properties.
 */
export function renderGithub(report: Report): string {
  const lines: string[] = [];
  for (const factor of report.factors) {
    for (const finding of factor.findings) {
      const properties = [
        ...(finding.file ? [`file=${property(finding.file)}`] : []),
        ...(finding.file && finding.line ? [`line=${finding.line}`] : []),
        `title=${property(`${finding.ruleId}${finding.waived ? ' (waived)' : ''}`)}`,
      ];
      const text = `${finding.message}${finding.hint ? ` ${finding.hint}` : ''}${finding.waived ? ` Waived: ${finding.reason ?? ''}` : ''}`;
      lines.push(`::${finding.waived ? 'notice' : COMMAND[finding.severity]} ${properties.join(',')}::${data(text)}`);
    }
  }
  const { pass, warn, fail } = report.summary;
  lines.push(`${pass} pass, ${warn} warn, ${fail} fail`, '');
  return lines.join('\n');
}

function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
