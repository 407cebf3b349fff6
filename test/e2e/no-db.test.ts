import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseYaml } from 'yaml';
import { freePort, HOST, request, waitForHealthy } from '../support/http.ts';
import { assertAppTestsPassed, parseJsonLines, procfile, startProcess } from '../support/processes.ts';
import { generatedApp } from '../support/scaffold.ts';

const test = suite('generated api without a database (--db none)');
const FLAGS = ['--kind', 'api', '--db', 'none', '--yes'];

test('builds, passes its own tests, and declares only a web process', async () => {
  const { dir } = await generatedApp(FLAGS);
  assert.equal(Object.keys(procfile(dir)), ['web']);
  // No backing service to start: compose holds only the app profile's web service.
  const compose = parseYaml(fs.readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { profiles?: string[] }>;
  };
  assert.equal(
    Object.entries(compose.services).map(([name, service]) => [name, service.profiles]),
    [['web', ['app']]],
  );
  const tests = await execa('npm', ['test'], {
    cwd: dir,
    reject: false,
    extendEnv: false,
    env: { PATH: process.env.PATH ?? '' },
  });
  assertAppTestsPassed(tests);
});

test('serves /healthz and /readyz with no config at all, and drains on SIGTERM', async () => {
  const { dir } = await generatedApp(FLAGS);
  const port = await freePort();
  const web = startProcess(dir, 'web', { PORT: String(port), HOST });
  try {
    await waitForHealthy(port, web.exited);
    assert.is((await request(port, '/readyz')).status, 200);
  } finally {
    web.child.kill('SIGTERM');
  }
  const { code } = await web.exited;
  assert.is(code, 0, web.stderr());
  const events = parseJsonLines(web.lines());
  assert.is(events.at(-1)?.msg, 'shutdown complete');
});

test.run();
