/**
 * `check`'s machine formats, rule ids and waivers: SARIF validated against the SARIF 2.1.0 JSON schema,
 * JUnit XML parsed, GitHub workflow commands matched; waivers applied and every refusal one line.
 */
import fs from 'node:fs';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkApp } from '../../src/check/check.ts';
import { parseFormat, runCheckCommand } from '../../src/check/command.ts';
import { renderGithub } from '../../src/check/formats/github.ts';
import { renderJunit } from '../../src/check/formats/junit.ts';
import { renderSarif } from '../../src/check/formats/sarif.ts';
import { renderRules } from '../../src/check/report.ts';
import { RULE_CATALOG } from '../../src/check/rule-catalog.ts';
import { UserError } from '../../src/errors.ts';
import { layOut } from '../support/check-fixtures.ts';
import { assertReportShape } from '../support/check-report.ts';

const schema: unknown = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, '../support/sarif/sarif-2.1.0-rtm.5.json'), 'utf8'),
);
// The schema's language-tag pattern is not valid with the `u` flag Ajv uses by default.
// CommonJS packages: their `default` export is the class and the plugin, as TypeScript sees them too.
const ajv = new AjvDraft04.default({ strict: false, allErrors: true, unicodeRegExp: false });
ajvFormats.default(ajv);
const validateSarif = ajv.compile(schema as object);

/** An app with a failure (no SIGTERM handler), a warning (a range the lockfile locks) and a waiver file. */
function brokenApp(waivers?: unknown): string {
  const dir = layOut('no-sigterm');
  const edit = (file: string, from: string, to: string) =>
    fs.writeFileSync(path.join(dir, file), fs.readFileSync(path.join(dir, file), 'utf8').replace(from, to));
  edit('package.json', '"pg": "8.23.1"', '"pg": "^8.23.1"');
  edit('package-lock.json', '"pg": "8.23.1"', '"pg": "^8.23.1"');
  if (waivers !== undefined)
    fs.writeFileSync(
      path.join(dir, 'twelve-factor.json'),
      typeof waivers === 'string' ? waivers : JSON.stringify(waivers),
    );
  return dir;
}

function capture(): NodeJS.WriteStream & { text: string } {
  const out = {
    text: '',
    isTTY: false,
    hasColors: () => false,
    write(chunk: string) {
      out.text += chunk;
      return true;
    },
  };
  return out as unknown as NodeJS.WriteStream & { text: string };
}

test('every finding has a rule id from the catalog; check --rules lists them all with description and help', async () => {
  const report = await checkApp({ directory: brokenApp() });
  assertReportShape(JSON.parse(JSON.stringify(report)));
  const ids = report.factors.flatMap((factor) => factor.findings.map((finding) => finding.ruleId));
  assert.ok(ids.includes('disposability/sigterm') && ids.includes('dependencies/exact-versions'), ids.join());
  const listed = renderRules();
  for (const [id, rule] of Object.entries(RULE_CATALOG)) {
    assert.match(id, /^[a-z-]+\/[a-z0-9-]+$/);
    assert.ok(listed.includes(`${id}\n  ${rule.description}\n  → ${rule.help}`), id);
  }
});

test('SARIF: valid against the SARIF 2.1.0 schema; rules described, levels, relative locations', async () => {
  const report = await checkApp({ directory: brokenApp() });
  const log = JSON.parse(renderSarif(report, '1.2.3')) as {
    version: string;
    runs: Array<{
      tool: {
        driver: {
          name: string;
          version: string;
          rules: Array<{ id: string; shortDescription: { text: string }; help: { text: string } }>;
        };
      };
      results: Array<Record<string, any>>;
    }>;
  };
  assert.ok(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2));
  assert.is(log.version, '2.1.0');
  const [run] = log.runs;
  assert.is(run!.tool.driver.version, '1.2.3');
  const used = new Set(run!.results.map((result) => result.ruleId as string));
  assert.equal(run!.tool.driver.rules.map((rule) => rule.id).sort(), [...used].sort());
  for (const rule of run!.tool.driver.rules)
    assert.is(rule.help.text, RULE_CATALOG[rule.id as keyof typeof RULE_CATALOG].help);
  const sigterm = run!.results.find((result) => result.ruleId === 'disposability/sigterm')!;
  assert.is(sigterm.level, 'error');
  assert.equal(sigterm.locations[0].physicalLocation, {
    artifactLocation: { uri: 'src/server.js', uriBaseId: '%SRCROOT%' },
    region: { startLine: 10 },
  });
  assert.is(run!.results.find((result) => result.ruleId === 'dependencies/exact-versions')!.level, 'warning');
  assert.is(run!.tool.driver.rules[sigterm.ruleIndex as number]!.id, 'disposability/sigterm');
});

test('SARIF: a waived finding carries an accepted suppression with the reason, and stays valid', async () => {
  const report = await checkApp({
    directory: brokenApp({
      waive: [{ rule: 'disposability/sigterm', reason: 'The platform drains connections for us.' }],
    }),
  });
  const log = JSON.parse(renderSarif(report, '1.2.3')) as { runs: Array<{ results: Array<Record<string, any>> }> };
  assert.ok(validateSarif(log), JSON.stringify(validateSarif.errors));
  const sigterm = log.runs[0]!.results.find((result) => result.ruleId === 'disposability/sigterm')!;
  assert.equal(sigterm.suppressions, [
    { kind: 'external', status: 'accepted', justification: 'The platform drains connections for us.' },
  ]);
});

test('JUnit: one testsuite, a testcase per factor, a failure listing the findings of each failing factor', async () => {
  const report = await checkApp({ directory: brokenApp() });
  const xml = renderJunit(report);
  assert.is(XMLValidator.validate(xml), true);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
    testsuites: {
      testsuite: {
        tests: string;
        failures: string;
        testcase: Array<{
          name: string;
          failure?: { message: string; type: string; '#text': string };
          'system-out'?: string;
        }>;
      };
    };
  };
  const suite = parsed.testsuites.testsuite;
  assert.ok(!Array.isArray(suite), 'one testsuite');
  assert.is(suite.tests, '12');
  assert.is(suite.failures, '1');
  assert.is(suite.testcase.length, 12);
  const failing = suite.testcase.filter((testcase) => testcase.failure);
  assert.equal(
    failing.map((testcase) => testcase.name),
    ['9. Disposability'],
  );
  assert.is(failing[0]!.failure!.type, 'disposability/sigterm');
  assert.match(
    failing[0]!.failure!['#text'],
    /\[fail\] disposability\/sigterm: Nothing handles SIGTERM.*\(src\/server\.js:10\)/,
  );
  assert.match(String(suite.testcase[1]!['system-out']), /\[warn\] dependencies\/exact-versions/);
});

test('JUnit: text that XML cannot carry is escaped or dropped', () => {
  const xml = renderJunit({
    factors: [
      {
        id: 'config',
        number: 3,
        title: 'Config',
        status: 'fail',
        findings: [
          { ruleId: 'config/env-example', severity: 'fail', message: 'A <b> & "c" \u0000 ]]>', file: 'src/a&b.js' },
        ],
      },
    ],
    summary: { pass: 0, warn: 0, fail: 1 },
  });
  assert.is(XMLValidator.validate(xml), true);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
    testsuites: { testsuite: { testcase: { failure: { '#text': string } } } };
  };
  assert.match(parsed.testsuites.testsuite.testcase.failure['#text'], 'A <b> & "c"  ]]> (src/a&b.js)');
});

test('GitHub: one workflow command per finding, with file, line and the rule id as title', async () => {
  const report = await checkApp({
    directory: brokenApp({
      waive: [{ rule: 'dependencies/exact-versions', path: 'package.json', reason: 'The lockfile pins them.' }],
    }),
  });
  const lines = renderGithub(report).trimEnd().split('\n');
  assert.ok(
    lines.some((line) =>
      /^::error file=src\/server\.js,line=10,title=disposability\/sigterm::Nothing handles SIGTERM/.test(line),
    ),
    lines.join('\n'),
  );
  assert.ok(
    lines.some((line) =>
      /^::notice file=package\.json,line=16,title=dependencies\/exact-versions \(waived\)::1 dependency .* Waived: The lockfile pins them\.$/.test(
        line,
      ),
    ),
    lines.join('\n'),
  );
  assert.is(lines.at(-1), '11 pass, 0 warn, 1 fail');
  const escaped = renderGithub({
    factors: [
      {
        id: 'logs',
        number: 11,
        title: 'Logs',
        status: 'warn',
        findings: [{ ruleId: 'logs/stdout', severity: 'warn', message: '50% done\nnext', file: 'a,b:c.js' }],
      },
    ],
    summary: { pass: 0, warn: 1, fail: 0 },
  });
  assert.match(escaped, '::warning file=a%2Cb%3Ac.js,title=logs/stdout::50%25 done%0Anext\n');
});

test('waivers: a waived finding is still reported with its reason, changes no status and no exit code', async () => {
  const dir = brokenApp({
    waive: [
      { rule: 'disposability/sigterm', path: 'src/**/*.js', reason: 'Drained by the platform.' },
      { rule: 'dependencies/exact-versions', reason: 'Locked by package-lock.json.' },
    ],
  });
  const report = await checkApp({ directory: dir });
  assertReportShape(JSON.parse(JSON.stringify(report)));
  const disposability = report.factors.find((factor) => factor.id === 'disposability')!;
  assert.is(disposability.status, 'pass');
  assert.equal(
    disposability.findings.map((finding) => [finding.ruleId, finding.waived, finding.reason]),
    [['disposability/sigterm', true, 'Drained by the platform.']],
  );
  assert.equal(report.summary, { pass: 12, warn: 0, fail: 0 });
  const out = capture();
  assert.is(await runCheckCommand({ directory: dir }, { cwd: '/', stdout: out, env: {} }), 0);
  assert.match(
    out.text,
    /~ Nothing handles SIGTERM.*\[disposability\/sigterm\]\n {4}waived: Drained by the platform\./,
  );
  assert.match(out.text, /12 pass, 0 warn, 0 fail \(2 waived\)/);
});

test('waivers: a path glob that does not match the finding waives nothing', async () => {
  const report = await checkApp({
    directory: brokenApp({ waive: [{ rule: 'disposability/sigterm', path: 'lib/**', reason: 'Only lib.' }] }),
  });
  assert.is(report.factors.find((factor) => factor.id === 'disposability')!.status, 'fail');
});

test('waivers: no reason, an unknown rule, a malformed file: one line, exit 2', async () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ waive: [{ rule: 'disposability/sigterm' }] }, /^twelve-factor\.json: waive\.0\.reason: a reason is required\.$/],
    [
      { waive: [{ rule: 'disposability/sigterm', reason: '   ' }] },
      /^twelve-factor\.json: waive\.0\.reason: a reason is required\.$/,
    ],
    [
      { waive: [{ rule: 'disposability/no-such-rule', reason: 'x' }] },
      /^twelve-factor\.json: waive\.0\.rule: unknown rule id "disposability\/no-such-rule" \(create-twelve-app check --rules lists them\)\.$/,
    ],
    [
      { waive: [{ rule: 'logs/stdout', reason: 'x', until: 'never' }] },
      /^twelve-factor\.json: waive\.0: Unrecognized key: "until"\.$/,
    ],
    [{ waivers: [] }, /^twelve-factor\.json: /],
    ['{ "waive": [', /^twelve-factor\.json is not valid JSON \(/],
  ];
  for (const [content, message] of cases) {
    try {
      await checkApp({ directory: brokenApp(content) });
      assert.unreachable(JSON.stringify(content));
    } catch (error) {
      assert.instance(error, UserError, String(error));
      assert.is((error as UserError).exitCode, 2);
      assert.match((error as Error).message, message);
      assert.is((error as Error).message.split('\n').length, 1);
    }
  }
});

test('--format: human, json, sarif, junit, github; --json is --format json; anything else exit 2', () => {
  assert.is(parseFormat({}), 'human');
  assert.is(parseFormat({ json: true }), 'json');
  assert.is(parseFormat({ format: 'sarif' }), 'sarif');
  assert.is(parseFormat({ format: 'json', json: true }), 'json');
  for (const flags of [{ format: 'xml' }, { format: 'sarif', json: true }]) {
    try {
      parseFormat(flags);
      assert.unreachable();
    } catch (error) {
      assert.is((error as UserError).exitCode, 2);
    }
  }
});

test.run();
