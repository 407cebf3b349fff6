import fs from 'node:fs';
import path from 'node:path';
import { freePort, keepAliveLoad } from '../../test/support/http.ts';
import { procfile } from '../../test/support/processes.ts';
import { bareFastify, binOf, installPeer, PEER_VERSIONS } from '../peers.ts';
import { interleaved, ratio, type Summary, summarize } from '../stats.ts';
import {
  type Cell,
  type Context,
  healthyAfter,
  isSummary,
  type Row,
  run,
  runTimed,
  type Server,
  startServer,
  stop,
  tempDir,
  unavailable,
  within,
} from '../util.ts';
import { type ApiApp, apiApp, webEnv } from './api.ts';

function compare(
  id: string,
  scenario: string,
  unit: string,
  ours: Summary,
  baselineName: string,
  baseline: Cell,
  target: string,
  meets: (r: number) => boolean,
  note?: string,
): Row {
  if (!isSummary(baseline))
    return {
      id,
      scenario,
      unit,
      ours,
      baselineName,
      baseline,
      ratio: null,
      target,
      met: null,
      ...(note ? { note } : {}),
    };
  const r = ratio(ours, baseline);
  return {
    id,
    scenario,
    unit,
    ours,
    baselineName,
    baseline,
    ratio: r,
    target,
    met: meets(r),
    ...(note ? { note } : {}),
  };
}

interface Started {
  server: Server;
  port: number;
  ms: number;
}

async function startOurs(app: ApiApp, extra: Record<string, string> = {}): Promise<Started> {
  const port = await freePort();
  const begun = performance.now();
  const server = startServer(app.dir, procfile(app.dir).web!, webEnv(app, port, extra));
  try {
    return { server, port, ms: await healthyAfter(server, port, begun) };
  } catch (err) {
    await stop(server);
    throw err;
  }
}

async function startBare(serverFile: string, logger: boolean): Promise<Started> {
  const port = await freePort();
  const begun = performance.now();
  const server = startServer(path.dirname(serverFile), `node ${path.basename(serverFile)}`, {
    PORT: String(port),
    FASTIFY_LOGGER: logger ? '1' : '0',
  });
  try {
    return { server, port, ms: await healthyAfter(server, port, begun) };
  } catch (err) {
    await stop(server);
    throw err;
  }
}

async function fastifyVersion(app: ApiApp): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const lock = JSON.parse(await readFile(path.join(app.dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages['node_modules/fastify']?.version;
  if (!version) throw new Error('fastify is not in the generated lockfile');
  return version;
}

/** 4. Cold start: spawn (`sh -c 'exec node …'`) to the first 200 from /healthz, interleaved. */
export async function coldStart(ctx: Context): Promise<Row[]> {
  const app = await apiApp(ctx);
  const version = await fastifyVersion(app);
  const bare = await bareFastify(version);
  const cache = await warmCompileCache(ctx, app);
  const fns: Record<string, () => Promise<number>> = {
    ours: async () => {
      const started = await startOurs(app);
      await stop(started.server);
      return started.ms;
    },
    oursCached: async () => {
      const started = await startOurs(app, { NODE_COMPILE_CACHE: cache });
      await stop(started.server);
      return started.ms;
    },
  };
  if (bare.ok && bare.server) {
    const file = bare.server;
    fns.bare = async () => {
      const started = await startBare(file, false);
      await stop(started.server);
      return started.ms;
    };
  }
  for (const fn of Object.values(fns)) await fn(); // warm the file system cache, unmeasured
  const samples = await interleaved(ctx.reps(9, 3), fns);
  ctx.extra.coldStart = samples;
  const baseline: Cell = samples.bare ? summarize(samples.bare) : unavailable(bare.ok ? 'no server' : bare.reason);
  return [
    compare(
      '4',
      'cold start: spawn → /healthz 200',
      'ms',
      summarize(samples.ours!),
      `bare Fastify ${version}`,
      baseline,
      '≤ 1.3×',
      (r) => r <= 1.3,
    ),
    compare(
      '4b',
      "cold start with the compile cache the image's build fills",
      'ms',
      summarize(samples.oursCached!),
      `bare Fastify ${version}`,
      baseline,
      '≤ 1.3× (stretch ≤ 1.1×)',
      (r) => r <= 1.3,
    ),
  ];
}

/** Fills a compile cache as the generated Dockerfile does: its warm-up RUN step, run here in the app's folder. */
async function warmCompileCache(ctx: Context, app: ApiApp): Promise<string> {
  const dockerfile = fs.readFileSync(path.join(app.dir, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, '');
  const step = /^ENV NODE_COMPILE_CACHE=.*\nRUN (.+)$/m.exec(dockerfile)?.[1];
  if (!step) throw new Error("the app's Dockerfile fills no compile cache");
  const cache = tempDir(ctx, 'compile-cache');
  await run('/bin/sh', ['-c', step], {
    cwd: app.dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_COMPILE_CACHE: cache },
    timeoutMs: 30_000,
  });
  return cache;
}

interface Cannon {
  rps: number;
  non2xx: number;
  errors: number;
}

/** 5. Throughput with autocannon: 10 connections, `duration` s per run, each server kept warm. */
export async function throughput(ctx: Context): Promise<Row[]> {
  const app = await apiApp(ctx);
  const version = await fastifyVersion(app);
  const [cannonPeer, bare] = await Promise.all([
    installPeer('autocannon', { autocannon: PEER_VERSIONS.autocannon }),
    bareFastify(version),
  ]);
  if (!cannonPeer.ok) throw new Error(cannonPeer.reason);
  const cannon = binOf(cannonPeer.peer, 'autocannon');
  const duration = ctx.quick ? 2 : 5;
  const load = async (port: number, urlPath: string, seconds = duration): Promise<Cannon> => {
    const done = await run(
      process.execPath,
      [cannon, '-j', '-c', '10', '-d', String(seconds), `http://127.0.0.1:${port}${urlPath}`],
      { cwd: cannonPeer.peer.dir, timeoutMs: (seconds + 30) * 1000 },
    );
    const result = JSON.parse(done.stdout) as { requests: { average: number }; non2xx: number; errors: number };
    return { rps: result.requests.average, non2xx: result.non2xx, errors: result.errors };
  };
  const servers: Started[] = [];
  const raw: Record<string, Cannon[]> = {};
  try {
    const ours = await startOurs(app);
    servers.push(ours);
    const oursLoggedProbes = await startOurs(app, { LOG_HEALTH_PROBES: 'true' });
    servers.push(oursLoggedProbes);
    const targets: Record<string, { port: number; path: string }> = {
      oursHealthz: { port: ours.port, path: '/healthz' },
      oursNotes: { port: ours.port, path: '/notes' },
      oursHealthzLogged: { port: oursLoggedProbes.port, path: '/healthz' },
    };
    if (bare.ok && bare.server) {
      const plain = await startBare(bare.server, false);
      servers.push(plain);
      const logged = await startBare(bare.server, true);
      servers.push(logged);
      targets.bare = { port: plain.port, path: '/healthz' };
      targets.bareLogged = { port: logged.port, path: '/healthz' };
    }
    for (const target of Object.values(targets)) await load(target.port, target.path, 1); // JIT warm-up, unmeasured
    const fns = Object.fromEntries(
      Object.entries(targets).map(([key, target]) => [
        key,
        async () => {
          const result = await load(target.port, target.path);
          (raw[key] ??= []).push(result);
          if (result.non2xx > 0 || result.errors > 0)
            throw new Error(`${key}: ${result.non2xx} non-2xx, ${result.errors} errors`);
          return result.rps;
        },
      ]),
    );
    const samples = await interleaved(ctx.reps(3, 1), fns);
    ctx.extra.throughput = { connections: 10, durationS: duration, raw };
    const s = (key: string) => summarize(samples[key]!);
    const base: Cell = samples.bare ? s('bare') : unavailable(bare.ok ? 'no server' : bare.reason);
    const baseName = `bare Fastify ${version}, no logger`;
    const rows = [
      compare(
        '5a',
        'req/s GET /healthz (not logged, as shipped)',
        'req/s',
        s('oursHealthz'),
        baseName,
        base,
        '≥ 0.9×',
        (r) => r >= 0.9,
      ),
      compare(
        '5b',
        'req/s GET /notes (Postgres, 1 log line/req)',
        'req/s',
        s('oursNotes'),
        baseName,
        base,
        '≥ 0.7×',
        (r) => r >= 0.7,
        '20 rows from Postgres per request',
      ),
      compare(
        '5c',
        'req/s GET /healthz, LOG_HEALTH_PROBES=true (1 line/req)',
        'req/s',
        s('oursHealthzLogged'),
        baseName,
        base,
        '≥ 0.7×',
        (r) => r >= 0.7,
      ),
    ];
    if (samples.bareLogged && isSummary(base)) {
      rows.push(
        compare(
          '5d',
          'req/s bare Fastify, default logger (2 lines/req)',
          'req/s',
          s('bareLogged'),
          baseName,
          base,
          '—',
          () => true,
          'for reference: what Fastify’s own request logging costs',
        ),
      );
      rows.at(-1)!.met = null;
    }
    return rows;
  } finally {
    for (const started of servers) await stop(started.server);
  }
}

/** 6. SIGTERM → exit, idle and under load from 50 keep-alive clients; failed requests counted. */
export async function shutdown(ctx: Context): Promise<Row[]> {
  const app = await apiApp(ctx);
  const idle: number[] = [];
  for (let rep = 0; rep < ctx.reps(5, 2); rep++) {
    const { server } = await startOurs(app);
    const sent = performance.now();
    server.child.kill('SIGTERM');
    const { code, at } = await within(server.exited, 30_000, 'exit after SIGTERM');
    if (code !== 0) throw new Error(`idle SIGTERM: exit ${code}: ${server.tail().slice(-300)}`);
    idle.push(at - sent);
  }
  const loaded: number[] = [];
  const failures: number[] = [];
  const runs: unknown[] = [];
  for (let rep = 0; rep < ctx.reps(3, 1); rep++) {
    const { server, port } = await startOurs(app);
    const load = keepAliveLoad(port, {
      clients: 50,
      paths: ['/notes', '/healthz'],
      maxRequestsPerClient: 5_000,
      maxMs: 20_000,
    });
    const begun = performance.now();
    while (load.counts.responses < 500 && performance.now() - begun < 5_000)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const before = load.counts.responses;
    const sent = performance.now();
    server.child.kill('SIGTERM');
    const [{ code, at }, counts] = await within(
      Promise.all([server.exited, load.done]),
      30_000,
      'exit and end of load',
    );
    loaded.push(at - sent);
    // Refusals are new connections after the listener closed: never accepted. Everything else failed.
    const failed = counts.resets + counts.timeouts + counts.other + counts.non200;
    failures.push(failed);
    runs.push({ code, before, ...counts, exitMs: Math.round(at - sent) });
  }
  ctx.extra.shutdown = { idle, underLoad: runs };
  const failedTotal = failures.reduce((a, b) => a + b, 0);
  return [
    {
      id: '6a',
      scenario: 'SIGTERM → exit, idle',
      unit: 'ms',
      ours: summarize(idle),
      baselineName: '—',
      baseline: null,
      ratio: null,
      target: '—',
      met: null,
    },
    {
      id: '6b',
      scenario: 'SIGTERM → exit, 50 keep-alive clients',
      unit: 'ms',
      ours: summarize(loaded),
      baselineName: '—',
      baseline: null,
      ratio: null,
      target: `< 10000 ms (SHUTDOWN_TIMEOUT_MS)`,
      met: summarize(loaded).max < 10_000,
    },
    {
      id: '6c',
      scenario: 'failed requests during SIGTERM under load',
      unit: 'requests',
      ours: summarize(failures),
      baselineName: '—',
      baseline: null,
      ratio: null,
      target: '0',
      met: failedTotal === 0,
      note: `${failedTotal} in ${failures.length} runs`,
    },
  ];
}
