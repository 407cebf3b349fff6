import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Options } from 'execa';
import { execa } from 'execa';

const root = path.join(import.meta.dirname, '..', '..');

let cli: Promise<string> | undefined;
let tarball: string | undefined;

/**
 * The CLI as a user gets it: `npm pack` (which builds through `prepare`), then a real install of the
 * tarball into its own prefix. Done once per test process and shared by every e2e case.
 */
export function packedCli(): Promise<string> {
  cli ??= (async () => {
    const dir = tempDir('cli');
    const packed = await execa('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: root });
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    tarball = path.join(dir, filename);
    await execa('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', path.join(dir, filename)]);
    return path.join(dir, 'node_modules', '.bin', 'create-twelve-app');
  })();
  return cli;
}

/** The packed CLI's tarball, for a project that installs create-twelve-app itself (a house template's tests). */
export async function packedTarball(): Promise<string> {
  await packedCli();
  return tarball!;
}

const created: string[] = [];
// Generated apps with their node_modules are large: remove every temp dir when the test process ends,
// so repeated runs do not fill the disk. KEEP_TEMP=1 keeps them for a post-mortem.
process.once('exit', () => {
  if (process.env.KEEP_TEMP === '1') return;
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `twelve-${label}-`));
  created.push(dir);
  return dir;
}

/** Run the packed CLI with no TTY, as CI would, never throwing: tests look at the exit code. */
export async function runCli(args: string[], options: Options = {}) {
  const bin = await packedCli();
  return execa(bin, args, { reject: false, stdin: 'ignore', ...options });
}

/** The files below a directory, relative, sorted; for "nothing was written" checks. */
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

export interface GeneratedApp {
  dir: string;
  /** Timings of each step, in ms, for the closing report. */
  timings: Record<string, number>;
  /** What the CLI printed. */
  stdout: string;
}

const apps = new Map<string, Promise<GeneratedApp>>();

/**
 * One app per set of flags, generated once per test process by the packed CLI with a real install,
 * then `npm ci` from the lockfile it wrote and `npm run build`, as CI and the Dockerfile do. Every
 * e2e case that needs a running app shares it (each with its own database and port).
 */
export function generatedApp(flags: string[] = ['--kind', 'api', '--yes']): Promise<GeneratedApp> {
  const key = flags.join(' ');
  let app = apps.get(key);
  if (!app) {
    app = (async () => {
      const cwd = tempDir('app');
      const timings: Record<string, number> = {};
      const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
        const started = performance.now();
        try {
          return await fn();
        } finally {
          timings[name] = Math.round(performance.now() - started);
        }
      };
      const created = await step('generate+install', () => runCli(['my-api', ...flags], { cwd }));
      if (created.exitCode !== 0)
        throw new Error(`create-twelve-app failed (${created.exitCode}):\n${created.stdout}\n${created.stderr}`);
      const dir = path.join(cwd, 'my-api');
      await step('npm ci', () => execa('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir }));
      await step('build', () => execa('npm', ['run', 'build'], { cwd: dir }));
      return { dir, timings, stdout: String(created.stdout) };
    })();
    apps.set(key, app);
  }
  return app;
}
