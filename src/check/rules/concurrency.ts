import type { CheckContext } from '../context.ts';
import { atEach, type Finding } from '../types.ts';

const DAEMONIZING = /(?:^|[\s;&|])(?:nohup|forever\s+start|daemonize)\b|--daemon\b|(?:^|[^&])&\s*$/;
/** pm2 start daemonizes unless told not to; pm2-runtime and `--no-daemon` stay in the foreground. */
const PM2_START = /(?:^|[\s;&|])pm2\s+start\b/;
const PROCESS_MANAGER = /(?:^|[\s;&|/])(?:pm2-runtime|pm2-docker|pm2\s+start|forever|supervisord)\b/;

/** 8. Process types declared for the process manager; the app never daemonizes or writes PID files. */
export function concurrency({ repo, facts, procfile, compose, deployFiles, dockerfiles }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const composeApp = compose.some((file) => file.services.some((service) => service.build));
  const imageCommands = dockerfiles.flatMap((docker) =>
    docker.command ? [{ file: docker.file, ...docker.command }] : [],
  );
  if (!procfile && deployFiles.length === 0 && !composeApp) {
    const image = imageCommands[0];
    findings.push(
      image
        ? {
            rule: 'concurrency/process-types',
            severity: 'warn',
            message: `Only ${image.file}'s command (\`${image.words.join(' ')}\`) declares a process: one process type, with no name a platform can scale.`,
            file: image.file,
            line: image.line,
            hint: 'Add a Procfile naming each process type (`web: node dist/server.js`), so other process types have a place too.',
          }
        : {
            rule: 'concurrency/process-types',
            severity: 'fail',
            message:
              'No Procfile or other process declaration (fly.toml, render.yaml, Kubernetes manifests, compose services that build the app, a Dockerfile CMD).',
            hint: 'Add a Procfile naming each process type, e.g. `web: node dist/server.js` and `worker: node dist/worker.js`.',
          },
    );
  } else if (procfile && procfile.processes.length === 0) {
    findings.push({
      rule: 'concurrency/process-types',
      severity: 'fail',
      message: 'The Procfile declares no process type.',
      file: procfile.file,
      hint: 'One line per process type: `web: node dist/server.js`.',
    });
  }

  const commands = [
    ...(procfile?.processes.map((process) => ({
      what: `The ${process.type} process`,
      command: process.command,
      file: procfile.file,
      line: process.line as number | undefined,
    })) ?? []),
    ...Object.entries(repo.packageJson.scripts ?? {})
      .filter(([name]) => /^(?:start|serve|prod|start:prod)$/.test(name))
      .map(([name, command]) => ({
        what: `The ${name} script`,
        command,
        file: 'package.json',
        line: undefined as number | undefined,
      })),
    ...imageCommands.map((image) => ({
      what: `${image.file}'s command`,
      command: image.words.join(' '),
      file: image.file,
      line: image.line as number | undefined,
    })),
  ];
  for (const { what, command, file, line } of commands) {
    const where = { file, ...(line === undefined ? {} : { line }) };
    if (DAEMONIZING.test(command) || (PM2_START.test(command) && !/--no-daemon\b/.test(command))) {
      findings.push({
        rule: 'concurrency/no-daemon',
        severity: 'fail',
        message: `${what} daemonizes or backgrounds itself (\`${command}\`).`,
        ...where,
        hint: 'Run the process in the foreground; the platform supervises, restarts and scales it (pm2-runtime if you must keep pm2).',
      });
    } else if (PROCESS_MANAGER.test(command)) {
      findings.push({
        rule: 'concurrency/no-process-manager',
        severity: 'warn',
        message: `${what} runs a process manager in the foreground (\`${command}\`): it supervises and clusters inside the container, hiding crashes and processes from the platform.`,
        ...where,
        hint: 'Start node directly, one process per container, and scale with the platform.',
      });
    }
  }

  findings.push(
    ...atEach(facts.daemons, 'concurrency/no-daemon', (daemon) => ({
      severity: daemon.certain ? 'fail' : 'warn',
      message: `The app daemonizes or detaches processes: ${daemon.what}.`,
      hint: 'Leave supervision to the platform: declare the work as its own process type instead.',
    })),
    ...atEach(
      facts.fileWrites.filter((write) => write.kind === 'pid'),
      'concurrency/no-daemon',
      (write) => ({
        severity: 'fail',
        message: `The app writes a PID file (${write.target}).`,
        hint: 'Remove it: the process manager knows its processes without PID files.',
      }),
    ),
  );

  // Job runners started in the code while only a web process is declared run inside the web process.
  const declaredTypes = procfile?.processes.map((process) => process.type).filter((type) => type !== 'release') ?? [];
  const onlyWeb = procfile
    ? declaredTypes.every((type) => type === 'web')
    : imageCommands.length <= 1 && !composeApp && deployFiles.length === 0;
  if (onlyWeb) {
    findings.push(
      ...atEach(facts.jobRunners, 'concurrency/jobs-in-own-process', (runner) => ({
        severity: 'warn',
        message: `${runner.what} runs jobs, but ${procfile ? 'the Procfile declares only a web process' : 'the app declares one process'}: the jobs run inside the web process and scale with it.`,
        hint: 'Start the job runner from its own entry and declare it as a process type: `worker: node dist/worker.js`.',
      })),
    );
  }
  return findings;
}
