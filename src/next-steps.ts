import path from 'node:path';
import { execa } from 'execa';
import type { AppModel, ComposeService } from './model/types.ts';

let composeProbe: Promise<boolean> | undefined;

/**
 * Whether `docker compose` runs here: the next steps start the backing services with it, or say what instead.
 * Asked once per process: the CLI starts the probe while Yeoman loads, and the next steps await that answer.
 */
export function hasDockerCompose(): Promise<boolean> {
  composeProbe ??= execa('docker', ['compose', 'version'], { reject: false, stdin: 'ignore', timeout: 10_000 }).then(
    (result) => result.exitCode === 0,
  );
  return composeProbe;
}

/** Where `docker compose up -d` would stand when there is no Docker: what to point at what instead. */
function withoutDocker(services: readonly ComposeService[]): string {
  const connections = services.flatMap((service) => (service.connection ? [service.connection.variable] : []));
  const labels = services.map((service) => service.label);
  return `# docker compose is not available: point ${connections.join(' and ')} in .env at your own ${labels.join(' and ')} (README: "Without Docker")`;
}

/** The summary printed at the end: what was made, then the commands to run, in order. */
export function nextSteps(model: AppModel, directory: string, cwd: string, installed: boolean, compose = true): string {
  const run = model.packageManager.run;
  // A path that climbs out of the working directory reads better absolute.
  const relative = path.relative(cwd, directory).startsWith('..') ? directory : path.relative(cwd, directory) || '.';
  const creates = new Set(
    model.services.flatMap((service) => (service.connection?.createdBy ? [service.connection.createdBy] : [])),
  );
  const steps = [
    relative !== '.' ? `cd ${relative.includes(' ') ? JSON.stringify(relative) : relative}` : undefined,
    installed ? undefined : `${model.packageManager.name} install`,
    'cp .env.example .env',
    model.services.length > 0 ? (compose ? 'docker compose up -d' : withoutDocker(model.services)) : undefined,
    // Without compose nothing has made the database yet: the development script that creates it says so.
    ...model.setupScripts.map(
      (script) =>
        `${run(script)}${compose || !creates.has(script) ? '' : '   # creates the database when it does not exist'}`,
    ),
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

export interface AddedSummary {
  /** The capabilities the app did not have before (the one asked for and what it requires). */
  added: readonly string[];
  /** Whether the dependencies were installed (false with --skip-install). */
  installed: boolean;
  /** Whether the app has a local `.env`, and which variables `add` appended to it. */
  envExists: boolean;
  envAppended: readonly string[];
  /** Whether `docker compose` runs here (asked only when the capability brings a backing service). */
  compose: boolean;
}

/**
 * What `add` prints once the app has its new capability: the processes (new ones marked), then what to
 * run before working with it locally: install, `.env`, the new backing services, migrations, and the
 * script that runs each new process from sources.
 */
export function addNextSteps(before: AppModel, after: AppModel, summary: AddedSummary): string {
  const run = after.packageManager.run;
  const known = new Set(before.processes.map((process) => process.name));
  const processes = after.processes.map(
    (process) => `  ${process.name}: ${process.command}${known.has(process.name) ? '' : '   (new)'}`,
  );
  const newServices = after.services.filter((service) => !before.services.some((old) => old.name === service.name));
  const names = newServices.map((service) => service.name).join(', ');
  const devScripts = after.devScripts.filter((script) => !before.devScripts.includes(script));
  const steps = [
    summary.installed ? undefined : `${after.packageManager.name} install`,
    summary.envExists ? undefined : 'cp .env.example .env',
    newServices.length === 0
      ? undefined
      : summary.compose
        ? `docker compose up -d   (starts ${names})`
        : withoutDocker(newServices),
    ...after.setupScripts.filter((script) => !before.setupScripts.includes(script)).map(run),
    ...devScripts.map((script) => `${run(script)}   (runs the new process from sources)`),
  ].filter((step): step is string => step !== undefined);
  const lines = ['', `Added ${summary.added.join(', ')} to ${after.name}.`, 'Processes (Procfile):', ...processes];
  if (summary.envAppended.length > 0) {
    lines.push(
      '',
      `Appended ${summary.envAppended.join(', ')} to .env with the example values from .env.example; your other lines are as they were.`,
    );
  }
  if (steps.length > 0) lines.push('', 'Next steps:', ...steps.map((step) => `  ${step}`));
  lines.push('', 'Review the changes with `git diff`, then commit.', '');
  return lines.join('\n');
}
