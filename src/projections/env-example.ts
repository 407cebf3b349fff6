import type { AppModel, ConfigVar } from '../model/types.ts';

/** `.env.example`: every variable the app reads, with why it exists; required ones uncommented. */
export function renderEnvExample(model: AppModel): string {
  const blocks = model.config.map(envBlock);
  const tests = testVariables(model).map((variable) => `${variable.name}=${variable.value}`);
  return [
    '# Copy to .env for local development (`cp .env.example .env`); .env is git-ignored.',
    '# Deployments set these as real environment variables; the app validates them at startup.',
    '',
    blocks.join('\n\n'),
    ...(tests.length > 0
      ? [
          '',
          '# npm test: its own databases on the same servers, never the ones above (created when missing). Not read by the app.',
          ...tests,
        ]
      : []),
    '',
  ].join('\n');
}

/** One variable as `.env.example` (and `add`, appending to a local `.env`) writes it: its comment, then `NAME=example`. */
export function envBlock(variable: ConfigVar): string {
  const notes = [variable.description];
  notes.push(variable.default === undefined ? 'Required.' : `Optional; default ${variable.default || '(empty)'}.`);
  if (variable.secret) notes.push(`Secret: never commit it; may be given as a file path in ${variable.name}_FILE.`);
  return `# ${notes.join(' ')}\n${variable.name}=${variable.example}`;
}

export const TEST_VARIABLES_NOTE =
  '# npm test: its own databases on the same servers, never the ones above (created when missing). Not read by the app.';

/** The tests' own connection URLs (`TEST_<variable>`), one per backing service that has one. */
export function testVariables(model: AppModel): { name: string; value: string }[] {
  return model.services.flatMap((service) =>
    service.connection?.testUrl
      ? [{ name: `TEST_${service.connection.variable}`, value: service.connection.testUrl }]
      : [],
  );
}
