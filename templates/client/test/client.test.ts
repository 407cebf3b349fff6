import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fastify } from 'fastify';
import { PUBLIC_VARIABLES, parseConfig } from '../src/config.ts';
import { routes } from '../src/routes/index.ts';
import { requiredEnv } from './env.ts';

/** The client's routes over a small fake build, as `vite build` lays it out. */
function serve(t: { after: (fn: () => unknown) => void }, env: NodeJS.ProcessEnv = {}, files: Record<string, string> | undefined = BUILD) {
  const publicDir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-build-'));
  for (const [name, contents] of Object.entries(files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(publicDir, name)), { recursive: true });
    fs.writeFileSync(path.join(publicDir, name), contents);
  }
  const config = parseConfig({ ...requiredEnv, LOG_LEVEL: 'silent', ...env });
  const app = fastify();
  app.register(routes, { config, services: {}, publicDir });
  t.after(async () => {
    await app.close();
    fs.rmSync(publicDir, { recursive: true, force: true });
  });
  return app;
}

const BUILD = {
  'index.html': '<!doctype html><div id="root"></div><script type="module" src="/assets/index-AbC123.js"></script>',
  'assets/index-AbC123.js': 'console.log("page")',
};

test('GET /config.json serves the public variables of this environment, and nothing else', async (t) => {
  const app = serve(t, { API_URL: 'https://api.example.com/' });
  const response = await app.inject('/config.json');
  assert.equal(response.statusCode, 200);
  const body = response.json();
  assert.equal(body.API_URL, 'https://api.example.com');
  // Only what src/config.ts lists as public (and the build's release when it has one).
  assert.deepEqual(Object.keys(body).filter((name) => name !== 'release').sort(), [...PUBLIC_VARIABLES].sort());
  assert.equal(response.headers['cache-control'], 'no-store');
});

test('index.html is revalidated on every load; hashed assets are cached for good', async (t) => {
  const app = serve(t);
  const page = await app.inject('/');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /id="root"/);
  assert.equal(page.headers['cache-control'], 'no-cache');
  const asset = await app.inject('/assets/index-AbC123.js');
  assert.equal(asset.statusCode, 200);
  assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
});

test('a path the page routes itself gets the page; a missing file is a 404', async (t) => {
  const app = serve(t);
  const deep = await app.inject('/notes/42');
  assert.equal(deep.statusCode, 200);
  assert.match(deep.body, /id="root"/);
  assert.equal((await app.inject('/assets/index-OLD.js')).statusCode, 404);
});

test('without a build, pages answer 503 and say how to build', async (t) => {
  const app = serve(t, {}, {});
  const response = await app.inject('/');
  assert.equal(response.statusCode, 503);
  assert.match(response.json().message, / run build/);
  assert.equal((await app.inject('/config.json')).statusCode, 200);
});
