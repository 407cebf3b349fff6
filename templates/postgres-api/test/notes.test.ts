import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { requiredEnv } from './env.ts';
import { testService } from './services.ts';
import { reachableServices, setup } from './setup.ts';

test('GET /readyz answers 503 when the database does not answer', async (t) => {
  // requiredEnv points DATABASE_URL at a port where nothing listens.
  const { app, close } = setup();
  t.after(close);
  const response = await app.inject('/readyz');
  assert.equal(response.statusCode, 503);
});

test('POST /notes rejects an invalid body with 400', async (t) => {
  const { app, close } = setup();
  t.after(close);
  const response = await app.inject({ method: 'POST', url: '/notes', payload: { text: '' } });
  assert.equal(response.statusCode, 400);
});

const { url: DATABASE_URL, skip } = await testService('TEST_DATABASE_URL', 'start PostgreSQL (docker compose up -d postgres, or your own server) and point the variable at it');

test(
  'notes round-trip through a real database',
  { skip },
  async (t) => {
    // The real migration command, as `npm run migrate` runs it: it creates the test database when missing.
    execFileSync(process.execPath, ['src/migrate.ts', 'up', '--create-database'], {
      cwd: path.join(import.meta.dirname, '..'),
      // The other required variables only need to be valid: migrate reaches nothing else.
      env: { ...process.env, ...requiredEnv, DATABASE_URL, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // Readiness needs every backing service, so it is checked only where the environment has them all.
    const services = reachableServices();
    const { app, close } = setup(services);
    t.after(close);

    if (Object.keys(services).length === Object.keys(requiredEnv).length) {
      assert.equal((await app.inject('/readyz')).statusCode, 200);
    }
    const text = `note ${Date.now()}`;
    const created = await app.inject({ method: 'POST', url: '/notes', payload: { text } });
    assert.equal(created.statusCode, 201);
    const note = created.json();
    assert.equal(note.text, text);

    const listed = await app.inject('/notes');
    assert.equal(listed.statusCode, 200);
    assert.deepEqual(listed.json()[0], note);
  },
);
