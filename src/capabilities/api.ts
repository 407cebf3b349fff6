import type { AppSpec, Contribution } from '../model/types.ts';
import { pinned } from '../model/versions.ts';
import { webProcess } from './web.ts';

export const DEFAULT_PORT = 3000;

/** The HTTP API kind: a `web` process type that binds `PORT` and drains on SIGTERM. */
export function api(_spec: AppSpec): Contribution[] {
  return [
    webProcess(DEFAULT_PORT),
    {
      // Browsers call an API from another origin (a client app is one); CORS is how the API says which.
      dependencies: pinned('@fastify/cors'),
      scripts: [
        {
          name: 'dev',
          command: 'node --env-file-if-exists=.env --watch src/server.ts',
          description: 'Run the web process from the TypeScript sources, restarting on change, with `.env` loaded.',
        },
      ],
      config: [
        {
          name: 'CORS_ORIGINS',
          description:
            'Comma-separated browser origins allowed to call this API, e.g. the URL of a client app (empty: none, same-origin only).',
          example: 'http://localhost:5173',
          default: '',
          secret: false,
          // Origins only (scheme, host, port): a path or a wildcard here is a mistake worth stopping on.
          schema: 'z.string().check(z.regex(/^\\s*(https?:\\/\\/[^\\s,/]+\\s*(,\\s*https?:\\/\\/[^\\s,/]+\\s*)*)?$/))',
          type: 'string',
          error: 'must be a comma-separated list of origins such as https://app.example.com',
          invalid: 'app.example.com',
        },
      ],
      templateDirs: ['api'],
      ownership: [
        {
          path: 'src/routes/capabilities.ts',
          owner: 'rendered',
          what: 'the routes capabilities add (`/notes`, `POST /jobs/example`)',
        },
      ],
    },
  ];
}
