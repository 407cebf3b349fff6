import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { ProcessState } from './health.ts';
import { exitAfterLogs, type Logger } from './logger.ts';
import { onFirstSignal } from './process.ts';

export interface ShutdownOptions {
  server: Server;
  logger: Logger;
  state: ProcessState;
  /** Time to keep serving normally after the signal, while the load balancer takes us out. */
  delayMs: number;
  /** Deadline for the whole shutdown, counted from the signal. */
  timeoutMs: number;
  /** Releases everything else (database pool, ...) once the last connection is gone. */
  onClose: () => Promise<void>;
  /** How long a connection without a request in progress may stay open while draining. */
  idleGraceMs?: number;
  exit?: (code: number) => void;
}

interface Connection {
  responses: Set<ServerResponse>;
  idleSince: number;
}

const SWEEP_INTERVAL_MS = 100;

/**
 * Must be created before the server accepts connections: it tracks every one of them.
 * Returns the handler for SIGTERM/SIGINT.
 */
export function createShutdown({
  server,
  logger,
  state,
  delayMs,
  timeoutMs,
  onClose,
  idleGraceMs = 1_000,
  exit = (code) => exitAfterLogs(logger, code),
}: ShutdownOptions): (signal: string) => void {
  const connections = new Map<Socket, Connection>();
  let draining = false;
  let deadline: NodeJS.Timeout | undefined;

  server.on('connection', (socket: Socket) => {
    connections.set(socket, { responses: new Set(), idleSince: performance.now() });
    socket.once('close', () => connections.delete(socket));
  });

  // Prepended so that it runs before Fastify's handler can write the response head.
  server.prependListener('request', (req, res) => {
    if (draining) res.setHeader('connection', 'close');
    const connection = connections.get(req.socket);
    if (connection === undefined) return;
    connection.responses.add(res);
    res.once('close', () => {
      connection.responses.delete(res);
      connection.idleSince = performance.now();
    });
  });

  // A keep-alive connection between two requests may be closed, but not the instant it goes idle:
  // its client may have sent the next request already and would see a reset. After idleGraceMs
  // that race is as unlikely as with any keep-alive timeout. A connection whose request head never
  // completed counts as idle too, so a stalled client cannot hold shutdown open.
  function closeIdleConnections(): void {
    const now = performance.now();
    for (const [socket, connection] of connections) {
      if (connection.responses.size === 0 && now - connection.idleSince >= idleGraceMs) socket.destroy();
    }
  }

  function drain(): void {
    draining = true;
    // Responses still being prepared tell their clients to go elsewhere too; Node closes each
    // connection once its `Connection: close` response has been sent.
    for (const { responses } of connections.values()) {
      for (const res of responses) if (!res.headersSent) res.setHeader('connection', 'close');
    }
    const sweep = setInterval(closeIdleConnections, SWEEP_INTERVAL_MS);
    closeIdleConnections();
    // Not http.Server#close(): it also destroys every connection that looks idle at this instant,
    // including keep-alive connections whose next request is already on the wire, so those clients
    // get a reset. net.Server#close() only stops accepting and calls back once the last connection
    // has closed.
    NetServer.prototype.close.call(server, () => {
      clearInterval(sweep);
      void finish();
    });
  }

  async function finish(): Promise<void> {
    let code = 0;
    try {
      await onClose();
      logger.info('shutdown complete');
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      code = 1;
    }
    clearTimeout(deadline);
    exit(code);
  }

  return onFirstSignal(logger, state, { delayMs, timeoutMs }, () => {
    // A client that stalls mid-request, or a pool that will not close, must not keep us alive.
    deadline = setTimeout(() => {
      logger.error({ openConnections: connections.size }, 'shutdown timed out');
      exit(1);
    }, timeoutMs);
    setTimeout(drain, delayMs);
  });
}
