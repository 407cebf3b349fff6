import type { CheckContext } from '../context.ts';
import { atEach, type Finding } from '../types.ts';

const DAEMONIZING = /(?:^|[\s;&|])(?:nohup|pm2\s+start|forever\s+start|daemonize)\b|--daemon\b|(?:^|[^&])&\s*$/;

/** 8. Process types declared for the process manager; the app never daemonizes or writes PID files. */
export function concurrency({ repo, facts, procfile, compose, deployFiles }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const composeApp = compose.some((file) => file.services.some((service) => service.build));
  if (!procfile && deployFiles.length === 0 && !composeApp) {
    findings.push({
      factor: 'concurrency',
      severity: 'fail',
      message: 'No Procfile or other process declaration (fly.toml, render.yaml, Kubernetes manifests, compose services that build the app).',
      hint: 'Add a Procfile naming each process type, e.g. `web: node dist/server.js` and `worker: node dist/worker.js`.',
    });
  } else if (procfile && procfile.processes.length === 0) {
    findings.push({ factor: 'concurrency', severity: 'fail', message: 'The Procfile declares no process type.', file: procfile.file, hint: 'One line per process type: `web: node dist/server.js`.' });
  }
  for (const process of procfile?.processes ?? []) {
    if (DAEMONIZING.test(process.command)) {
      findings.push({
        factor: 'concurrency',
        severity: 'fail',
        message: `The ${process.type} process daemonizes or backgrounds itself (\`${process.command}\`).`,
        file: procfile!.file,
        line: process.line,
        hint: 'Run the process in the foreground; the platform supervises, restarts and scales it.',
      });
    }
  }
  for (const [name, script] of Object.entries(repo.packageJson.scripts ?? {})) {
    if (/^(?:start|serve|prod|start:prod)$/.test(name) && DAEMONIZING.test(script)) {
      findings.push({
        factor: 'concurrency',
        severity: 'fail',
        message: `The ${name} script daemonizes or backgrounds the app (\`${script}\`).`,
        file: 'package.json',
        hint: 'Run the process in the foreground; use pm2-runtime rather than pm2 start if you need pm2 in a container.',
      });
    }
  }
  findings.push(
    ...atEach(facts.daemons, 'concurrency', (daemon) => ({
      severity: daemon.certain ? 'fail' : 'warn',
      message: `The app daemonizes or detaches processes: ${daemon.what}.`,
      hint: 'Leave supervision to the platform: declare the work as its own process type instead.',
    })),
    ...atEach(facts.fileWrites.filter((write) => write.kind === 'pid'), 'concurrency', (write) => ({
      severity: 'fail',
      message: `The app writes a PID file (${write.target}).`,
      hint: 'Remove it: the process manager knows its processes without PID files.',
    })),
  );
  return findings;
}
