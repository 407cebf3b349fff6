import type { AppSpec, Contribution, ProcessSchedule, ScheduledTask } from '../../model/types.ts';
import { defineCapability } from '../types.ts';
import { readme } from './readme.ts';
import { addTask, savedTasks } from './tasks.ts';
import { dependencies } from './versions.ts';

/**
 * How a scheduled run behaves on an orchestrator unless the team changes it: never two runs of one task
 * at once, a run that could not start within 5 minutes of its time is skipped, and one that runs for
 * an hour is stopped (SIGTERM, then SIGKILL after the grace period).
 */
export const SCHEDULE_DEFAULTS: Omit<ProcessSchedule, 'cron' | 'timezone'> = {
  concurrencyPolicy: 'Forbid',
  startingDeadlineSeconds: 300,
  activeDeadlineSeconds: 3_600,
};

/** The Procfile process type of a task: prefixed, so a task named `web` or `worker` is no other process. */
export function taskProcess(task: ScheduledTask): string {
  return `task-${task.name}`;
}

/**
 * Scheduled tasks as one-off processes the platform starts (factor XII): `src/tasks/<name>.ts`, run by
 * `node dist/task.js <name>` with the app's config, logger, services and error reporting; a CronJob
 * each on Kubernetes, Heroku Scheduler from the Procfile, the compose `tasks` profile locally.
 */
export const schedule = defineCapability({
  id: 'schedule',
  help: 'scheduled tasks run as one-off processes (add schedule --name <task> --cron "<expression>")',
  requires: [],
  kinds: ['api', 'worker'],
  configure: { options: ['name', 'cron', 'timezone'], apply: addTask },
  contribute,
});

function contribute(spec: AppSpec): Contribution {
  const tasks = savedTasks(spec);
  return {
    dependencies,
    scripts: [
      {
        name: 'task',
        command: 'node --env-file-if-exists=.env src/task.ts',
        description: 'Run one scheduled task now, from the sources, with `.env` loaded: `npm run task -- <name>`.',
      },
    ],
    processes: tasks.map((task) => ({
      name: taskProcess(task),
      command: `node dist/task.js ${task.name}`,
      description: `The task \`${task.name}\` (src/tasks/${task.name}.ts), started on "${task.cron}"${task.timezone ? ` (${task.timezone})` : ''}; runs to completion.`,
      schedule: { cron: task.cron, ...(task.timezone ? { timezone: task.timezone } : {}), ...SCHEDULE_DEFAULTS },
    })),
    files: {
      'src/tasks/index.ts': taskIndex(tasks),
      ...Object.fromEntries(tasks.map((task) => [`src/tasks/${task.name}.ts`, taskFile(task)])),
    },
    // The tasks are imported statically by src/tasks/index.ts, so the one entry bundles them all.
    entryPoints: ['task'],
    templateDirs: ['schedule'],
    ownership: [
      { path: 'src/tasks/<name>.ts', owner: 'yours', what: 'one scheduled task each (`add schedule` adds one)' },
      { path: 'src/tasks/index.ts', owner: 'rendered', what: 'the tasks `node dist/task.js <name>` knows' },
    ],
    readme,
  };
}

function identifier(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function taskIndex(tasks: readonly ScheduledTask[]): string {
  const imports = tasks
    .map((task) => `import { run as ${identifier(task.name)} } from './${task.name}.ts';\n`)
    .join('');
  const entries = tasks
    .map((task) =>
      task.name === identifier(task.name) ? `  ${task.name},\n` : `  '${task.name}': ${identifier(task.name)},\n`,
    )
    .join('');
  return `// Re-rendered by create-twelve-app from the tasks in .yo-rc.json (\`add schedule\`): edit the tasks
// themselves in src/tasks/<name>.ts.
import type { Task } from './context.ts';
${imports}
/** Every task \`node dist/task.js <name>\` can run, by name. */
export const tasks: Readonly<Record<string, Task>> = {
${entries}};
`;
}

function taskFile(task: ScheduledTask): string {
  // A line comment: the expression may hold `*/`, which would end a block comment.
  const when = `"${task.cron}"${task.timezone ? ` in ${task.timezone}` : ''}`;
  return `import { setTimeout as delay } from 'node:timers/promises';
import type { TaskContext } from './context.ts';

// Started on ${when} (.yo-rc.json; Kubernetes reads it from the task's CronJob).
/**
 * The task \`${task.name}\`: \`npm run task -- ${task.name}\` runs it now. Returning exits 0; throwing exits 1,
 * logged once as \`task failed\` and reported. On SIGTERM, \`signal\` aborts: pass it to everything that
 * waits and check it between steps, so the task stops at a safe point. A run may be skipped or run again
 * by hand: keep the work idempotent.
 */
export async function run({ logger, signal }: TaskContext): Promise<void> {
  // Replace with the task's work; each step is a safe point to stop at.
  for (const step of [1, 2, 3]) {
    signal.throwIfAborted();
    await delay(10, undefined, { signal });
    logger.debug({ step }, 'step done');
  }
}
`;
}
