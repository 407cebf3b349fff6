import path from 'node:path';
import { freshDatabase, query } from '../../test/support/databases.ts';
import { freePort, request } from '../../test/support/http.ts';
import { procfile } from '../../test/support/processes.ts';
import { oursCli } from '../peers.ts';
import { summarize } from '../stats.ts';
import { type Context, healthyAfter, type Row, run, runTimed, startServer, stop, tempDir } from '../util.ts';

export interface ApiApp {
  dir: string;
  /** A migrated database holding a few notes, for the runtime scenarios. */
  databaseUrl: string;
}

let shared: ApiApp | undefined;

/** The env every web process of the generated API gets, as shipped (LOG_LEVEL=info). */
export function webEnv(app: ApiApp, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'info', ...extra };
}

/**
 * 2. Time to a healthy app: `create-twelve-app my-api --kind api --yes --skip-git` (with its install,
 * npm cache warm) → `npm run build` → the Procfile's `release:` against a fresh database → its `web:`
 * until the first 200 from /healthz. The last app built is kept for the runtime scenarios.
 */
export async function timeToHealthy(ctx: Context): Promise<Row[]> {
  const { cli } = await oursCli();
  const splits: Record<string, number[]> = { 'generate+install': [], build: [], migrate: [], start: [], total: [] };
  const reps = ctx.reps(3, 1);
  // The first run warms the npm cache (a user who has installed anything before has most of it) and is not counted.
  for (let rep = -1; rep < reps; rep++) {
    const cwd = tempDir(ctx, 'healthy');
    const dir = path.join(cwd, 'my-api');
    const generated = await runTimed(process.execPath, [cli, 'my-api', '--kind', 'api', '--yes', '--skip-git'], {
      cwd,
      timeoutMs: 240_000,
    });
    if (generated.code !== 0)
      throw new Error(`create-twelve-app exited ${generated.code}: ${generated.stderr.slice(-300)}`);
    if (rep < 0 && !ctx.quick) {
      ctx.log('  (warm-up run done)');
      continue;
    }
    const build = await run('npm', ['run', 'build'], { cwd: dir, timeoutMs: 120_000 });
    const databaseUrl = await freshDatabase('bench');
    const release = await runTimed('/bin/sh', ['-c', `exec ${procfile(dir).release}`], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl },
      timeoutMs: 60_000,
    });
    if (release.code !== 0) throw new Error(`release exited ${release.code}: ${release.stderr.slice(-300)}`);
    const port = await freePort();
    const begun = performance.now();
    const app = { dir, databaseUrl };
    const web = startServer(dir, procfile(dir).web!, webEnv(app, port));
    let start: number;
    try {
      start = await healthyAfter(web, port, begun);
    } finally {
      await stop(web);
    }
    const parts = { 'generate+install': generated.ms, build: build.ms, migrate: release.ms, start };
    for (const [key, value] of Object.entries(parts)) splits[key]!.push(value);
    splits.total!.push(Object.values(parts).reduce((a, b) => a + b, 0));
    shared = app;
    if (rep < 0) break; // --quick: the one run counts
  }
  const total = summarize(splits.total!);
  const split = Object.fromEntries(Object.entries(splits).map(([key, values]) => [key, summarize(values)]));
  ctx.extra.timeToHealthy = split;
  const fmt = (key: string) => `${key} ${Math.round(split[key]!.median)}`;
  return [
    {
      id: '2',
      scenario: 'time to a healthy app',
      unit: 'ms',
      ours: total,
      baselineName: '—',
      baseline: null,
      ratio: null,
      target: '< 15000 ms',
      met: total.median < 15_000,
      note: `split (medians, ms): ${['generate+install', 'build', 'migrate', 'start'].map(fmt).join(' / ')}`,
    },
  ];
}

/** The API app for the runtime scenarios: the one scenario 2 left, or a new one if it did not run. */
export async function apiApp(ctx: Context): Promise<ApiApp> {
  if (!shared) {
    const { cli } = await oursCli();
    const cwd = tempDir(ctx, 'api');
    const dir = path.join(cwd, 'my-api');
    await run(process.execPath, [cli, 'my-api', '--kind', 'api', '--yes', '--skip-git'], { cwd, timeoutMs: 240_000 });
    await run('npm', ['run', 'build'], { cwd: dir, timeoutMs: 120_000 });
    const databaseUrl = await freshDatabase('bench');
    await run('/bin/sh', ['-c', `exec ${procfile(dir).release}`], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl },
    });
    shared = { dir, databaseUrl };
  }
  const rows = await query<{ n: number }>(shared.databaseUrl, 'select count(*)::int as n from notes');
  if ((rows[0]?.n ?? 0) === 0) {
    // GET /notes then reads 20 rows, as an example route with data would.
    const port = await freePort();
    const web = startServer(shared.dir, procfile(shared.dir).web!, webEnv(shared, port));
    try {
      await healthyAfter(web, port, performance.now());
      for (let i = 0; i < 20; i++)
        await request(port, '/notes', { method: 'POST', body: JSON.stringify({ text: `note ${i}` }) });
    } finally {
      await stop(web);
    }
  }
  return shared;
}
