import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setup } from './setup.ts';

test('GET /healthz answers 200, even while shutting down', async (t) => {
  const { app, state, close } = setup();
  t.after(close);
  assert.equal((await app.inject('/healthz')).statusCode, 200);
  state.shuttingDown = true;
  const response = await app.inject('/healthz');
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { status: 'ok' });
});

test('GET /readyz answers 503 once shutdown has begun', async (t) => {
  const { app, state, close } = setup();
  t.after(close);
  state.shuttingDown = true;
  const response = await app.inject('/readyz');
  assert.equal(response.statusCode, 503);
  assert.deepEqual(response.json(), { status: 'shutting down' });
});

test('echoes a sane x-request-id and replaces anything else', async (t) => {
  const { app, close } = setup();
  t.after(close);
  const echoed = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'lb-1234.abc' } });
  assert.equal(echoed.headers['x-request-id'], 'lb-1234.abc');
  const replaced = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'a b\tc' } });
  assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/);
});

test('a failing route answers a generic 500 that reveals nothing', async (t) => {
  const { app, close } = setup();
  t.after(close);
  app.get('/boom', async () => {
    throw new Error('password=hunter2 in a query');
  });
  const response = await app.inject('/boom');
  assert.equal(response.statusCode, 500);
  assert.doesNotMatch(response.body, /hunter2/);
});

test('a route that outlives REQUEST_TIMEOUT_MS answers 503, and its request.signal is aborted', async (t) => {
  const { app, close } = setup({ REQUEST_TIMEOUT_MS: '100' });
  t.after(close);
  let aborted = false;
  app.get('/slow', async (request) => {
    request.signal.addEventListener('abort', () => (aborted = true));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return { late: true };
  });
  const started = performance.now();
  const response = await app.inject('/slow');
  assert.equal(response.statusCode, 503);
  assert.ok(performance.now() - started < 900, 'cut off at the timeout, not when the route ended');
  assert.equal(aborted, true);
});
