import type { AppModel } from '../../model/types.ts';

/** The README's worker section. */
export function readme(model: AppModel): string {
  const producers = model.routes.some((route) => route.plugin === 'jobs') ? "the API's `POST /jobs/example`, " : '';
  return `### The worker

\`src/worker.ts\` runs the jobs defined in \`src/queue.ts\` (BullMQ on Redis via \`REDIS_URL\`, queue \`${model.data.queueName}\`),
\`WORKER_CONCURRENCY\` at a time; \`src/jobs/example.ts\` is the example to replace. Producers (${producers}the
\`enqueue\` admin script) use the same typed job definitions. It answers \`GET ${model.facts.liveness}\` and \`GET ${model.facts.readiness}\`
(200 while its backing services answer) on \`HEALTH_PORT\`, and logs one JSON event per job start, completion and failure.

On SIGTERM it stops taking jobs, turns \`${model.facts.readiness}\` to 503, lets running jobs finish within
\`SHUTDOWN_TIMEOUT_MS\`, and hands any job still running back to the queue as waiting (not failed, not
lost) within ${Number(model.data.handBackMs) / 1_000} s more; a worker killed outright loses no job either, as another worker picks it up
after stall detection. Delivery is therefore at least once: **jobs must be idempotent** (use transactions or check
whether the work was already done).

**The queue's Redis must persist and must not evict.** Waiting jobs live only in Redis: a Redis that
restarts without persistence loses them, and one that evicts keys under memory pressure drops jobs
silently. Run it with the append-only file on (\`appendonly yes\`) and \`maxmemory-policy noeviction\` (a full
Redis then refuses new jobs with an error instead), as the compose file does; on a managed Redis, choose
a plan with persistence and set the eviction policy to \`noeviction\`. Do not share it with a cache.

\`\`\`sh
${model.packageManager.run('enqueue')} -- example '{"delayMs":100}'   # prints the job id
\`\`\`
`;
}
