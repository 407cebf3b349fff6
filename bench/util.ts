import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from '../test/support/http.ts';
import { within } from '../test/support/wait.ts';
import type { Summary } from './stats.ts';

export { within };

export const ROOT = path.join(import.meta.dirname, '..');
export const CACHE = path.join(ROOT, '.bench-cache');

// ------------------------------------------------------------------ rows of the table

export type Cell = Summary | { unavailable: string } | null;

export interface Row {
  id: string;
  scenario: string;
  /** ms, req/s, jobs/s, packages, MB, count */
  unit: string;
  ours: Cell;
  baselineName: string;
  baseline: Cell;
  /** ours ÷ baseline (medians); null when there is no baseline. */
  ratio: number | null;
  target: string;
  /** null: no target, or a figure is missing. */
  met: boolean | null;
  note?: string;
  /** When it was measured (ISO date): a partial run (--only) keeps the other rows with their own date. */
  at?: string;
}

export const unavailable = (reason: string): { unavailable: string } => ({
  unavailable: reason.split('\n')[0]!.slice(0, 160),
});

export function isSummary(cell: Cell): cell is Summary {
  return cell !== null && 'median' in cell;
}

/** A row whose figures could not be measured. */
export function unavailableRow(
  id: string,
  scenario: string,
  baselineName: string,
  target: string,
  reason: string,
): Row {
  return {
    id,
    scenario,
    unit: '',
    ours: unavailable(reason),
    baselineName,
    baseline: null,
    ratio: null,
    target,
    met: null,
  };
}

export interface Context {
  quick: boolean;
  /** Repetitions: `full` normally, `quick` with --quick. */
  reps: (full: number, quick: number) => number;
  tmp: string;
  log: (message: string) => void;
  /** Raw extra data per scenario, written to results.json. */
  extra: Record<string, unknown>;
}

export function tempDir(ctx: Context, label: string): string {
  return fs.mkdtempSync(path.join(ctx.tmp, `${label}-`));
}

// ------------------------------------------------------------------ processes

export interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, bounded; never throws on a non-zero exit (look at `code`). */
export function runTimed(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Done> {
  const { cwd, env = process.env, timeoutMs = 300_000 } = options;
  const started = performance.now();
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-200_000)));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-200_000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: performance.now() - started, stdout, stderr });
    });
  });
}

/** Like runTimed, but a non-zero exit is an error naming the command and the end of its output. */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Done> {
  const done = await runTimed(command, args, options);
  if (done.code !== 0) {
    throw new Error(
      `${path.basename(command)} ${args.join(' ')} exited ${done.code ?? done.signal}: ${(done.stderr || done.stdout).trim().split('\n').slice(-3).join(' | ')}`,
    );
  }
  return done;
}

export interface Server {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** The last 64 KB of stdout+stderr, for error messages; the pipes are drained continuously. */
  tail: () => string;
  /** Resolves when a line of output matches. */
  waitFor: (pattern: RegExp, timeoutMs: number) => Promise<void>;
}

/**
 * Starts a long-running process as `sh -c 'exec <command>'` (as test/support/processes.ts and a
 * platform do), its stdout and stderr piped and drained, keeping only a tail: under load the app
 * writes a log line per request, and the pipe must be read as a platform's log router would.
 */
export function startServer(cwd: string, command: string, env: Record<string, string | undefined>): Server {
  const child = spawn('/bin/sh', ['-c', `exec ${command}`], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The tail is kept as chunks and joined only when read: copying 64 KB per chunk would make this
  // reader, on the same 2 cores, cost more than the app's own logging under load.
  const chunks: string[] = [];
  let kept = 0;
  const tail = () => {
    const joined = chunks.join('').slice(-65_536);
    chunks.splice(0, chunks.length, joined);
    kept = joined.length;
    return joined;
  };
  const watchers = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    chunks.push(text);
    kept += text.length;
    if (kept > 4 * 65_536) tail();
    for (const watcher of watchers) watcher();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  const waitFor = (pattern: RegExp, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(tail())) {
          clearTimeout(timer);
          watchers.delete(check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`no output matched ${pattern} within ${timeoutMs} ms: ${tail().slice(-500)}`));
      }, timeoutMs);
      watchers.add(check);
      check();
    });
  return { child, exited, tail, waitFor };
}

/** SIGKILLs a server that is still running and waits for it. */
export async function stop(server: Server): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await server.exited;
}

/** Polls GET /healthz every 5 ms until 200; the time from `since` to that answer. */
export async function healthyAfter(server: Server, port: number, since: number, timeoutMs = 20_000): Promise<number> {
  let ended = false;
  void server.exited.then(() => (ended = true));
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const ok = await request(port, '/healthz', { timeoutMs: 2_000 }).then(
      (reply) => reply.status === 200,
      () => false,
    );
    if (ok) return performance.now() - since;
    if (ended) throw new Error(`the process ended before /healthz answered 200: ${server.tail().slice(-500)}`);
    await sleep(5);
  }
  throw new Error(`/healthz did not answer 200 within ${timeoutMs} ms: ${server.tail().slice(-500)}`);
}

// ------------------------------------------------------------------ files

/** Bytes on disk (allocated blocks) and file count below a path; symlinks are not followed. */
export function diskUsage(target: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (p: string) => {
    const stat = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    bytes += stat.blocks * 512;
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) walk(path.join(p, entry));
    else files++;
  };
  walk(target);
  return { bytes, files };
}

/** Installed packages below node_modules, nested ones included (a folder with a package.json). */
export function countPackages(nodeModules: string): number {
  let count = 0;
  const visit = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir)) {
      if (entry.startsWith('.')) continue;
      const full = path.join(dir, entry);
      if (entry.startsWith('@')) {
        for (const scoped of fs.readdirSync(full)) visitPackage(path.join(full, scoped));
      } else visitPackage(full);
    }
  };
  const visitPackage = (dir: string) => {
    if (!fs.existsSync(path.join(dir, 'package.json'))) return;
    count++;
    visit(path.join(dir, 'node_modules'));
  };
  visit(nodeModules);
  return count;
}

export const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 100) / 100;

export function machine() {
  const cpus = os.cpus();
  return {
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: cpus.map((cpu) => ({ model: cpu.model, speed: cpu.speed })),
    cpuSummary: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    memoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
    loadavg: os.loadavg(),
    node: process.version,
  };
}
