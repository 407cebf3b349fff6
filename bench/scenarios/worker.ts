import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { freePort } from '../../test/support/http.ts';
import { procfile } from '../../test/support/processes.ts';
import { TEST_REDIS_URL as REDIS_URL, redisCommands } from '../../test/support/redis.ts';
import { installPeer, oursCli } from '../peers.ts';
import { ratio, summarize } from '../stats.ts';
import { type Context, type Row, run, type Server, startServer, stop, tempDir, within } from '../util.ts';

/** The only logical databases the bench touches; each is emptied with FLUSHDB (never FLUSHALL). */
const DB = { ours: 14, bare: 15 } as const;

/** The bits of BullMQ's Queue the bench uses (BullMQ is loaded from the cache, untyped here). */
interface Queue {
  pause(): Promise<void>;
  resume(): Promise<void>;
  addBulk(jobs: Array<{ name: string; data: unknown; opts?: unknown }>): Promise<unknown>;
  add(name: string, data: unknown, opts?: unknown): Promise<unknown>;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
  close(): Promise<void>;
}
type QueueClass = new (name: string, options: { connection: { host: string; port: number; db: number } }) => Queue;

/** The generated app's job options (src/queue.ts), used for both workers' jobs. */
const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 86_400, count: 1_000 },
  removeOnFail: { age: 604_800, count: 10_000 },
};

const BARE_WORKER = `import { setTimeout } from 'node:timers/promises';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

// A bare BullMQ worker: a no-op processor (it waits delayMs, 0 by default), closed on SIGTERM.
const connection = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
const worker = new Worker('jobs', async (job) => { if (job.data.delayMs) await setTimeout(job.data.delayMs); }, {
  connection,
  concurrency: Number(process.env.WORKER_CONCURRENCY),
});
worker.on('error', (err) => console.error(err));
worker.once('ready', () => console.log('worker ready'));
process.once('SIGTERM', async () => {
  await worker.close();
  await connection.quit();
  process.exit(0);
});
`;

/** 7. Jobs/s of the example job at concurrency 1 and 10, and SIGTERM → exit with a job in flight. */
export async function worker(ctx: Context): Promise<Row[]> {
  for (const db of Object.values(DB)) await redisCommands(db, [['FLUSHDB']]);
  const { cli } = await oursCli();
  const cwd = tempDir(ctx, 'worker');
  const dir = path.join(cwd, 'my-worker');
  await run(process.execPath, [cli, 'my-worker', '--kind', 'worker', '--yes', '--skip-git'], {
    cwd,
    timeoutMs: 240_000,
  });
  await run('npm', ['run', 'build'], { cwd: dir, timeoutMs: 120_000 });
  const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const versions = {
    bullmq: lock.packages['node_modules/bullmq']?.version ?? '',
    ioredis: lock.packages['node_modules/ioredis']?.version ?? '',
  };
  if (!versions.bullmq || !versions.ioredis) throw new Error('bullmq or ioredis missing from the worker lockfile');
  const bare = await installPeer('bare-bullmq', versions);
  if (!bare.ok) throw new Error(bare.reason);
  fs.writeFileSync(path.join(bare.peer.dir, 'worker.mjs'), BARE_WORKER);
  // Loaded as the bare worker loads it, through Node's resolution from the cache folder.
  fs.writeFileSync(path.join(bare.peer.dir, 'queue.mjs'), "export { Queue } from 'bullmq';\n");
  const { Queue } = (await import(pathToFileURL(path.join(bare.peer.dir, 'queue.mjs')).href)) as { Queue: QueueClass };
  const { hostname, port } = new URL(REDIS_URL);
  // The queue the app's worker consumes is named after the app (src/queue.ts).
  const queueName = /QUEUE_NAME = '([^']+)'/.exec(fs.readFileSync(path.join(dir, 'src', 'queue.ts'), 'utf8'))?.[1];
  if (!queueName) throw new Error("no QUEUE_NAME in the worker app's src/queue.ts");
  const queues = {
    ours: new Queue(queueName, { connection: { host: hostname, port: Number(port || 6379), db: DB.ours } }),
    bare: new Queue('jobs', { connection: { host: hostname, port: Number(port || 6379), db: DB.bare } }),
  };

  const start = async (who: 'ours' | 'bare', concurrency: number): Promise<Server> => {
    const url = `${REDIS_URL.replace(/\/\d*$/, '')}/${DB[who]}`;
    const env = {
      REDIS_URL: url,
      WORKER_CONCURRENCY: String(concurrency),
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      HEALTH_PORT: String(await freePort()),
    };
    const server =
      who === 'ours'
        ? startServer(dir, procfile(dir).worker!, env)
        : startServer(bare.peer.dir, 'node worker.mjs', env);
    try {
      await server.waitFor(/worker ready/, 20_000);
    } catch (err) {
      await stop(server);
      throw err;
    }
    return server;
  };
  const pendingCount = async (queue: Queue) => {
    const counts = await queue.getJobCounts(
      'waiting',
      'active',
      'paused',
      'prioritized',
      'delayed',
      'waiting-children',
    );
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };
  // Enough jobs for a run of a few seconds at concurrency 1: shorter runs measured mostly the polling.
  const jobs = ctx.quick ? 300 : 5_000;

  /** Jobs are queued while the queue is paused; the clock runs from resume() to the queue's last job done. */
  const jobsPerSecond = async (who: 'ours' | 'bare', concurrency: number): Promise<number> => {
    const queue = queues[who];
    await redisCommands(DB[who], [['FLUSHDB']]);
    await queue.pause();
    await queue.addBulk(
      Array.from({ length: jobs }, () => ({ name: 'example', data: { delayMs: 0 }, opts: JOB_OPTIONS })),
    );
    const server = await start(who, concurrency);
    try {
      const begun = performance.now();
      await queue.resume();
      const deadline = begun + 120_000;
      while ((await pendingCount(queue)) > 0) {
        if (performance.now() > deadline) throw new Error(`${who}: ${jobs} jobs not done within 120 s`);
        await sleep(10);
      }
      return jobs / ((performance.now() - begun) / 1000);
    } finally {
      await stop(server);
    }
  };

  const samples: Record<string, number[]> = {};
  for (const concurrency of [1, 10]) {
    for (let rep = 0; rep < ctx.reps(3, 1); rep++) {
      for (const who of ['ours', 'bare'] as const)
        (samples[`${who}c${concurrency}`] ??= []).push(await jobsPerSecond(who, concurrency));
    }
  }

  /** A job of `delayMs` 2000 is active when SIGTERM arrives; the time to exit and the exit code. */
  const inFlight: Record<string, Array<{ ms: number; code: number | null }>> = { ours: [], bare: [] };
  for (let rep = 0; rep < ctx.reps(2, 1); rep++) {
    for (const who of ['ours', 'bare'] as const) {
      const queue = queues[who];
      await redisCommands(DB[who], [['FLUSHDB']]);
      const server = await start(who, 1);
      try {
        await queue.add('example', { delayMs: 2_000 }, JOB_OPTIONS);
        const deadline = performance.now() + 10_000;
        while ((await queue.getJobCounts('active')).active !== 1) {
          if (performance.now() > deadline) throw new Error(`${who}: the job never became active`);
          await sleep(10);
        }
        const sent = performance.now();
        server.child.kill('SIGTERM');
        const { code, at } = await within(server.exited, 30_000, `${who} exits after SIGTERM`);
        inFlight[who]!.push({ ms: at - sent, code });
      } finally {
        await stop(server);
      }
    }
  }
  await queues.ours.close();
  await queues.bare.close();
  for (const db of Object.values(DB)) await redisCommands(db, [['FLUSHDB']]);
  ctx.extra.worker = { jobs, versions, samples, inFlight };

  const baseName = `bare BullMQ ${versions.bullmq} worker`;
  const rows: Row[] = [];
  for (const concurrency of [1, 10]) {
    const ours = summarize(samples[`oursc${concurrency}`]!);
    const baseline = summarize(samples[`barec${concurrency}`]!);
    const r = ratio(ours, baseline);
    rows.push({
      id: `7${concurrency === 1 ? 'a' : 'b'}`,
      scenario: `worker jobs/s, concurrency ${concurrency}`,
      unit: 'jobs/s',
      ours,
      baselineName: baseName,
      baseline,
      ratio: r,
      target: '—',
      met: null,
      note: `${jobs} jobs, delayMs 0, 2 log lines per job (ours)`,
    });
  }
  const ours = summarize(inFlight.ours!.map((x) => x.ms));
  const baseline = summarize(inFlight.bare!.map((x) => x.ms));
  rows.push({
    id: '7c',
    scenario: 'worker SIGTERM → exit, a 2 s job in flight',
    unit: 'ms',
    ours,
    baselineName: `${baseName} (worker.close())`,
    baseline,
    ratio: ratio(ours, baseline),
    target: '—',
    met: null,
    note: `exit codes ours ${inFlight.ours!.map((x) => x.code).join(',')}, bare ${inFlight.bare!.map((x) => x.code).join(',')}`,
  });
  return rows;
}
