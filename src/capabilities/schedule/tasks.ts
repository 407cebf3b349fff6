import { Cron } from 'croner';
import { UserError } from '../../errors.ts';
import type { AppSpec, ScheduledTask } from '../../model/types.ts';

/**
 * A task's name becomes a file name (`src/tasks/<name>.ts`), a Procfile process type and part of a
 * Kubernetes object name: lower-case letters, digits and single dashes, starting with a letter. No dot,
 * slash or backslash can get through, so no name reaches outside `src/tasks/`.
 */
const TASK_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,29}$/;

/** Names a task cannot take: the files next to the tasks, and JavaScript's own object keys. */
const RESERVED = new Set(['index', 'context', 'constructor', 'prototype']);

/** The macros Kubernetes CronJobs accept besides five fields. */
const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/**
 * A field of the five Kubernetes reads: numbers, names (JAN, MON), `*`, `?`, ranges, lists and steps.
 * Croner also reads seconds, years and `L`/`W`/`#`, which a CronJob refuses: those are refused here first.
 */
const FIELD =
  /^(?:[*?]|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/[0-9]+)?(?:,(?:[*?]|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/[0-9]+)?)*$/;

export function checkTaskName(name: string | undefined): string {
  if (name === undefined) throw new UserError('add schedule needs --name <task> (e.g. --name nightly-report).', 2);
  if (!TASK_NAME.test(name) || RESERVED.has(name)) {
    throw new UserError(
      `--name ${JSON.stringify(name)} is not a task name: use 1 to 30 lower-case letters, digits and single dashes, starting with a letter (it becomes src/tasks/<name>.ts).`,
      2,
    );
  }
  return name;
}

/** The expression, or one sentence saying what is wrong with it; `where` names the flag or the spec field. */
export function checkCron(cron: string | undefined, timezone: string | undefined, where = '--cron'): string {
  if (cron === undefined)
    throw new UserError('add schedule needs --cron "<expression>" (e.g. --cron "0 2 * * *" for 02:00 every day).', 2);
  const expression = cron.trim().replace(/\s+/g, ' ');
  const fields = expression.split(' ');
  const shape =
    MACROS.has(expression.toLowerCase()) || (fields.length === 5 && fields.every((field) => FIELD.test(field)));
  const invalid = (why: string) =>
    new UserError(
      `${where} ${JSON.stringify(cron)} is not a cron expression a CronJob accepts (${why}): give five fields, minute hour day-of-month month day-of-week, such as "0 2 * * *", or a macro such as @daily.`,
      2,
    );
  if (!shape)
    throw invalid(
      fields.length === 5 ? 'a field has a character or form it does not accept' : `${fields.length} field(s)`,
    );
  let next: Date | null;
  try {
    next = new Cron(expression, { paused: true, ...(timezone ? { timezone } : {}) }).nextRun();
  } catch (error) {
    throw invalid((error as Error).message.replace(/^Cron\w*: /, '').replace(/\.$/, ''));
  }
  if (next === null) throw invalid('it never runs');
  return expression;
}

/** An IANA time zone as the runtime's own Intl knows it (Kubernetes reads the same database). */
export function checkTimezone(timezone: string | undefined, where = '--timezone'): string | undefined {
  if (timezone === undefined) return undefined;
  try {
    // The canonical spelling, so `europe/paris` is stored as `Europe/Paris`, as a CronJob needs it.
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
    if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(canonical)) throw new RangeError(canonical);
    return canonical;
  } catch {
    throw new UserError(
      `${where} ${JSON.stringify(timezone)} is not a time zone: give an IANA name such as Europe/Paris or UTC.`,
      2,
    );
  }
}

/** The spec's tasks, each checked again (the spec is committed by anyone who can push: untrusted input). */
export function savedTasks(spec: AppSpec): ScheduledTask[] {
  return (spec.tasks ?? []).map((task, index) => {
    const where = `.yo-rc.json: create-twelve-app.tasks.${index}`;
    const timezone = checkTimezone(task.timezone, `${where}.timezone`);
    checkCron(task.cron, timezone, `${where}.cron`);
    return task;
  });
}

/** `add schedule --name --cron [--timezone]`: the spec with one more task, or one sentence and nothing changed. */
export function addTask(spec: AppSpec, options: Readonly<Record<string, string | undefined>>): AppSpec {
  const name = checkTaskName(options.name);
  const timezone = checkTimezone(options.timezone);
  const cron = checkCron(options.cron, timezone);
  const tasks = spec.tasks ?? [];
  if (tasks.some((task) => task.name === name))
    throw new UserError(`${spec.name} already has a task named ${name}: choose another --name.`, 2);
  return { ...spec, tasks: [...tasks, { name, cron, ...(timezone ? { timezone } : {}) }] };
}
