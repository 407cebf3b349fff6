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
    // Generous: a refused connection fails at once, and on a busy machine (test files start in
    // parallel) a short timer can fire before the event loop has seen the connection succeed.
    const socket = connect({ host, port: portNumber, timeout: 5_000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
  return { url, skip: answers ? false : `nothing answers at ${host}:${portNumber} (${variable}): ${howToStart}` };
}
