import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { within } from './wait.ts';

/** The process types of an app, read from its Procfile as a platform would. */
export function procfile(appDir: string): Record<string, string> {
  const lines = fs
    .readFileSync(path.join(appDir, 'Procfile'), 'utf8')
    .split('\n')
    .filter((line) => line.trim());
  return Object.fromEntries(
    lines.map((line) => {
      const index = line.indexOf(':');
      return [line.slice(0, index).trim(), line.slice(index + 1).trim()];
    }),
  );
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** stdout split into lines, without the trailing empty one. */
  lines: () => string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Resolves when a stdout line matches. */
  waitForLine: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
}

/**
 * Start a Procfile process type the way Heroku and foreman do (`sh -c`), with `exec` so the signals we
 * send reach node itself, as they do when node is PID 1 in the container.
 */
export function startProcess(appDir: string, type: string, env: Record<string, string | undefined>): Running {
  const command = procfile(appDir)[type];
  if (!command) throw new Error(`Procfile of ${appDir} has no ${type}: process`);
  return startCommand(appDir, ['/bin/sh', '-c', `exec ${command}`], env);
}

/** Start an argv directly, as a container engine runs an exec-form command (node as the process itself). */
export function startCommand(
  appDir: string,
  [file, ...args]: string[],
  env: Record<string, string | undefined>,
): Running {
  if (!file) throw new Error('empty command');
  const child = spawn(file, args, {
    cwd: appDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const watcher of [...watchers]) watcher();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, at: performance.now() }));
  });
  const lines = () => stdout.split('\n').filter((line) => line.length > 0);
  const waitForLine = (pattern: RegExp, timeoutMs = 10_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = lines().find((candidate) => pattern.test(candidate));
        if (line !== undefined) {
          clearTimeout(timer);
          watchers.splice(watchers.indexOf(check), 1);
          resolve(line);
        }
      };
      const timer = setTimeout(() => {
        watchers.splice(watchers.indexOf(check), 1);
        reject(
          new Error(`no stdout line matched ${pattern} within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`),
        );
      }, timeoutMs);
      watchers.push(check);
      check();
    });
  return { child, stdout: () => stdout, stderr: () => stderr, lines, exited, waitForLine };
}

/** Every stdout line must be one JSON object: the platform's log router depends on it. */
export function parseJsonLines(lines: string[]): Array<Record<string, unknown>> {
  return lines.map((line) => {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`not a JSON object: ${line}`);
    return parsed as Record<string, unknown>;
  });
}

/**
 * A generated app's own `npm test` (node --test) passed in full: exit 0, some tests passed, and none
 * failed, was skipped or left as todo — a skipped database test would hide a missing service.
 */
export function assertAppTestsPassed(result: {
  exitCode?: number | undefined;
  stdout: unknown;
  stderr: unknown;
}): void {
  const stdout = String(result.stdout);
  const count = (name: string) => Number(new RegExp(`ℹ ${name} (\\d+)`).exec(stdout)?.[1]);
  const detail = `${stdout}\n${String(result.stderr)}`;
  if (result.exitCode !== 0) throw new Error(`npm test exited ${result.exitCode}:\n${detail}`);
  if (!(count('pass') > 0)) throw new Error(`npm test passed no test:\n${detail}`);
  for (const name of ['fail', 'skipped', 'todo']) {
    if (count(name) !== 0) throw new Error(`npm test: ${name} ${count(name)}:\n${detail}`);
  }
}

/** Starts Procfile processes and keeps the ones still running, so that a suite's `after` can end them. */
export function processTracker() {
  const running = new Set<Running>();
  return {
    start(appDir: string, type: string, env: Record<string, string | undefined>): Running {
      const proc = startProcess(appDir, type, env);
      running.add(proc);
      void proc.exited.then(() => running.delete(proc));
      return proc;
    },
    /** SIGKILL to every process still running; resolves once each has exited (5 s at most). */
    async killAll(): Promise<void> {
      const left = [...running];
      for (const proc of left) proc.child.kill('SIGKILL');
      await Promise.all(left.map((proc) => within(proc.exited, 5_000, 'killed process exits').catch(() => undefined)));
    },
  };
}
