import path from 'node:path';
import { UserError } from '../errors.ts';
import { checkApp } from './check.ts';
import { renderHuman, renderJson } from './report.ts';
import { FACTORS, isFactorId, type FactorId } from './types.ts';

export interface CheckFlags {
  directory?: string;
  json?: boolean;
  run?: boolean;
  only?: string;
}

/** `create-twelve-app check`: prints the report and returns the exit code (0 nothing fails, 1 a factor fails). */
export async function runCheckCommand(flags: CheckFlags, io: { cwd: string; stdout: NodeJS.WriteStream; env: NodeJS.ProcessEnv }): Promise<number> {
  const only = flags.only === undefined ? undefined : parseOnly(flags.only);
  const directory = flags.directory ?? '.';
  const report = await checkApp({ directory: path.resolve(io.cwd, directory), ...(only ? { only } : {}), run: flags.run === true, env: io.env });
  io.stdout.write(flags.json ? renderJson(report) : renderHuman(report, directory, io.stdout.isTTY === true && io.stdout.hasColors()));
  return report.summary.fail > 0 ? 1 : 0;
}

/** `--only config,logs` (ids, or the factor numbers): a usage error names the valid ids. */
export function parseOnly(value: string): FactorId[] {
  const ids = value.split(',').map((part) => part.trim()).filter(Boolean);
  if (ids.length === 0) throw new UserError(`--only needs factor ids: ${FACTORS.map((f) => f.id).join(', ')}.`, 2);
  return ids.map((id) => {
    const byNumber = FACTORS.find((factor) => String(factor.number) === id)?.id;
    if (byNumber) return byNumber;
    if (!isFactorId(id)) throw new UserError(`--only: unknown factor "${id}"; choose from ${FACTORS.map((f) => f.id).join(', ')}.`, 2);
    return id;
  });
}
