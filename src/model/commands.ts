import type { Contribution, ProcessType, Script } from './types.ts';

/**
 * What capabilities add to the commands of others. Preloads: `node --import` for modules that must load
 * before the app (tracing patches http, pg and ioredis as they are first imported), for long-running
 * processes only (a release or admin process has nothing to trace); the Dockerfile's CMD is derived
 * from the web process, so it follows. Build steps run after `tsc` (the release written into `dist/`).
 */
export function extendCommands(parts: Contribution[], processes: ProcessType[], scripts: Script[]) {
  const preloads = [...new Set(parts.flatMap((part) => part.preloads ?? []))];
  const steps = parts.flatMap((part) => part.buildSteps ?? []);
  const compiled = preloads.map((name) => `--import ./dist/${name}.js`).join(' ');
  const sources = preloads.map((name) => `--import ./src/${name}.ts`).join(' ');
  const longRunning = new Set(processes.filter((process) => process.health).map((process) => process.command));
  // A local `start` script is the process's command plus `.env`, which a Procfile command never reads.
  const asProcess = (command: string) => command.replace(' --env-file-if-exists=.env', '');
  const prefix = (command: string, flags: string) =>
    flags === '' ? command : command.replace(/^node /, `node ${flags} `);
  return {
    processes: processes.map((process) =>
      process.health ? { ...process, command: prefix(process.command, compiled) } : process,
    ),
    scripts: scripts.map((script) => {
      // `start` runs what the Procfile's web process runs; dev scripts run the same from the sources.
      if (longRunning.has(asProcess(script.command))) return { ...script, command: prefix(script.command, compiled) };
      if (script.name === 'dev' || script.name.startsWith('dev:'))
        return { ...script, command: prefix(script.command, sources) };
      if (script.name === 'build' && steps.length > 0)
        return { ...script, command: [script.command, ...steps].join(' && ') };
      return script;
    }),
  };
}
