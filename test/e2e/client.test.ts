import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { launchBrowser, outputPath } from '../support/browser.ts';
import { freePort, HOST, request, waitForHealthy } from '../support/http.ts';
import { assertAppTestsPassed, parseJsonLines, procfile, type Running, startProcess } from '../support/processes.ts';
import { generatedApp } from '../support/scaffold.ts';
import { startReceiver } from '../support/spotlight.ts';

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
      // The app reports errors (the default): the page's DSN (none here) and environment are public too.
      assert.equal(JSON.parse(reply.body), {
        API_URL: urls[index],
        SENTRY_BROWSER_DSN: '',
        SENTRY_ENVIRONMENT: 'production',
        release: releaseOf(dir),
      });
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

/** The release the build baked into dist/release.json. */
function releaseOf(dir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(dir, 'dist', 'release.json'), 'utf8')) as { release: string }).release;
}

/**
 * A copy of the built client whose page throws while rendering at `?render-error`, built again: the
 * user's own bug, as a user would write it. node_modules is linked, not copied.
 */
async function clientWithRenderError(dir: string): Promise<string> {
  const copy = fs.mkdtempSync(path.join(path.dirname(dir), 'faulty-'));
  for (const entry of fs.readdirSync(dir)) {
    if (entry === 'node_modules') fs.symlinkSync(path.join(dir, entry), path.join(copy, entry));
    else fs.cpSync(path.join(dir, entry), path.join(copy, entry), { recursive: true });
  }
  const app = path.join(copy, 'client', 'App.tsx');
  const source = fs.readFileSync(app, 'utf8');
  const body = 'export function App({ config }: { config: RuntimeConfig }) {\n';
  assert.ok(source.includes(body), 'client/App.tsx declares App as expected');
  fs.writeFileSync(
    app,
    source.replace(
      body,
      `${body}  if (window.location.search === '?render-error') throw new Error('render error from the page');\n`,
    ),
  );
  const built = await execa('npm', ['run', 'build'], { cwd: copy, reject: false });
  assert.is(built.exitCode, 0, `${built.stdout}\n${built.stderr}`);
  return copy;
}

test('in Chromium, with SENTRY_BROWSER_DSN the page reports uncaught errors, rejections and render errors with the release to a real receiver; without it the SDK is never loaded', async () => {
  const { dir } = await generatedApp(CLIENT);
  const faulty = await clientWithRenderError(dir);
  const browser = await launchBrowser();
  const receiver = await startReceiver();
  const servers: Running[] = [];
  try {
    const release = releaseOf(faulty);
    const reporting = await startWeb(
      faulty,
      { API_URL: `http://${HOST}:9`, SENTRY_BROWSER_DSN: receiver.dsn, SENTRY_ENVIRONMENT: 'e2e-browser' },
      servers,
    );
    const silent = await startWeb(faulty, { API_URL: `http://${HOST}:9` }, servers);

    // Without a DSN: the page works and never asks for the SDK's chunk.
    const plain = await browser.newPage();
    const requested: string[] = [];
    plain.on('request', (request) => requested.push(request.url()));
    await plain.goto(`http://${HOST}:${silent.port}/`);
    await plain.getByTestId('api-status').waitFor({ timeout: 10_000 });
    assert.ok(
      requested.some((url) => url.includes('/assets/index-')),
      requested.join('\n'),
    );
    assert.not.ok(
      requested.some((url) => /\/assets\/sentry-/.test(url)),
      `the SDK was loaded without a DSN:\n${requested.join('\n')}`,
    );

    const page = await browser.newPage();
    await page.goto(`http://${HOST}:${reporting.port}/`);
    await page.getByTestId('api-status').waitFor({ timeout: 10_000 });
    // Wait until the SDK is running: it loads after /config.json, in its own chunk.
    await page
      .waitForResponse((response) => /\/assets\/sentry-/.test(response.url()), { timeout: 10_000 })
      .catch(() => {});
    await page.waitForTimeout(200);
    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error('uncaught error from the page');
      }, 0);
      setTimeout(() => void Promise.reject(new Error('unhandled rejection from the page')), 0);
    });
    const uncaught = await receiver.waitForError((event) => event.messages.includes('uncaught error from the page'));
    const rejected = await receiver.waitForError((event) =>
      event.messages.includes('unhandled rejection from the page'),
    );

    const broken = await browser.newPage();
    await broken.goto(`http://${HOST}:${reporting.port}/?render-error`);
    const fallback = broken.getByRole('alert');
    await fallback.waitFor({ timeout: 10_000 });
    assert.match(String(await fallback.textContent()), /Something went wrong on this page/);
    await broken.screenshot({ path: outputPath('client-page-render-error.png') });
    const rendered = await receiver.waitForError((event) => event.messages.includes('render error from the page'));

    for (const event of [uncaught, rejected, rendered]) {
      assert.is(event.release, release, event.raw);
      assert.is(event.environment, 'e2e-browser', event.raw);
    }
    await Promise.all(servers.splice(0).map(stopCleanly));
  } finally {
    await browser.close();
    await killAll(servers);
    await receiver.stop();
    fs.rmSync(faulty, { recursive: true, force: true });
  }
});

test.run();
