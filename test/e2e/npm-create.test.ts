import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listTree, packedCli } from '../support/scaffold.ts';
import { within } from '../support/wait.ts';

/**
 * The CLI started by the real npm, as `npm create twelve-app` starts it. `npm init <name>` runs
 * `create-<name>` from the nearest project's node_modules before the registry, so a folder inside the
 * prefix where the packed tarball is installed stands in for the published package.
 */
const test = suite('started through npm: npm create flags, Ctrl-C');

let count = 0;
async function workDir(): Promise<string> {
  const bin = await packedCli();
  const dir = path.join(path.dirname(path.dirname(path.dirname(bin))), `work-${process.pid}-${count++}`);
  fs.mkdirSync(dir);
  return dir;
}

function npm(args: string[], cwd: string) {
  return execa('npm', args, { cwd, reject: false, stdin: 'ignore' });
}

function specOf(appDir: string): { kind: string; name: string; capabilities: string[] } {
  return JSON.parse(fs.readFileSync(path.join(appDir, '.yo-rc.json'), 'utf8'))['create-twelve-app'];
}

test('npm create-style flags without -- produce the requested app, as they do after --', async () => {
  const cwd = await workDir();
  // npm knows no --kind: it hands us `my-jobs worker` and npm_config_kind=true. --name it passes whole.
  const plain = await npm(
    ['init', 'twelve-app', 'my-jobs', '--kind', 'worker', '--name', 'jobs', '--yes', '--skip-install', '--skip-git'],
    cwd,
  );
  assert.is(plain.exitCode, 0, `${plain.stdout}\n${plain.stderr}`);
  assert.is(specOf(path.join(cwd, 'my-jobs')).kind, 'worker');
  assert.is(specOf(path.join(cwd, 'my-jobs')).name, 'jobs');
  assert.match(plain.stdout, /Created jobs \(worker\)/);
  assert.not.ok(fs.existsSync(path.join(cwd, 'my-jobs', 'package-lock.json')), '--skip-install was dropped');

  const dashed = await npm(
    ['init', 'twelve-app', 'my-web', '--', '--kind', 'client', '--yes', '--skip-install', '--skip-git'],
    cwd,
  );
  assert.is(dashed.exitCode, 0, `${dashed.stdout}\n${dashed.stderr}`);
  assert.is(specOf(path.join(cwd, 'my-web')).kind, 'client');

  // --db none and --error-reporting none: two values npm split off that are the same word.
  const both = await npm(
    [
      'init',
      'twelve-app',
      'my-api',
      '--db',
      'none',
      '--error-reporting',
      'none',
      '--yes',
      '--skip-install',
      '--skip-git',
    ],
    cwd,
  );
  assert.is(both.exitCode, 0, `${both.stdout}\n${both.stderr}`);
  assert.equal(
    specOf(path.join(cwd, 'my-api')).capabilities.filter((id) => id === 'postgres' || id === 'error-reporting'),
    [],
  );
});

test('a free-form value npm split off is refused with the two ways to write it, and nothing is written', async () => {
  const cwd = await workDir();
  const result = await npm(['init', 'twelve-app', 'my-api', '--template', './house', '--yes', '--skip-install'], cwd);
  assert.is.not(result.exitCode, 0);
  assert.match(
    result.stderr,
    /create-twelve-app: npm took --template as its own option .* write --template=package\|path\|tarball, or put -- before our options/,
  );
  assert.equal(listTree(cwd), []);
});

test('Ctrl-C at a prompt under npm create exits 130 with our one line and nothing after it', async () => {
  const cwd = await workDir();
  // `script` gives the CLI a real terminal (questions are asked only in one) in a session of its own,
  // so the SIGINT it sends to its process group reaches only npm and the CLI.
  const child = spawn('script', ['-qec', 'npm init twelve-app my-api', '/dev/null'], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let sent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (!sent && output.includes('What are you building?')) {
      sent = true;
      setTimeout(() => child.stdin.write('\x03'), 200);
    }
  });
  const [code] = await within(
    new Promise<[number | null]>((resolve) => child.on('close', (exitCode) => resolve([exitCode]))),
    60_000,
    'npm create with a Ctrl-C',
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}; output:\n${output}`);
  });
  const plain = output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  assert.ok(sent, `no question was asked:\n${plain}`);
  assert.is(code, 130, plain);
  assert.ok(plain.trimEnd().endsWith('Cancelled: nothing was written.'), `something after our line:\n${plain}`);
  assert.not.match(plain, /npm error/);
  assert.equal(listTree(cwd), []);
});

test('under npx, -y is npm\'s "install without asking", not our --yes', async () => {
  const cwd = await workDir();
  const result = await npm(['exec', '--yes', 'create-twelve-app', 'my-api', '--kind', 'api', '--skip-install'], cwd);
  assert.is(result.exitCode !== 0, true);
  assert.match(result.stderr, /No terminal to ask questions in: pass .*--yes/);
  assert.equal(listTree(cwd), []);
});

test.run();
