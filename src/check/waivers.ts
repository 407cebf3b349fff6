import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { RuleId } from './rule-catalog.ts';
import type { Finding } from './types.ts';

/** The file at the app's root that waives findings a team has decided to accept. */
export const WAIVER_FILE = 'twelve-factor.json';
const MAX_BYTES = 1024 * 1024;

export interface Waiver {
  rule: RuleId;
  /** A glob (Node's path.matchesGlob) over the finding's file; none: the rule's findings anywhere. */
  path?: string;
  reason: string;
}

/** Reads and validates twelve-factor.json; any problem is one line and exit 2 (a usage error, like a bad flag). */
export async function readWaivers(dir: string): Promise<Waiver[]> {
  const file = path.join(dir, WAIVER_FILE);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return [];
  }
  if (!stat.isFile() || stat.size > MAX_BYTES)
    throw new UserError(`${WAIVER_FILE} must be a regular file under 1 MB inside the app.`, 2);
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${WAIVER_FILE} is not valid JSON (${(error as Error).message}).`, 2);
  }
  // Loaded only when an app has a waiver file: zod is most of the cost of loading the schema.
  const { waiverSchema } = await import('./waiver-schema.ts');
  const parsed = waiverSchema().safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the file';
    throw new UserError(`${WAIVER_FILE}: ${where}: ${issue.message}.`, 2);
  }
  return parsed.data.waive.map((waiver) => ({
    rule: waiver.rule as RuleId,
    reason: waiver.reason,
    ...(waiver.path ? { path: waiver.path } : {}),
  }));
}

/** The reason of the first waiver that covers a finding, or undefined. */
export function waiverFor(waivers: readonly Waiver[]): (finding: Pick<Finding, 'rule' | 'file'>) => string | undefined {
  return (finding) =>
    waivers.find(
      (waiver) =>
        waiver.rule === finding.rule &&
        (waiver.path === undefined ||
          (finding.file !== undefined && path.posix.matchesGlob(finding.file, waiver.path))),
    )?.reason;
}
