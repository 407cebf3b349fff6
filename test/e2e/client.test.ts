import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { launchBrowser, outputPath } from '../support/browser.ts';
import { freePort, HOST, request, waitForHealthy } from '../support/http.ts';
import { assertAppTestsPassed, parseJsonLines, procfile, type Running, startProcess } from '../support/processes.ts';
import { generatedApp } from '../support/scaffold.ts';

const test = suite('generated client (--kind client)');
const CLIENT = ['--kind', 'client', '--name', 'shop-web', '--yes'];
const API = ['--kind', 'api', '--db', 'none', '--yes'];

interface Web extends Running {
  port: number;
}

/** Starts a web process and records it in `started` at once, so a `finally` stops it even if it never got healthy. */
async function startWeb(dir: string, env: Record<string, string>, started: Running[]): Promise<Web> {
  const port = await freePort();
  const web = startProcess(dir, 'web', { HOST, PORT: String(port), ...env });
  started.push(web);
  await waitForHealthy(port, web.exited);
  return { ...web, port };
}

/** After a failure: a server left running would keep the test process, and npm test, alive. */
async function killAll(started: Running[]): Promise<void> {
  for (const server of started) server.child.kill('SIGKILL');
  await Promise.all(started.map((server) => server.exited));
}

/** SIGTERM, then the contract every web process keeps: exit 0, one JSON event per line, "shutdown complete" last. */
async function stopCleanly(web: Running): Promise<void> {
  web.child.kill('SIGTERM');
  const { code } = await web.exited;
  assert.is(code, 0, web.stderr());
  const events = parseJsonLines(web.lines());
  assert.is(events.at(-1)?.msg, 'shutdown complete');
}

function filesBelow(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

test('builds the pages and the server, passes its own tests, and declares only a web process', async () => {
  const { dir } = await generatedApp(CLIENT);
  assert.equal(Object.keys(procfile(dir)), ['web']);
  assert.ok(fs.existsSync(path.join(dir, 'dist', 'public', 'index.html')), 'vite build wrote dist/public/index.html');
  assert.ok(fs.existsSync(path.join(dir, 'dist', 'server.js')), 'tsc wrote dist/server.js');
  const env = { extendEnv: false, env: { PATH: process.env.PATH ?? '' }, reject: false } as const;
  const typecheck = await execa('npm', ['run', 'typecheck'], { cwd: dir, ...env });
  assert.is(typecheck.exitCode, 0, `${typecheck.stdout}\n${typecheck.stderr}`);
  assertAppTestsPassed(await execa('npm', ['test'], { cwd: dir, ...env }));
});

test('one build, two deploys: each serves its own API_URL at /config.json, and the build holds neither', async () => {
  const { dir } = await generatedApp(CLIENT);
  const urls = ['https://api.staging.example.com', 'https://api.example.com'];
  const started: Running[] = [];
  try {
    const webs = await Promise.all(urls.map((url) => startWeb(dir, { API_URL: url }, started)));
    for (const [index, web] of webs.entries()) {
      const reply = await request(web.port, '/config.json');
      assert.is(reply.status, 200);
      assert.equal(JSON.parse(reply.body), { API_URL: urls[index] });
      assert.is(reply.headers['cache-control'], 'no-store');
    }
    await Promise.all(started.splice(0).map(stopCleanly));
  } finally {
    await killAll(started);
  }
  const example = /^API_URL=(.*)$/m.exec(fs.readFileSync(path.join(dir, '.env.example'), 'utf8'))?.[1];
  assert.ok(example, '.env.example names API_URL');
  for (const file of filesBelow(path.join(dir, 'dist'))) {
    const contents = fs.readFileSync(file, 'utf8');
    for (const value of [...urls, example]) assert.not.ok(contents.includes(value), `${file} holds ${value}`);
  }
});

test('a malformed API_URL stops the web process at once, naming the variable', async () => {
  const { dir } = await generatedApp(CLIENT);
  const web = startProcess(dir, 'web', { HOST, PORT: String(await freePort()), API_URL: 'api.example.com' });
  const { code } = await web.exited;
  assert.is(code, 1);
  assert.match(web.stderr(), /API_URL must be an http:\/\/ or https:\/\/ URL/);
  assert.not.match(web.stderr(), /api\.example\.com/);
});

test('in Chromium, the page shows what the generated API answered, and says so plainly when the API is away', async () => {
  const [client, api] = await Promise.all([generatedApp(CLIENT), generatedApp(API)]);
  // The browser first: without one the test fails at once, before any server is started.
  const browser = await launchBrowser();
  const servers: Running[] = [];
  try {
    const clientPort = await freePort();
    const origin = `http://${HOST}:${clientPort}`;
    const apiPort = await freePort();
    const apiWeb = startProcess(api.dir, 'web', { HOST, PORT: String(apiPort), CORS_ORIGINS: origin });
    servers.push(apiWeb);
    await waitForHealthy(apiPort, apiWeb.exited);
    const apiUrl = `http://${HOST}:${apiPort}`;
    const web = startProcess(client.dir, 'web', { HOST, PORT: String(clientPort), API_URL: apiUrl });
    servers.push(web);
    await waitForHealthy(clientPort, web.exited);
    const awayPort = await freePort();
    const away = startProcess(client.dir, 'web', {
      HOST,
      PORT: String(awayPort),
      API_URL: `http://${HOST}:${await freePort()}`,
    });
    servers.push(away);
    await waitForHealthy(awayPort, away.exited);

    const page = await browser.newPage();
    await page.goto(origin);
    const status = page.getByTestId('api-status');
    await status.waitFor({ timeout: 10_000 });
    // The API's own name (my-api) came over the wire: the client is shop-web.
    assert.is(await status.textContent(), `Connected to my-api at ${apiUrl}.`);
    await page.screenshot({ path: outputPath('client-page.png') });

    const unreachable = await browser.newPage();
    await unreachable.goto(`http://${HOST}:${awayPort}/some/deep/link`);
    const alert = unreachable.getByRole('alert');
    await alert.waitFor({ timeout: 10_000 });
    assert.match(String(await alert.textContent()), /cannot be reached/);
    await unreachable.screenshot({ path: outputPath('client-page-api-unreachable.png') });
    await Promise.all(servers.splice(0).map(stopCleanly));
  } finally {
    await browser.close();
    await killAll(servers);
  }
});

test.run();
