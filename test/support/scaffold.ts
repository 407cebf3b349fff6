import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Options } from 'execa';

const root = path.join(import.meta.dirname, '..', '..');

let cli: Promise<string> | undefined;

/**
 * The CLI as a user gets it: `npm pack` (which builds through `prepack`), then a real install of the
 * tarball into its own prefix. Done once per test process and shared by every e2e case.
 */
export function packedCli(): Promise<string> {
  cli ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twelve-cli-'));
    const packed = await execa('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: root });
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    await execa('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', path.join(dir, filename)]);
    return path.join(dir, 'node_modules', '.bin', 'create-twelve-app');
  })();
  return cli;
}

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `twelve-${label}-`));
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
