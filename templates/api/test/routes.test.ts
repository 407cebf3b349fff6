import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setup } from './setup.ts';

test('GET / names the service', async (t) => {
  const { app, close } = setup();
  t.after(close);
  const response = await app.inject('/');
  assert.equal(response.statusCode, 200);
  assert.equal(response.json().status, 'ok');
});

test('only the origins in CORS_ORIGINS may call the API from a browser', async (t) => {
  const { app, close } = setup({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' });
  t.after(close);
  const allowed = await app.inject({ url: '/', headers: { origin: 'https://app.example.com' } });
  assert.equal(allowed.headers['access-control-allow-origin'], 'https://app.example.com');
  const other = await app.inject({ url: '/', headers: { origin: 'https://evil.example.com' } });
  assert.equal(other.headers['access-control-allow-origin'], undefined);
});

test('with no CORS_ORIGINS, no origin is allowed', async (t) => {
  const { app, close } = setup();
  t.after(close);
  const response = await app.inject({ url: '/', headers: { origin: 'http://localhost:5173' } });
  assert.equal(response.headers['access-control-allow-origin'], undefined);
});
