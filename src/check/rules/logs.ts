import type { CheckContext } from '../context.ts';
import type { Finding } from '../types.ts';

/** 11. Logs are an event stream on stdout; the app never writes or rotates log files. */
export function logs({ facts }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const transport of facts.fileTransports) {
    findings.push({
      factor: 'logs',
      severity: 'fail',
      message: `Logging is configured to write to a file: ${transport.what}.`,
      file: transport.file,
      line: transport.line,
      hint: 'Log one event per line to stdout and let the platform route and store it.',
    });
  }
  for (const write of facts.fileWrites.filter((write) => write.kind === 'log')) {
    findings.push({
      factor: 'logs',
      severity: 'fail',
      message: `The app writes a log file (${write.target}).`,
      file: write.file,
      line: write.line,
      hint: 'Write log events to stdout instead; storage and rotation are the platform\'s job.',
    });
  }
  return findings;
}
