import { connect } from 'node:net';

/**
 * A backing service for the tests: `TEST_DATABASE_URL`, `TEST_REDIS_URL` (from the environment or
 * `.env`), never the development URLs, so a test run cannot touch a developer's data. `skip` is false
 * when something answers at the URL's address, else the reason a test that needs it is skipped: the
 * variable, the address and how to start the service.
 */
export async function testService(variable: string, howToStart: string): Promise<{ url: string; skip: string | false }> {
  const url = process.env[variable];
  if (!url) return { url: '', skip: `${variable} is not set: copy it from .env.example into .env, then ${howToStart}` };
  const { hostname, port, protocol } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  const portNumber = Number(port || (protocol.startsWith('redis') ? 6379 : 5432));
  const answers = await new Promise<boolean>((resolve) => {
    // Generous: a refused connection fails at once; only a silent host waits this long.
    const socket = connect({ host, port: portNumber, timeout: 5_000 });
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    // Timers run before I/O in each turn of the event loop: a connection that completed while the
    // process waited for the CPU is seen in this turn's I/O phase, before setImmediate.
    socket.once('timeout', () => setImmediate(() => done(false)));
  });
  return { url, skip: answers ? false : `nothing answers at ${host}:${portNumber} (${variable}): ${howToStart}` };
}
