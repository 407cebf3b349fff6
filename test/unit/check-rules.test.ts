import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkApp } from '../../src/check/check.ts';
import { FACTORS } from '../../src/check/types.ts';
import { fixtureNames, fixtureSpec, layOut } from '../support/check-fixtures.ts';

test('the compliant base fixture passes every factor with no finding', async () => {
  const report = await checkApp({ directory: layOut(undefined) });
  for (const factor of report.factors) assert.equal([factor.id, factor.findings], [factor.id, []]);
  assert.equal(report.summary, { pass: 12, warn: 0, fail: 0 });
});

// Each fixture breaks exactly one rule: its factor has the expected status and a finding that says
// what and where; every other factor still passes.
for (const name of fixtureNames()) {
  test(`fixture ${name}`, async () => {
    const spec = fixtureSpec(name);
    const report = await checkApp({ directory: layOut(name) });
    const factor = report.factors.find((candidate) => candidate.id === spec.factor);
    assert.ok(factor, `no factor ${spec.factor}`);
    const others = report.factors.filter((other) => other.id !== spec.factor && other.status !== 'pass');
    assert.equal(
      others.map((other) => [other.id, other.findings]),
      [],
      'other factors must pass',
    );
    assert.is(factor.status, spec.status, JSON.stringify(factor.findings));
    if (spec.status === 'pass')
      assert.equal(
        factor.findings.filter((candidate) => candidate.severity !== 'note'),
        [],
      );
    if (spec.message === undefined) return;
    const finding = factor.findings.find((candidate) => new RegExp(spec.message!).test(candidate.message));
    assert.ok(finding, `no finding matching /${spec.message}/ in ${JSON.stringify(factor.findings)}`);
    if (spec.file !== undefined) assert.is(finding.file, spec.file);
    if (spec.line !== undefined) assert.is(finding.line, spec.line);
    assert.ok(finding.hint, 'every finding says what to do');
  });
}

test('--only reports the chosen factors, in the checklist order', async () => {
  const report = await checkApp({ directory: layOut('no-sigterm'), only: ['logs', 'disposability'] });
  assert.equal(
    report.factors.map((factor) => factor.id),
    ['disposability', 'logs'],
  );
  assert.equal(report.summary, { pass: 1, warn: 0, fail: 1 });
});

test('factors are numbered 1–12 in the checklist order', () => {
  assert.equal(
    FACTORS.map((factor) => factor.number),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  );
});

test.run();
