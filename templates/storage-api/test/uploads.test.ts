import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { requiredEnv } from './env.ts';
import { testService } from './services.ts';
import { reachableServices, setup } from './setup.ts';

test('GET /readyz answers 503 when the bucket does not answer', async (t) => {
  // requiredEnv points STORAGE_URL at a port where nothing listens.
  const { app, close } = setup();
  t.after(close);
  assert.equal((await app.inject('/readyz')).statusCode, 503);
});

test('POST /uploads rejects a content type that is not one', async (t) => {
  const { app, close } = setup();
  t.after(close);
  const response = await app.inject({ method: 'POST', url: '/uploads', payload: { contentType: 'text plain' } });
  assert.equal(response.statusCode, 400);
});

test('GET /uploads/:key refuses a key this API does not make', async (t) => {
  const { app, close } = setup();
  t.after(close);
  assert.equal((await app.inject('/uploads/..%2Fsecrets')).statusCode, 400);
});

const { url: STORAGE_URL, skip } = await testService(
  'TEST_STORAGE_URL',
  'start MinIO (docker compose up -d minio, or any S3-compatible server) and point the variable at it',
);

test('an upload round trip through presigned URLs, against a real S3-compatible server', { skip }, async (t) => {
  const services = reachableServices();
  const { app, close, services: clients } = setup({ ...services, STORAGE_URL });
  t.after(close);
  // The tests' bucket, made when the server has none of that name (compose makes it at start).
  await clients.storage.client.send(new CreateBucketCommand({ Bucket: clients.storage.bucket })).catch((err) => {
    if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(err.name)) throw err;
  });
  if (Object.keys(services).length === Object.keys(requiredEnv).length) {
    assert.equal((await app.inject('/readyz')).statusCode, 200);
  }

  const created = await app.inject({ method: 'POST', url: '/uploads', payload: { contentType: 'text/plain' } });
  assert.equal(created.statusCode, 201);
  const { key, url, method } = created.json();
  assert.equal(method, 'PUT');
  const body = `uploaded at ${new Date().toISOString()}`;
  const put = await fetch(url, { method, body, headers: { 'content-type': 'text/plain' } });
  assert.equal(put.status, 200, await put.text());

  const found = await app.inject(`/uploads/${key}`);
  assert.equal(found.statusCode, 302);
  const download = await fetch(String(found.headers.location));
  assert.equal(download.status, 200);
  assert.equal(await download.text(), body);

  const missing = await app.inject(`/uploads/${crypto.randomUUID()}`);
  assert.equal(missing.statusCode, 404);
});
