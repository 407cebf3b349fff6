import { styleText } from 'node:util';
import { RULE_CATALOG, type RuleId } from './rule-catalog.ts';
import type { Report, Status } from './types.ts';

/** `--format json`: the report as one document (its shape is documented in the README). */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * A compact table of the factors, then the findings grouped by factor. Colour only when `color` is set
 * (the CLI sets it for a terminal that has colours, which also honours NO_COLOR).
 */
export function renderHuman(report: Report, directory: string, color: boolean): string {
  const paint = (format: Parameters<typeof styleText>[0], text: string) =>
    color ? styleText(format, text, { validateStream: false }) : text;
  const STATUS_COLOR: Record<Status, 'green' | 'yellow' | 'red'> = { pass: 'green', warn: 'yellow', fail: 'red' };
  const status = (value: Status) => paint(STATUS_COLOR[value], value.padEnd(4));
  const width = Math.max(...report.factors.map((factor) => factor.title.length));
  const lines = [paint('bold', `Twelve-factor check of ${directory}`), ''];
  for (const factor of report.factors) {
    const count = factor.findings.filter((finding) => finding.severity !== 'note' && !finding.waived).length;
    lines.push(
      `  ${String(factor.number).padStart(2)}  ${factor.title.padEnd(width)}  ${status(factor.status)}${count > 0 ? paint('dim', `  ${count} finding${count === 1 ? '' : 's'}`) : ''}`,
    );
  }
  const MARK = { fail: paint('red', '✖'), warn: paint('yellow', '!'), note: paint('dim', '·') } as const;
  for (const factor of report.factors) {
    if (factor.findings.length === 0) continue;
    lines.push('', `${paint('bold', `${factor.number}. ${factor.title}`)} ${status(factor.status).trimEnd()}`);
    for (const finding of factor.findings) {
      const where = finding.file ? paint('dim', ` (${finding.file}${finding.line ? `:${finding.line}` : ''})`) : '';
      const mark = finding.waived ? paint('dim', '~') : MARK[finding.severity];
      lines.push(`  ${mark} ${finding.message}${where} ${paint('dim', `[${finding.ruleId}]`)}`);
      if (finding.waived) lines.push(`    ${paint('dim', `waived: ${finding.reason ?? ''}`)}`);
      else if (finding.hint) lines.push(`    ${paint('dim', `→ ${finding.hint}`)}`);
    }
  }
  const { pass, warn, fail } = report.summary;
  const waived = report.factors.reduce(
    (sum, factor) => sum + factor.findings.filter((finding) => finding.waived).length,
    0,
  );
  lines.push(
    '',
    `${paint('green', `${pass} pass`)}, ${paint('yellow', `${warn} warn`)}, ${paint('red', `${fail} fail`)}${waived > 0 ? paint('dim', ` (${waived} waived)`) : ''}`,
    '',
  );
  return lines.join('\n');
}

/** `check --rules`: every rule id with its description and how to fix it. */
export function renderRules(): string {
  const lines: string[] = [];
  for (const [id, rule] of Object.entries(RULE_CATALOG) as Array<[RuleId, { description: string; help: string }]>) {
    lines.push(id, `  ${rule.description}`, `  → ${rule.help}`, '');
  }
  return lines.join('\n');
}
