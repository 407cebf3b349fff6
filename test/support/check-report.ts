import * as assert from 'uvu/assert';
import { isRuleId } from '../../src/check/rule-catalog.ts';
import { FACTORS } from '../../src/check/types.ts';

/**
 * Validates a `--json` document against the shape the README documents, key by key: nothing missing,
 * nothing extra, the twelve ids in order (or the `--only` subset), a summary that adds up.
 */
export function assertReportShape(value: unknown): asserts value is {
  factors: Array<{ id: string; status: string; findings: Array<Record<string, unknown>> }>;
  summary: Record<string, number>;
} {
  assert.type(value, 'object');
  const report = value as Record<string, unknown>;
  assert.equal(Object.keys(report).sort(), ['factors', 'summary']);
  assert.ok(Array.isArray(report.factors), 'factors is an array');
  const factors = report.factors as Array<Record<string, unknown>>;
  const ids = FACTORS.map((factor) => factor.id as string);
  let previous = -1;
  const counts: Record<string, number> = { pass: 0, warn: 0, fail: 0 };
  for (const factor of factors) {
    assert.equal(Object.keys(factor).sort(), ['findings', 'id', 'number', 'status', 'title']);
    const index = ids.indexOf(factor.id as string);
    assert.ok(index > previous, `factor ${String(factor.id)} known and in order`);
    previous = index;
    assert.is(factor.number, index + 1);
    assert.is(factor.title, FACTORS[index]!.title);
    assert.ok(['pass', 'warn', 'fail'].includes(factor.status as string), `status ${String(factor.status)}`);
    counts[factor.status as string]! += 1;
    assert.ok(Array.isArray(factor.findings));
    for (const finding of factor.findings as Array<Record<string, unknown>>) {
      assert.type(finding.message, 'string');
      for (const key of Object.keys(finding))
        assert.ok(
          ['ruleId', 'severity', 'message', 'file', 'line', 'hint', 'items', 'waived', 'reason'].includes(key),
          `unexpected finding key ${key}`,
        );
      assert.ok(
        isRuleId(String(finding.ruleId)) && String(finding.ruleId).startsWith(`${String(factor.id)}/`),
        `rule id ${String(finding.ruleId)} of ${String(factor.id)}`,
      );
      assert.ok(['fail', 'warn', 'note'].includes(finding.severity as string), `severity ${String(finding.severity)}`);
      if ('waived' in finding)
        assert.ok(finding.waived === true && typeof finding.reason === 'string', 'a waived finding has its reason');
      if ('file' in finding) assert.type(finding.file, 'string');
      if ('line' in finding)
        assert.ok(Number.isInteger(finding.line) && (finding.line as number) >= 1, 'line is a positive integer');
      if ('hint' in finding) assert.type(finding.hint, 'string');
    }
    if (factor.status !== 'pass') assert.ok((factor.findings as unknown[]).length > 0, 'a warn or fail says why');
  }
  assert.equal(report.summary, counts);
}
