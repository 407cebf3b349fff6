import type { CheckContext } from '../context.ts';
import type { Finding } from '../types.ts';

/** 9. Long-running processes shut down gracefully on SIGTERM. (Dockerfile PID 1 findings come from its rule.) */
export function disposability({ facts, procfile }: CheckContext): Finding[] {
  const longRunning = procfile?.processes.filter((process) => process.type !== 'release') ?? [];
  const serves = facts.listens.length > 0 || longRunning.length > 0;
  if (!serves || facts.signalHandlers.length > 0) return [];
  const where =
    facts.listens[0] ?? (procfile && longRunning[0] ? { file: procfile.file, line: longRunning[0].line } : undefined);
  return [
    {
      rule: 'disposability/sigterm',
      severity: 'fail',
      message:
        'Nothing handles SIGTERM: on every deploy or scale-down the process is killed with requests or jobs in flight.',
      ...(where ?? {}),
      hint: "process.on('SIGTERM', …): stop accepting work, finish what is in flight, close connections, then exit 0.",
    },
  ];
}
