import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { execa } from 'execa';
import type { CheckContext } from './context.ts';
import type { Finding } from './types.ts';

/** Bounds of the dynamic checks: generous, since a cold start on a busy CI machine is slow. */
export const RUN_LIMITS = {
  buildMs: 300_000,
  answerMs: 30_000,
  slowStartMs: 10_000,
  shutdownMs: 30_000,
  slowShutdownMs: 10_000,
};

/**
 * `--run`: build the app, start its Procfile `web:` process as declared (through `sh -c 'exec …'`, as a
 * platform does) with a random PORT, and measure what static analysis can only guess.
 */
export async function runChecks(ctx: CheckContext, userEnv: NodeJS.ProcessEnv): Promise<Finding[]> {
  const findings: Finding[] = [];
  const web = webCommand(ctx);
  if (!web) {
    const declared = ctx.procfile?.processes.map((process) => process.type) ?? [];
    findings.push({
      rule: 'port-binding/answers',
      severity: declared.length > 0 ? 'note' : 'warn',
      message:
        declared.length > 0
          ? `--run: no web: process (the Procfile declares ${declared.join(', ')}), so there is no port to bind and nothing was started.`
          : '--run: no Procfile web: process, Dockerfile CMD or start script to start, so the dynamic checks did not run.',
      ...(ctx.procfile ? { file: ctx.procfile.file } : {}),
    });
    return findings;
  }
  if (web.source !== 'Procfile') {
    findings.push({
      rule: 'port-binding/answers',
      severity: 'note',
      message: `--run: there is no Procfile, so it started ${web.source} (\`${web.display}\`).`,
      ...web.at,
    });
  }

  const built = await build(ctx);
  if (built) {
    findings.push({
      rule: 'build-release-run/builds',
      severity: 'fail',
      message: `--run: ${built.step} failed, so the app could not be started.\n${built.output}`,
      hint: 'Fix the build; it must succeed from a clean checkout.',
    });
    return findings;
  }

  const port = await freePort();
  const env = { ...exampleValues(ctx), ...userEnv, PORT: String(port) };
  const started = performance.now();
  const child = spawn(web.argv[0]!, web.argv.slice(1), { cwd: ctx.repo.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  const procfileAt = web.at;
  try {
    const answer = await waitForAnswer(port, exited, RUN_LIMITS.answerMs);
    if (!answer.ok) {
      findings.push({
        rule: 'port-binding/answers',
        severity: 'fail',
        message: `--run: \`${web.display}\` ${answer.exit ? `exited (${answer.exit}) before answering` : `did not answer HTTP on PORT=${port} within ${RUN_LIMITS.answerMs / 1000} s`}.${tail(stderr || stdout)}`,
        ...procfileAt,
        hint: 'The web process must listen on the port given in PORT; check that its config is complete in this environment.',
      });
      return findings;
    }
    const startMs = Math.round(answer.at - started);
    findings.push({
      rule: 'port-binding/answers',
      severity: 'note',
      message: `--run: the web process bound PORT=${port} and answered GET ${answer.path} (${answer.status}).`,
      ...procfileAt,
    });
    findings.push({
      rule: 'disposability/graceful',
      severity: startMs > RUN_LIMITS.slowStartMs ? 'warn' : 'note',
      message: `--run: answered ${startMs} ms after it was started.`,
      ...(startMs > RUN_LIMITS.slowStartMs
        ? { hint: 'Start fast: compile ahead of time and connect to backing services lazily or in parallel.' }
        : {}),
    });

    // A request whose headers are still arriving when SIGTERM lands: graceful shutdown must finish it.
    let signalledAt = performance.now();
    const response = await requestAcrossSignal(answer.host, port, answer.path, () => {
      signalledAt = performance.now();
      child.kill('SIGTERM');
    });
    const exit = await within(exited, RUN_LIMITS.shutdownMs);
    if (response.status === undefined) {
      findings.push({
        rule: 'disposability/graceful',
        severity: 'fail',
        message: `--run: a request in flight when SIGTERM arrived got no response (${response.error ?? 'connection closed'}).`,
        hint: 'On SIGTERM stop accepting new connections but let requests already on open connections finish before exiting.',
      });
    } else {
      findings.push({
        rule: 'disposability/graceful',
        severity: 'note',
        message: `--run: a request in flight at SIGTERM was answered (${response.status}).`,
      });
    }
    if (exit === undefined) {
      findings.push({
        rule: 'disposability/graceful',
        severity: 'fail',
        message: `--run: still running ${RUN_LIMITS.shutdownMs / 1000} s after SIGTERM.`,
        hint: 'Exit once in-flight work is done; a platform kills the process after its grace period.',
      });
    } else {
      const ms = Math.round(exit.at - signalledAt);
      const ok = exit.code === 0;
      findings.push({
        rule: 'disposability/graceful',
        severity: !ok ? 'fail' : ms > RUN_LIMITS.slowShutdownMs ? 'warn' : 'note',
        message: ok
          ? `--run: exited 0 ${ms} ms after SIGTERM.`
          : `--run: exited with ${exit.code ?? exit.signal} after SIGTERM (${ms} ms), not 0.${tail(stderr)}`,
        ...(ok ? {} : { hint: 'Handle SIGTERM: finish in-flight work, close connections, exit 0.' }),
      });
    }
    findings.push(...logLines(stdout));
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  }
  return findings;
}

/**
 * What `--run` starts: the Procfile's `web:` process (through `sh -c 'exec …'`, as a platform does);
 * without a Procfile, the Dockerfile's exec-form CMD/ENTRYPOINT, else the start script through npm.
 */
export function webCommand(
  ctx: CheckContext,
): { source: string; display: string; argv: string[]; at: { file?: string; line?: number } } | undefined {
  if (ctx.procfile) {
    const web = ctx.procfile.processes.find((process) => process.type === 'web');
    return web
      ? {
          source: 'Procfile',
          display: web.command,
          argv: ['/bin/sh', '-c', `exec ${web.command}`],
          at: { file: ctx.procfile.file, line: web.line },
        }
      : undefined;
  }
  const image = ctx.dockerfiles.find((docker) => docker.command?.exec);
  if (image?.command) {
    return {
      source: `${image.file}'s exec-form CMD/ENTRYPOINT`,
      display: image.command.words.join(' '),
      argv: image.command.words,
      at: { file: image.file, line: image.command.line },
    };
  }
  if (ctx.repo.packageJson.scripts?.start) {
    return {
      source: 'the start script (npm start)',
      display: `npm start: ${ctx.repo.packageJson.scripts.start}`,
      argv: ['npm', 'start'],
      at: { file: 'package.json' },
    };
  }
  return undefined;
}

/** Builds with the app's package manager; returns what failed, or undefined when it built. */
async function build(ctx: CheckContext): Promise<{ step: string; output: string } | undefined> {
  const { dir, packageJson } = ctx.repo;
  const manager = fs.existsSync(path.join(dir, 'pnpm-lock.yaml'))
    ? 'pnpm'
    : fs.existsSync(path.join(dir, 'yarn.lock'))
      ? 'yarn'
      : 'npm';
  const steps: Array<[string, string[]]> = [];
  if (!fs.existsSync(path.join(dir, 'node_modules'))) {
    const locked =
      fs.existsSync(path.join(dir, 'package-lock.json')) || fs.existsSync(path.join(dir, 'npm-shrinkwrap.json'));
    steps.push(
      manager === 'npm' ? ['npm', locked ? ['ci'] : ['install']] : [manager, ['install', '--frozen-lockfile']],
    );
  }
  if (packageJson.scripts?.build) steps.push([manager, ['run', 'build']]);
  for (const [command, args] of steps) {
    const result = await execa(command, args, {
      cwd: dir,
      reject: false,
      all: true,
      stdin: 'ignore',
      timeout: RUN_LIMITS.buildMs,
    });
    if (result.exitCode !== 0)
      return { step: `${command} ${args.join(' ')}`, output: tail(String(result.all ?? '')).trim() };
  }
  return undefined;
}

/** `.env.example`-shaped values for what the environment does not set: the app's own safe examples. */
function exampleValues(ctx: CheckContext): Record<string, string> {
  if (!ctx.envExample) return {};
  return parseEnv(ctx.repo.read(ctx.envExample.file) ?? '') as Record<string, string>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type Answer = { ok: true; at: number; host: string; path: string; status: number } | { ok: false; exit?: string };

/** Where a process that was given PORT may listen: every address (both answer), or one loopback family only. */
const LOOPBACKS = ['127.0.0.1', '::1'];

/** Polls until the port answers HTTP (any status: it is bound and serving), the process exits, or time runs out. */
async function waitForAnswer(
  port: number,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  timeoutMs: number,
): Promise<Answer> {
  let exit: string | undefined;
  void exited.then((result) => (exit = `exit code ${result.code ?? result.signal}`));
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (exit !== undefined) return { ok: false, exit };
    for (const host of LOOPBACKS) {
      for (const path of ['/healthz', '/']) {
        const status = await get(host, port, path);
        if (status !== undefined && (status < 400 || path === '/'))
          return { ok: true, at: performance.now(), host, path, status };
        if (status === undefined) break;
      }
    }
    await sleep(25);
  }
  return exit === undefined ? { ok: false } : { ok: false, exit };
}

function get(host: string, port: number, path: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get({ host, port, path, agent: false, timeout: 2_000 }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode));
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(undefined));
  });
}

/**
 * Opens a connection, sends the start of a request, calls `signal` while the request is still arriving,
 * then sends the rest: the response tells whether a request in flight at SIGTERM was served.
 */
async function requestAcrossSignal(
  host: string,
  port: number,
  path: string,
  signal: () => void,
): Promise<{ status?: number; error?: string }> {
  const socket = net.connect({ port, host });
  let received = '';
  let error: string | undefined;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
  const closed = once(socket, 'close').catch(() => undefined);
  try {
    await once(socket, 'connect');
  } catch (err) {
    return { error: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
  socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost:${port}\r\n`);
  await sleep(50);
  signal();
  await sleep(150);
  socket.write('Connection: close\r\n\r\n');
  await within(closed, RUN_LIMITS.shutdownMs);
  socket.destroy();
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1];
  return status ? { status: Number(status) } : { error: error ?? 'the connection closed without one' };
}

/** Logs: one event per line on stdout. JSON lines are certain; indented continuation lines are not. */
function logLines(stdout: string): Finding[] {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) {
    return [
      {
        rule: 'logs/event-stream',
        severity: 'warn',
        message: '--run: the web process wrote nothing to stdout while it started, served and stopped.',
        hint: 'Log events (startup, requests, shutdown) to stdout, one per line.',
      },
    ];
  }
  const json = lines.filter((line) => {
    try {
      const value: unknown = JSON.parse(line);
      return typeof value === 'object' && value !== null;
    } catch {
      return false;
    }
  }).length;
  const continued = lines.find((line) => /^\s+\S|^\s*at\s/.test(line));
  if (continued !== undefined) {
    return [
      {
        rule: 'logs/event-stream',
        severity: 'warn',
        message: `--run: stdout has events spanning several lines (e.g. "${continued.trim().slice(0, 80)}").`,
        hint: 'Log one event per line (JSON is easiest for log routers): a multi-line event is split apart downstream.',
      },
    ];
  }
  return [
    {
      rule: 'logs/event-stream',
      severity: 'note',
      message: `--run: stdout had ${lines.length} line${lines.length === 1 ? '' : 's'}, ${json === lines.length ? 'each a JSON event' : `${json} of them JSON`}.`,
    },
  ];
}

function tail(text: string, lines = 8): string {
  const last = text.trim().split('\n').slice(-lines).join('\n');
  return last ? `\n${last}` : '';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The promise's value, or undefined after `ms`; the timer is cleared so it never holds the process open. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
