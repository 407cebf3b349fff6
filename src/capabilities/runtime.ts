import { FACTS } from '../model/facts.ts';
import type { AppSpec, Contribution } from '../model/types.ts';
import { pinned } from '../model/versions.ts';

/** What every process of every kind needs: config validation, JSON logs, a build, a console, releases. */
export function runtime(spec: AppSpec): Contribution {
  // A client also has browser code: Vite builds it and checks nothing, so tsc checks it separately.
  const browser = spec.kind === 'client';
  return {
    dependencies: pinned('pino', 'zod'),
    devDependencies: pinned('@biomejs/biome', '@changesets/cli', '@types/node', 'esbuild', 'typescript'),
    scripts: [
      browser
        ? {
            name: 'build',
            command: 'tsc --noEmit && node build.ts && vite build',
            description: `Type-check, bundle the server in \`src/\` into \`dist/\` (\`build.ts\`) and the browser code in \`client/\` into \`${FACTS.publicDir}/\` (the build stage).`,
          }
        : {
            name: 'build',
            command: 'tsc --noEmit && node build.ts',
            description:
              'Type-check, then bundle `src/` into `dist/` with esbuild (`build.ts`): what the image runs, without `node_modules`.',
          },
      {
        name: 'test',
        // .env is read for its TEST_* URLs: the tests never use DATABASE_URL or REDIS_URL, so they
        // cannot touch a developer's own data.
        command: 'node --env-file-if-exists=.env --test "test/*.test.ts"',
        description:
          'Run the tests with Node’s own test runner; tests that need a backing service use `TEST_DATABASE_URL`/`TEST_REDIS_URL` (from the environment or `.env`).',
      },
      {
        name: 'typecheck',
        command: browser ? 'tsc -p test && tsc -p client' : 'tsc -p test',
        description: browser
          ? 'Type-check the server, the tests and the browser code.'
          : 'Type-check the sources and the tests.',
      },
      {
        name: 'console',
        command: 'node --env-file-if-exists=.env dist/console.js',
        description:
          'A REPL with `config` and `logger` ready, and the clients of the app’s backing services (an admin process; runs the build in `dist/`, as in the image).',
      },
      {
        name: 'console:dev',
        command: 'node --env-file-if-exists=.env src/console.ts',
        description: 'The console from the TypeScript sources, without a build.',
      },
      {
        name: 'lint',
        command: 'biome lint --error-on-warnings',
        description: 'Lint the sources and tests with Biome (`biome.json`); CI runs it.',
      },
      {
        name: 'format',
        command: 'biome format --write',
        description: 'Format every file Biome knows (about 120 columns), in place.',
      },
      { name: 'changeset', command: 'changeset', description: 'Describe a change for the next release.' },
    ],
    config: [
      {
        name: 'LOG_LEVEL',
        description: 'Minimum level of the JSON log events written to stdout.',
        example: 'info',
        default: 'info',
        secret: false,
        schema: "z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])",
        type: 'string',
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
        invalid: 'loud',
      },
      {
        name: 'SHUTDOWN_TIMEOUT_MS',
        description: 'After SIGTERM, how long draining may take before the process gives up and exits 1.',
        example: '10000',
        default: '10000',
        secret: false,
        schema: 'integer(1, 2_147_483_647)',
        type: 'number',
        error: 'must be an integer between 1 and 2147483647',
        invalid: '0',
      },
    ],
    templateDirs: ['base'],
    ownership: [
      {
        path: 'src/services.ts',
        owner: 'rendered',
        what: 'the clients of the backing services: created, checked by /readyz, closed',
      },
      { path: 'src/config.ts', owner: 'rendered', what: 'every environment variable, validated' },
      {
        path: 'package.json, .env.example, Procfile, docker-compose.yml, deploy/, Dockerfile, .github/',
        owner: 'rendered',
        what: 'projections of the app model (package.json is merged key by key)',
      },
    ],
    buildInputs: ['tsconfig.json', 'build.ts', 'src'],
    entryPoints: ['console'],
    // A release identifies code, not config: written into dist/ by the build, never read from the environment.
    buildSteps: ['node src/release.ts'],
  };
}
