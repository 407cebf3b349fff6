import type { AppModel } from '../../model/types.ts';

/** The README's PostgreSQL section. */
export function readme(model: AppModel): string {
  const run = model.packageManager.run;
  const release = model.processes.find((process) => process.release);
  return `### PostgreSQL

\`src/db.ts\` connects to \`DATABASE_URL\` with Kysely; \`/readyz\` answers 503 while the database does not answer.
Migrations live in \`src/migrations/\`: \`${run('migration:new')} -- add_users\` creates one, \`${run('migrate:dev')}\`
applies the pending ones from the sources (idempotent; safe when two run at once), \`${run('migrate')}\` the same from the build in \`dist/\`, where the image runs.
\`${run('migrate:down')}\` reverts the last from the build (it runs in the image too), \`${run('migrate:down:dev')}\` from the sources.
${release ? `The \`${release.name}\` process (\`${release.command}\`) applies them once per release, before the new processes start.` : ''}
In a deployed image, run admin tasks as one-off processes with the same code and config, for example
\`docker run --env-file prod.env IMAGE ${release?.command ?? 'node dist/migrate.js up'}\`.
`;
}
