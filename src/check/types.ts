import type { RuleId } from './rule-catalog.ts';

/**
 * The report `check` produces: the twelve factors in the checklist's order, each with a status and the
 * findings behind it. The JSON output is exactly `Report` (documented in the README).
 */

export const FACTORS = [
  { id: 'codebase', number: 1, title: 'Codebase' },
  { id: 'dependencies', number: 2, title: 'Dependencies' },
  { id: 'config', number: 3, title: 'Config' },
  { id: 'backing-services', number: 4, title: 'Backing services' },
  { id: 'build-release-run', number: 5, title: 'Build, release, run' },
  { id: 'processes', number: 6, title: 'Processes' },
  { id: 'port-binding', number: 7, title: 'Port binding' },
  { id: 'concurrency', number: 8, title: 'Concurrency' },
  { id: 'disposability', number: 9, title: 'Disposability' },
  { id: 'dev-prod-parity', number: 10, title: 'Dev/prod parity' },
  { id: 'logs', number: 11, title: 'Logs' },
  { id: 'admin-processes', number: 12, title: 'Admin processes' },
] as const;

export type FactorId = (typeof FACTORS)[number]['id'];
export type Status = 'pass' | 'warn' | 'fail';

/**
 * What a rule found. `fail` is a clear breach of the checklist, `warn` a heuristic that may be wrong (or
 * a factor that cannot be judged statically), `note` a measurement or remark that changes no status.
 * The factor is the first part of the rule id (`dependencies/exact-versions` → dependencies).
 */
export interface Finding {
  rule: RuleId;
  severity: 'fail' | 'warn' | 'note';
  message: string;
  /** Relative to the checked directory, with `/` separators. */
  file?: string;
  /** 1-based. */
  line?: number;
  hint?: string;
  /** The full list behind a summarised finding (every ranged dependency), for --json. */
  items?: string[];
}

/** A finding in the report: its rule id, and whether a waiver in twelve-factor.json covers it. */
export interface ReportFinding {
  ruleId: RuleId;
  severity: Finding['severity'];
  message: string;
  file?: string;
  line?: number;
  hint?: string;
  items?: string[];
  /** Set when a waiver covers it: still reported, but it changes no status and no exit code. */
  waived?: true;
  /** The waiver's reason. */
  reason?: string;
}

export interface FactorReport {
  id: FactorId;
  number: number;
  title: string;
  status: Status;
  findings: ReportFinding[];
}

/** The report every format renders; `--json` prints exactly this (documented in the README). */
export interface Report {
  factors: FactorReport[];
  summary: Record<Status, number>;
}

export function factorOf(rule: RuleId): FactorId {
  return rule.slice(0, rule.indexOf('/')) as FactorId;
}

export function isFactorId(value: string): value is FactorId {
  return FACTORS.some((factor) => factor.id === value);
}

/** Findings → the report: worst unwaived severity per factor, findings in a stable order (failures first). */
export function buildReport(
  findings: readonly Finding[],
  only?: readonly FactorId[],
  waive: (finding: Finding) => string | undefined = () => undefined,
): Report {
  const rank = { fail: 0, warn: 1, note: 2 } as const;
  const factors = FACTORS.filter((factor) => !only || only.includes(factor.id)).map((factor): FactorReport => {
    const own = findings
      .filter((finding) => factorOf(finding.rule) === factor.id)
      .sort((a, b) => rank[a.severity] - rank[b.severity]);
    const reported = own.map(({ rule, severity, message, file, line, hint, items }): ReportFinding => {
      const reason = waive({ rule, severity, message, ...(file === undefined ? {} : { file }) });
      return {
        ruleId: rule,
        severity,
        message,
        ...(file === undefined ? {} : { file }),
        ...(line === undefined ? {} : { line }),
        ...(hint === undefined ? {} : { hint }),
        ...(items === undefined ? {} : { items }),
        ...(reason === undefined ? {} : { waived: true as const, reason }),
      };
    });
    const counted = reported.filter((finding) => !finding.waived);
    const status: Status = counted.some((f) => f.severity === 'fail')
      ? 'fail'
      : counted.some((f) => f.severity === 'warn')
        ? 'warn'
        : 'pass';
    return { id: factor.id, number: factor.number, title: factor.title, status, findings: reported };
  });
  const summary = { pass: 0, warn: 0, fail: 0 };
  for (const factor of factors) summary[factor.status] += 1;
  return { factors, summary };
}

/** One finding per fact found in the source, located at the fact's file and line. */
export function atEach<T extends { file: string; line: number }>(
  items: readonly T[],
  rule: RuleId,
  describe: (item: T) => Pick<Finding, 'severity' | 'message' | 'hint'>,
): Finding[] {
  return items.map((item) => ({ rule, ...describe(item), file: item.file, line: item.line }));
}
