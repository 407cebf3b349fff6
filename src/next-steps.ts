import path from 'node:path';
import type { AppModel } from './model/types.ts';

/** The summary printed at the end: what was made, then the commands to run, in order. */
export function nextSteps(model: AppModel, directory: string, cwd: string, installed: boolean): string {
  const run = model.packageManager.run;
  // A path that climbs out of the working directory reads better absolute.
  const relative = path.relative(cwd, directory).startsWith('..') ? directory : path.relative(cwd, directory) || '.';
  const steps = [
    relative !== '.' ? `cd ${relative.includes(' ') ? JSON.stringify(relative) : relative}` : undefined,
    installed ? undefined : `${model.packageManager.name} install`,
    'cp .env.example .env',
    model.services.length > 0 ? 'docker compose up -d' : undefined,
    ...model.setupScripts.map(run),
    ...model.devScripts.map(run),
  ].filter((step): step is string => step !== undefined);
  const processes = model.processes.map((process) => `  ${process.name}: ${process.command}`);
  return [
    '',
    `Created ${model.name} (${model.kind}) in ${directory}.`,
    'Processes (Procfile):',
    ...processes,
    '',
    'Next steps:',
    ...steps.map((step) => `  ${step}`),
    '',
  ].join('\n');
}
