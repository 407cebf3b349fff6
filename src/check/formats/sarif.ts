import { RULE_CATALOG, type RuleId } from '../rule-catalog.ts';
import { FACTORS, type Report } from '../types.ts';

const LEVEL = { fail: 'error', warn: 'warning', note: 'note' } as const;
const INFORMATION_URI = 'https://github.com/create-twelve-app/create-twelve-app#check';

/**
 * SARIF 2.1.0, the format GitHub code scanning uploads: one run, `tool.driver.rules` describing every
 * rule a result uses, a result per finding with its level and, where known, a relative location. A
 * waived finding carries an accepted `suppressions` entry with the waiver's reason. Hand-written: the
 * SARIF builders on npm (node-sarif-builder) wrap the same plain objects, and the shape here is small.
 */
export function renderSarif(report: Report, version: string): string {
  const findings = report.factors.flatMap((factor) => factor.findings);
  const ruleIds = [...new Set(findings.map((finding) => finding.ruleId))].sort();
  const index = new Map(ruleIds.map((id, position) => [id, position]));
  const factorTitle = (id: RuleId) => FACTORS.find((factor) => id.startsWith(`${factor.id}/`))!;
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'create-twelve-app check',
            version,
            informationUri: INFORMATION_URI,
            rules: ruleIds.map((id) => ({
              id,
              name: id
                .split('/')[1]!
                .replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())
                .replace(/^\w/, (letter) => letter.toUpperCase()),
              shortDescription: { text: RULE_CATALOG[id].description },
              fullDescription: {
                text: `${factorTitle(id).number}. ${factorTitle(id).title}: ${RULE_CATALOG[id].description}`,
              },
              help: { text: RULE_CATALOG[id].help },
              properties: { tags: ['twelve-factor', id.split('/')[0]!] },
            })),
          },
        },
        results: findings.map((finding) => ({
          ruleId: finding.ruleId,
          ruleIndex: index.get(finding.ruleId)!,
          level: LEVEL[finding.severity],
          message: { text: finding.hint ? `${finding.message} ${finding.hint}` : finding.message },
          ...(finding.file
            ? {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: encodeURI(finding.file), uriBaseId: '%SRCROOT%' },
                      ...(finding.line ? { region: { startLine: finding.line } } : {}),
                    },
                  },
                ],
              }
            : {}),
          ...(finding.waived
            ? { suppressions: [{ kind: 'external', status: 'accepted', justification: finding.reason ?? '' }] }
            : {}),
        })),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
