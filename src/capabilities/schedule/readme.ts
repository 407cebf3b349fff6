import type { AppModel } from '../../model/types.ts';

/** The README's scheduled tasks section. */
export function readme(model: AppModel): string {
  const run = model.packageManager.run;
  const scheduled = model.deploy.scheduled;
  const rows = scheduled
    .map(
      (process) =>
        `| \`${process.command.split(' ').at(-1)}\` | \`${process.schedule!.cron}\` | ${process.schedule!.timezone ?? 'UTC'} | \`${process.name}: ${process.command}\` |`,
    )
    .join('\n');
  const table =
    scheduled.length > 0
      ? `| task | schedule | time zone | Procfile |\n|---|---|---|---|\n${rows}\n`
      : 'No task yet: `npx create-twelve-app add schedule --name <task> --cron "<expression>"` adds one.\n';
  return `### Scheduled tasks

Scheduled work runs as one-off processes the platform starts on a schedule, with the same code and config as
the other processes, never as timers inside a long-running process (which would run once per replica and
die with every deploy). Each task is \`src/tasks/<name>.ts\`; \`npx create-twelve-app add schedule --name <task> --cron "<expression>" [--timezone <tz>]\`
adds another.

${table}
- By hand in development: \`${run('task')} -- <name>\`; in production: \`node dist/task.js <name>\`.
- Exit codes: 0 when the task returns; 1 when it throws (one \`task failed\` log event, reported to error
  reporting); on SIGTERM the task's \`signal\` aborts, the task stops at its next safe point and the process exits 143
  (1 if it has not stopped within \`SHUTDOWN_TIMEOUT_MS\`).
- Kubernetes: a CronJob per task in \`${model.facts.kubernetesDir}/base/\` (the app's image, config and Secrets,
  \`concurrencyPolicy: Forbid\`, a run that cannot start within 5 minutes is skipped, one that runs an hour is stopped,
  no retry but the next run, the last 3 successful and failed runs kept).
- Heroku: each task is a Procfile process type (\`task-<name>\`), which Heroku does not run until told to. Add the
  Heroku Scheduler add-on and, for each task, a job whose command is the one after \`task-<name>:\` in the Procfile
  (\`node dist/task.js <name>\`). Heroku Scheduler offers every 10 minutes, hourly or daily at a UTC time only:
  pick the nearest, or use Kubernetes or another scheduler for the exact expression.
- Locally, from the image, against the compose services: \`docker compose --profile tasks run --rm task-<name>\`.
`;
}
