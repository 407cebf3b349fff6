import type { CheckContext } from '../context.ts';
import { atEach, type Finding } from '../types.ts';

/** 11. Logs are an event stream on stdout; the app never writes or rotates log files. */
export function logs({ facts }: CheckContext): Finding[] {
  return [
    ...atEach(facts.fileTransports, 'logs', (transport) => ({
      severity: 'fail',
      message: `Logging is configured to write to a file: ${transport.what}.`,
      hint: 'Log one event per line to stdout and let the platform route and store it.',
    })),
    ...atEach(facts.fileWrites.filter((write) => write.kind === 'log'), 'logs', (write) => ({
      severity: 'fail',
      message: `The app writes a log file (${write.target}).`,
      hint: "Write log events to stdout instead; storage and rotation are the platform's job.",
    })),
  ];
}
