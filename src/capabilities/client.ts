import type { AppSpec, Contribution } from '../model/types.ts';
import { pinned } from '../model/versions.ts';
import { webProcess } from './web.ts';

/** Vite's own default, so the client and an API on 3000 run side by side in development. */
export const CLIENT_PORT = 5173;

/**
 * The browser client kind: React pages built once by Vite into `dist/public/`, served by the same
 * Fastify web process as the API, which also serves the deploy's public config at `GET /config.json`.
 * Nothing about a deploy is baked into the bundle, so one build is promoted from staging to production.
 * React and Vite are build tools here: the final image carries the built assets, not them.
 */
export function client(_spec: AppSpec): Contribution[] {
  return [
    webProcess(CLIENT_PORT),
    {
      dependencies: pinned('@fastify/static'),
      devDependencies: pinned('@types/react', '@types/react-dom', '@vitejs/plugin-react', 'react', 'react-dom', 'vite'),
      scripts: [
        {
          name: 'dev',
          // Vite does not put .env into process.env; Node does, so the dev server's /config.json reads
          // the same variables, through the same validation, as the production server.
          command: 'node --env-file-if-exists=.env node_modules/vite/bin/vite.js',
          description: 'Run Vite’s dev server on `PORT` (hot reload), serving `/config.json` from the environment as production does.',
        },
      ],
      config: [
        {
          name: 'API_URL',
          description: 'Base URL of the API this client calls; served to the browser at /config.json.',
          example: 'http://localhost:3000',
          secret: false,
          public: true,
          schema: "z.url({ protocol: /^https?$/, normalize: true }).transform((url) => url.replace(/\\/+$/, ''))",
          type: 'string',
          error: 'must be an http:// or https:// URL',
          invalid: 'localhost:3000',
          unreachable: 'http://127.0.0.1:9',
        },
      ],
      templateDirs: ['client'],
      buildInputs: ['vite.config.ts', 'client'],
    },
  ];
}
