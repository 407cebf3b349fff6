import type { Options, Result } from 'execa';
import { execa } from 'execa';

/**
 * A command whose whole process tree is killed once it takes longer than `timeoutMs`. execa's own
 * `timeout` ends only the direct child (npm), and a grandchild still holding its stdout (a hung process
 * an app's test started) would keep the run waiting for ever; here the child leads a process group of
 * its own, and the group is killed.
 */
export async function runBounded(
  file: string,
  args: readonly string[],
  options: Options,
  timeoutMs: number,
): Promise<Result & { timedOut: boolean }> {
  const child = execa(file, args, { ...options, detached: true, reject: false, stdin: 'ignore' });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, timeoutMs);
  try {
    const result = (await child) as Result;
    return Object.assign(result, { timedOut: timedOut || Boolean(result.timedOut) });
  } finally {
    clearTimeout(timer);
  }
}
