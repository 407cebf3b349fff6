import path from 'node:path';
import { execa } from 'execa';
import type { AppModel } from './model/types.ts';

/** Whether `docker compose` runs here: the next steps start the backing services with it, or say what instead. */
export async function hasDockerCompose(): Promise<boolean> {
  const result = await execa('docker', ['compose', 'version'], { reject: false, stdin: 'ignore', timeout: 10_000 });
  return result.exitCode === 0;
}

/** The summary printed at the end: what was made, then the commands to run, in order. */
export function nextSteps(model: AppModel, directory: string, cwd: string, installed: boolean, compose = true): string {
  const run = model.packageManager.run;
  // A path that climbs out of the working directory reads better absolute.
  const relative = path.relative(cwd, directory).startsWith('..') ? directory : path.relative(cwd, directory) || '.';
  const connections = model.services.flatMap((service) => (service.connection ? [service.connection.variable] : []));
  const withoutDocker = `# docker compose is not available: point ${connections.join(' and ')} in .env at your own ${model.services.map((service) => SERVICE_NAMES[service.name] ?? service.name).join(' and ')} (README: "Without Docker")`;
  const steps = [
    relative !== '.' ? `cd ${relative.includes(' ') ? JSON.stringify(relative) : relative}` : undefined,
    installed ? undefined : `${model.packageManager.name} install`,
    'cp .env.example .env',
    model.services.length > 0 ? (compose ? 'docker compose up -d' : withoutDocker) : undefined,
    model.features.postgres ? `${run('migrate')}${compose ? '' : '   # creates the database when it does not exist'}` : undefined,
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

const SERVICE_NAMES: Record<string, string> = { postgres: 'PostgreSQL', redis: 'Redis' };
