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
 */
export interface Finding {
  factor: FactorId;
  severity: 'fail' | 'warn' | 'note';
  message: string;
  /** Relative to the checked directory, with `/` separators. */
  file?: string;
  /** 1-based. */
  line?: number;
  hint?: string;
}

export interface ReportFinding {
  message: string;
  file?: string;
  line?: number;
  hint?: string;
}

export interface FactorReport<F extends ReportFinding = ReportFinding & { severity: Finding['severity'] }> {
  id: FactorId;
  number: number;
  title: string;
  status: Status;
  findings: F[];
}

/** What the human renderer reads; `JsonReport` is the documented `--json` shape (no severities). */
export interface Report {
  factors: FactorReport[];
  summary: Record<Status, number>;
}

export interface JsonReport {
  factors: Array<FactorReport<ReportFinding>>;
  summary: Record<Status, number>;
}

export function isFactorId(value: string): value is FactorId {
  return FACTORS.some((factor) => factor.id === value);
}

/** Findings → the report: worst severity per factor, findings in a stable order (failures first). */
export function buildReport(findings: readonly Finding[], only?: readonly FactorId[]): Report {
  const rank = { fail: 0, warn: 1, note: 2 } as const;
  const factors = FACTORS.filter((factor) => !only || only.includes(factor.id)).map((factor): FactorReport => {
    const own = findings.filter((finding) => finding.factor === factor.id).sort((a, b) => rank[a.severity] - rank[b.severity]);
    const status: Status = own.some((f) => f.severity === 'fail') ? 'fail' : own.some((f) => f.severity === 'warn') ? 'warn' : 'pass';
    return {
      id: factor.id,
      number: factor.number,
      title: factor.title,
      status,
      findings: own.map(({ severity, message, file, line, hint }) => ({
        severity,
        message,
        ...(file === undefined ? {} : { file }),
        ...(line === undefined ? {} : { line }),
        ...(hint === undefined ? {} : { hint }),
      })),
    };
  });
  const summary = { pass: 0, warn: 0, fail: 0 };
  for (const factor of factors) summary[factor.status] += 1;
  return { factors, summary };
}

export function jsonReport(report: Report): JsonReport {
  return {
    factors: report.factors.map((factor) => ({ ...factor, findings: factor.findings.map(({ severity: _, ...finding }) => finding) })),
    summary: report.summary,
  };
}

/** One finding per fact found in the source, located at the fact's file and line. */
export function atEach<T extends { file: string; line: number }>(
  items: readonly T[],
  factor: FactorId,
  describe: (item: T) => Pick<Finding, 'severity' | 'message' | 'hint'>,
): Finding[] {
  return items.map((item) => ({ factor, ...describe(item), file: item.file, line: item.line }));
}
