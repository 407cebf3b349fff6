import path from 'node:path';
import { UserError } from '../errors.ts';
import { checkApp } from './check.ts';
import { renderGithub } from './formats/github.ts';
import { renderJunit } from './formats/junit.ts';
import { renderSarif } from './formats/sarif.ts';
import { renderHuman, renderJson, renderRules } from './report.ts';
import { FACTORS, type FactorId, isFactorId } from './types.ts';

export const FORMATS = ['human', 'json', 'sarif', 'junit', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface CheckFlags {
  directory?: string;
  json?: boolean;
  format?: string;
  rules?: boolean;
  run?: boolean;
  only?: string;
}

/** `create-twelve-app check`: prints the report and returns the exit code (0 nothing fails, 1 a factor fails). */
export async function runCheckCommand(
  flags: CheckFlags,
  io: { cwd: string; stdout: NodeJS.WriteStream; env: NodeJS.ProcessEnv; version?: string },
): Promise<number> {
  const format = parseFormat(flags);
  if (flags.rules) {
    io.stdout.write(renderRules());
    return 0;
  }
  const only = flags.only === undefined ? undefined : parseOnly(flags.only);
  const directory = flags.directory ?? '.';
  const report = await checkApp({
    directory: path.resolve(io.cwd, directory),
    ...(only ? { only } : {}),
    run: flags.run === true,
    env: io.env,
  });
  const output = {
    human: () => renderHuman(report, directory, io.stdout.isTTY === true && io.stdout.hasColors()),
    json: () => renderJson(report),
    sarif: () => renderSarif(report, io.version ?? '0.0.0'),
    junit: () => renderJunit(report),
    github: () => renderGithub(report),
  }[format]();
  io.stdout.write(output);
  return report.summary.fail > 0 ? 1 : 0;
}

/** `--format`, with `--json` as its old spelling of `--format json`. */
export function parseFormat(flags: Pick<CheckFlags, 'format' | 'json'>): Format {
  if (flags.json && flags.format !== undefined && flags.format !== 'json')
    throw new UserError(`--json is --format json: it cannot be combined with --format ${flags.format}.`, 2);
  const format = flags.format ?? (flags.json ? 'json' : 'human');
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UserError(`--format: unknown format "${format}"; choose from ${FORMATS.join(', ')}.`, 2);
  return format as Format;
}

/** `--only config,logs` (ids, or the factor numbers): a usage error names the valid ids. */
export function parseOnly(value: string): FactorId[] {
  const ids = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new UserError(`--only needs factor ids: ${FACTORS.map((f) => f.id).join(', ')}.`, 2);
  return ids.map((id) => {
    const byNumber = FACTORS.find((factor) => String(factor.number) === id)?.id;
    if (byNumber) return byNumber;
    if (!isFactorId(id))
      throw new UserError(`--only: unknown factor "${id}"; choose from ${FACTORS.map((f) => f.id).join(', ')}.`, 2);
    return id;
  });
}
