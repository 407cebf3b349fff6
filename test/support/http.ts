import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every helper here talks to this address only. */
export const HOST = '127.0.0.1';

/** A port nobody listens on right now, for one server. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  method?: string;
  /** Sent as JSON (`content-type: application/json`). */
  body?: string;
  headers?: Record<string, string>;
  /** A keep-alive agent to reuse connections; by default a new connection per request. */
  agent?: http.Agent;
  timeoutMs?: number;
}

/**
 * Opens a request and collects its reply; the caller writes the body and ends it. A reply that does
 * not start within `timeoutMs` fails with an error whose `code` is `TIMEOUT`.
 */
function openRequest(port: number, urlPath: string, options: RequestOptions, headers: Record<string, string | number>) {
  const { method = 'GET', agent, timeoutMs = 5_000 } = options;
  let req!: http.ClientRequest;
  const reply = new Promise<Reply>((resolve, reject) => {
    req = http.request(
      { host: HOST, port, path: urlPath, method, agent: agent ?? false, headers, timeout: timeoutMs },
      (res) => {
        let data = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(
        Object.assign(new Error(`${method} ${urlPath} timed out after ${timeoutMs} ms`), { code: 'TIMEOUT' }),
      ),
    );
    req.on('error', reject);
  });
  return { req, reply };
}

export function request(port: number, urlPath: string, options: RequestOptions = {}): Promise<Reply> {
  const { body, headers = {} } = options;
  const { req, reply } = openRequest(
    port,
    urlPath,
    options,
    body === undefined ? headers : { 'content-type': 'application/json', ...headers },
  );
  req.end(body);
  return reply;
}

export type FailureKind = 'refused' | 'reset' | 'timeout' | 'other';

/** What a failed request ran into, as a client of a draining server sees it. */
export function failureKind(err: unknown): FailureKind {
  const code = (err as NodeJS.ErrnoException).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || message === 'socket hang up') return 'reset';
  if (code === 'TIMEOUT') return 'timeout';
  return 'other';
}

/** Polls GET /healthz until it answers 200; rejects if `gaveUp` settles first or after `timeoutMs`. */
export async function waitForHealthy(port: number, gaveUp: Promise<unknown>, timeoutMs = 10_000): Promise<void> {
  let ended = false;
  void gaveUp.then(() => (ended = true));
  const deadline = performance.now() + timeoutMs;
  for (let attempt = 0; attempt < 10_000 && performance.now() < deadline; attempt++) {
    const ok = await request(port, '/healthz', { timeoutMs: 2_000 }).then(
      (reply) => reply.status === 200,
      () => false,
    );
    if (ok) return;
    if (ended) throw new Error(`the process ended before /healthz answered 200 on port ${port}`);
    await sleep(20);
  }
  throw new Error(`/healthz on port ${port} did not answer 200 within ${timeoutMs} ms`);
}

/** Polls a probe until it answers 200 (readiness follows the first backing-service check); the last status. */
export async function statusWithin(port: number, urlPath: string, timeoutMs: number): Promise<number> {
  let status = 0;
  const deadline = performance.now() + timeoutMs;
  for (let attempt = 0; attempt < 200 && performance.now() < deadline; attempt++) {
    status = await request(port, urlPath, { timeoutMs: 2_000 }).then(
      (reply) => reply.status,
      () => 0,
    );
    if (status === 200) break;
    await sleep(50);
  }
  return status;
}

export interface SlowRequestOptions extends Omit<RequestOptions, 'body'> {
  body: string;
  /** The body is sent in this many pieces... */
  pieces: number;
  /** ...one every intervalMs, the first one intervalMs after the headers. */
  intervalMs: number;
  /** Called right before piece `index` is written; lets a test act in the middle of the body. */
  beforePiece?: (index: number) => void;
}

/**
 * A request whose headers go out at once and whose body trickles in, as from a slow client: the
 * request is in progress on the server the whole time.
 */
export function slowRequest(port: number, urlPath: string, options: SlowRequestOptions): Promise<Reply> {
  const { method = 'POST', body, pieces, intervalMs, beforePiece, headers = {}, timeoutMs = 10_000 } = options;
  const { req, reply } = openRequest(
    port,
    urlPath,
    { ...options, method, timeoutMs },
    {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...headers,
    },
  );
  req.flushHeaders();
  void (async () => {
    const size = Math.ceil(body.length / pieces);
    for (let index = 0; index < pieces; index++) {
      await sleep(intervalMs);
      if (req.destroyed) return;
      beforePiece?.(index);
      req.write(body.slice(index * size, (index + 1) * size));
    }
    req.end();
  })();
  return reply;
}

export interface HalfSent {
  /** Resolves when the connection closes, whoever closes it. */
  closed: Promise<void>;
  /** Whether the server closed the connection before `destroy()` was called. */
  closedByServer: () => boolean;
  /** What the server sent back so far (a 408 when it cut the request off). */
  received: () => string;
  destroy: () => void;
}

/** A raw connection that writes `data` (the start of a request) and then stalls. */
export async function halfSentRequest(port: number, data: string): Promise<HalfSent> {
  const socket = net.connect(port, HOST);
  let destroyedByUs = false;
  let byServer = false;
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      byServer = !destroyedByUs;
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  // Once connected, a reset from the server is an expected way for it to end the stall.
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.write(data, () => resolve()));
  return {
    closed,
    closedByServer: () => byServer,
    received: () => received,
    destroy: () => {
      if (!socket.destroyed) destroyedByUs = true;
      socket.destroy();
    },
  };
}

export interface LoadCounts {
  responses: number;
  non200: number;
  /** Responses that carried `Connection: close`; each ends its client. */
  closeHeader: number;
  refused: number;
  resets: number;
  timeouts: number;
  other: number;
  otherErrors: string[];
}

export interface LoadOptions {
  clients: number;
  /** Each client alternates between these paths. */
  paths: string[];
  /** Bounds on each client's loop. */
  maxRequestsPerClient: number;
  maxMs: number;
  timeoutMs?: number;
}

/**
 * Keep-alive clients, each sending one request after another on its connection until the server
 * answers `Connection: close`, a request fails, or a bound is reached. `counts` is live, so a test
 * can read how many responses arrived before it acted.
 */
export function keepAliveLoad(port: number, options: LoadOptions): { counts: LoadCounts; done: Promise<LoadCounts> } {
  const { clients, paths, maxRequestsPerClient, maxMs, timeoutMs = 5_000 } = options;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const counts: LoadCounts = {
    responses: 0,
    non200: 0,
    closeHeader: 0,
    refused: 0,
    resets: 0,
    timeouts: 0,
    other: 0,
    otherErrors: [],
  };
  const deadline = performance.now() + maxMs;
  const client = async (id: number) => {
    for (let n = 0; n < maxRequestsPerClient && performance.now() < deadline; n++) {
      const urlPath = paths[(n + id) % paths.length] ?? '/';
      try {
        const reply = await request(port, urlPath, { agent, timeoutMs });
        counts.responses++;
        if (reply.status !== 200) counts.non200++;
        if (reply.headers.connection === 'close') {
          counts.closeHeader++;
          return;
        }
      } catch (err) {
        const kind = failureKind(err);
        if (kind === 'refused') counts.refused++;
        else if (kind === 'reset') counts.resets++;
        else if (kind === 'timeout') counts.timeouts++;
        else {
          counts.other++;
          counts.otherErrors.push(err instanceof Error ? err.message : String(err));
        }
        return;
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, (_, id) => client(id))).then(() => {
    agent.destroy();
    return counts;
  });
  return { counts, done };
}
