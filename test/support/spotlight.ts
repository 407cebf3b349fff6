/**
 * A real Sentry-protocol receiver for the e2e tests: Spotlight's sidecar (npm @spotlightjs/spotlight)
 * on a free loopback port, read back through its own event stream (`GET /stream`, server-sent events,
 * each one envelope as Spotlight parsed it).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, HOST } from './http.ts';
import { waitUntil } from './wait.ts';

export interface ErrorEvent {
  eventId: string;
  tags: Record<string, string>;
  /** The event's exception messages, outermost first. */
  messages: string[];
  release: string | undefined;
  environment: string | undefined;
  /** The whole envelope as received, for "carries no secret" checks. */
  raw: string;
}

export interface Receiver {
  /** `http://public@127.0.0.1:<port>/1`: the SENTRY_DSN that sends here. */
  dsn: string;
  envelopes: () => number;
  errors: () => ErrorEvent[];
  waitForError: (match: (event: ErrorEvent) => boolean, timeoutMs?: number) => Promise<ErrorEvent>;
  stop: () => Promise<void>;
}

type EnvelopeItem = [{ type?: string }, Record<string, unknown>];

export async function startReceiver(): Promise<Receiver> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'spotlight-server.ts'), String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // Seconds on a quiet machine; a loaded one (several e2e files at once) has taken over 15.
  if (!(await waitUntil(() => output.includes('listening'), 60_000))) {
    child.kill('SIGKILL');
    throw new Error(`Spotlight did not start:\n${output}`);
  }

  const raws: string[] = [];
  const errors: ErrorEvent[] = [];
  const stream = new AbortController();
  const response = await fetch(`http://${HOST}:${port}/stream?client=e2e`, { signal: stream.signal });
  void (async () => {
    let buffer = '';
    try {
      for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          if (data === '') continue;
          raws.push(data);
          const [, items] = JSON.parse(data) as [unknown, EnvelopeItem[]];
          for (const [header, event] of items) if (header.type === 'event') errors.push(toError(event, data));
        }
      }
    } catch {
      // Aborted by stop().
    }
  })();

  return {
    dsn: `http://public@${HOST}:${port}/1`,
    envelopes: () => raws.length,
    errors: () => [...errors],
    async waitForError(match, timeoutMs = 10_000) {
      if (!(await waitUntil(() => errors.some(match), timeoutMs))) {
        throw new Error(
          `no matching error event arrived within ${timeoutMs} ms; received:\n${JSON.stringify(errors, null, 2)}`,
        );
      }
      return errors.find(match)!;
    },
    async stop() {
      stream.abort();
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function toError(event: Record<string, unknown>, raw: string): ErrorEvent {
  const values = ((event.exception as { values?: Array<{ value?: string }> } | undefined)?.values ?? []).map(
    (value) => value.value ?? '',
  );
  return {
    eventId: String(event.event_id),
    tags: (event.tags as Record<string, string> | undefined) ?? {},
    // Sentry lists chained errors innermost last; the thrown one is the last value.
    messages: values.reverse(),
    release: event.release as string | undefined,
    environment: event.environment as string | undefined,
    raw,
  };
}
