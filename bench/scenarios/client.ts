import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { freePort } from '../../test/support/http.ts';
import { procfile } from '../../test/support/processes.ts';
import { bareFastify, binOf, installPeer, oursCli, PEER_VERSIONS } from '../peers.ts';
import { interleaved, ratio, type Summary, summarize } from '../stats.ts';
import {
  type Cell,
  type Context,
  healthyAfter,
  isSummary,
  type Row,
  run,
  startServer,
  stop,
  tempDir,
  unavailable,
} from '../util.ts';

/**
 * What a browser downloads on a first visit, gzipped as a server or CDN would send it: index.html and
 * the scripts and styles it names. The references are read from the built index.html, which Vite
 * writes itself in one known shape, so a pattern over it is enough here (this is a measurement, not
 * a parser of arbitrary HTML).
 */
export function firstLoadGzipBytes(publicDir: string): { bytes: number; files: string[] } {
  const html = fs.readFileSync(path.join(publicDir, 'index.html'));
  const files = [...html.toString().matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((match) => match[1]!);
  const bytes = [html, ...files.map((file) => fs.readFileSync(path.join(publicDir, file)))].reduce(
    (sum, body) => sum + gzipSync(body).length,
    0,
  );
  return { bytes, files: ['index.html', ...files] };
}

function row(
  id: string,
  scenario: string,
  unit: string,
  ours: Summary,
  baselineName: string,
  baseline: Cell,
  target: string,
  meets: (r: number) => boolean,
): Row {
  if (!isSummary(baseline)) return { id, scenario, unit, ours, baselineName, baseline, ratio: null, target, met: null };
  const r = ratio(ours, baseline);
  return { id, scenario, unit, ours, baselineName, baseline, ratio: r, target, met: meets(r) };
}

/**
 * 8. The client kind: (a) the first page load, gzipped, against create-vite's react-ts starter built the
 * same way (the same React and Vite, plus our config loading and API call); (b) spawn of the Procfile's
 * `web:` to the first 200 from /healthz, against a bare Fastify hello-world, interleaved.
 */
export async function client(ctx: Context): Promise<Row[]> {
  const { cli } = await oursCli();
  const cwd = tempDir(ctx, 'client');
  const dir = path.join(cwd, 'my-client');
  await run(process.execPath, [cli, 'my-client', '--kind', 'client', '--yes', '--skip-git'], {
    cwd,
    timeoutMs: 240_000,
  });
  await run('npm', ['run', 'build'], { cwd: dir, timeoutMs: 120_000 });
  const ours = firstLoadGzipBytes(path.join(dir, 'dist', 'public'));

  let viteBaseline: Cell;
  const vite = await installPeer('create-vite', { 'create-vite': PEER_VERSIONS['create-vite'] });
  if (vite.ok) {
    const viteDir = path.join(cwd, 'vite-app');
    // A relative name: create-vite turns an absolute path into a folder below the working directory.
    await run(process.execPath, [binOf(vite.peer, 'create-vite'), 'vite-app', '--template', 'react-ts'], {
      cwd,
      timeoutMs: 60_000,
    });
    await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: viteDir, timeoutMs: 240_000 });
    await run('npm', ['run', 'build'], { cwd: viteDir, timeoutMs: 120_000 });
    const measured = firstLoadGzipBytes(path.join(viteDir, 'dist'));
    viteBaseline = summarize([measured.bytes / 1024]);
    ctx.extra.clientFirstLoad = { ours, vite: measured };
  } else {
    viteBaseline = unavailable(vite.reason);
    ctx.extra.clientFirstLoad = { ours };
  }

  const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const bare = await bareFastify(lock.packages['node_modules/fastify']!.version!);
  const startOnce = async (cwdOf: string, command: string, env: Record<string, string>) => {
    const port = await freePort();
    const begun = performance.now();
    const server = startServer(cwdOf, command, { ...env, PORT: String(port) });
    try {
      return await healthyAfter(server, port, begun);
    } finally {
      await stop(server);
    }
  };
  const fns: Record<string, () => Promise<number>> = {
    ours: () =>
      startOnce(dir, procfile(dir).web!, { HOST: '127.0.0.1', API_URL: 'https://api.example.com', LOG_LEVEL: 'info' }),
  };
  if (bare.ok && bare.server) {
    const file = bare.server;
    fns.bare = () => startOnce(path.dirname(file), `node ${path.basename(file)}`, { FASTIFY_LOGGER: '0' });
  }
  for (const fn of Object.values(fns)) await fn(); // warm the file system cache, unmeasured
  const samples = await interleaved(ctx.reps(9, 3), fns);
  ctx.extra.clientColdStart = samples;
  return [
    row(
      '8a',
      'client: first page load, gzipped (HTML+JS+CSS)',
      'kB',
      summarize([ours.bytes / 1024]),
      `create-vite ${PEER_VERSIONS['create-vite']} react-ts`,
      viteBaseline,
      '≤ 1.1×',
      (r) => r <= 1.1,
    ),
    row(
      '8b',
      'client: spawn → /healthz 200',
      'ms',
      summarize(samples.ours!),
      'bare Fastify',
      samples.bare ? summarize(samples.bare) : unavailable(bare.ok ? 'no server' : bare.reason),
      '≤ 1.3×',
      (r) => r <= 1.3,
    ),
  ];
}
