import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createLogger } from '../src/logger.ts';
import { createShutdown, type ShutdownOptions } from '../src/shutdown.ts';

const logger = createLogger({ LOG_LEVEL: 'silent' });

async function start(handler: http.RequestListener, options: Partial<ShutdownOptions> = {}) {
  const server = http.createServer(handler);
  const state = { shuttingDown: false };
  const exit = Promise.withResolvers<number>();
  const shutdown = createShutdown({
    server,
    logger,
    state,
    delayMs: 0,
    timeoutMs: 2_000,
    idleGraceMs: 200,
    onClose: async () => {},
    exit: exit.resolve,
    ...options,
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true });
  const get = (urlPath: string) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: urlPath, agent }, (res) => res.resume().on('end', () => resolve(res))).on('error', reject);
    });
  const stop = () => {
    agent.destroy();
    server.closeAllConnections();
    server.close();
  };
  return { server, state, shutdown, exited: exit.promise, get, stop };
}

test('drains: in-flight requests finish with Connection: close, idle connections close, exit 0', async (t) => {
  const { state, shutdown, exited, get, stop } = await start((req, res) => {
    setTimeout(() => res.end('done'), req.url === '/slow' ? 300 : 0);
  });
  t.after(stop);
  await get('/fast'); // leaves one idle keep-alive connection behind
  const slow = get('/slow');
  await new Promise((resolve) => setTimeout(resolve, 50));

  const started = performance.now();
  shutdown('SIGTERM');
  shutdown('SIGTERM'); // repeated signals must not change anything
  assert.equal(state.shuttingDown, true);

  const response = await slow;
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers.connection, 'close');
  assert.equal(await exited, 0);
  assert.ok(performance.now() - started < 1_000, 'the idle connection must not hold shutdown open');
});

test('keeps serving normally during the delay', async (t) => {
  const { state, shutdown, exited, get, stop } = await start((_req, res) => res.end('ok'), { delayMs: 300 });
  t.after(stop);
  shutdown('SIGTERM');
  const response = await get('/');
  assert.equal(state.shuttingDown, true);
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers.connection, 'keep-alive');
  assert.equal(await exited, 0);
});

test('gives up with exit 1 when a request outlives the timeout', async (t) => {
  const { shutdown, exited, get, stop } = await start(() => {}, { timeoutMs: 300 });
  t.after(stop);
  get('/hangs').catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  shutdown('SIGTERM');
  assert.equal(await exited, 1);
  assert.ok(performance.now() - started < 1_000);
});
