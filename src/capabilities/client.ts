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
          description:
            'Run Vite’s dev server on `PORT` (hot reload), serving `/config.json` from the environment as production does.',
        },
      ],
      config: [
        {
          name: 'API_URL',
          description: 'Base URL of the API this client calls; served to the browser at /config.json.',
          example: 'http://localhost:3000',
          secret: false,
          public: true,
          schema:
            "z.pipe(z.url({ protocol: /^https?$/, normalize: true }), z.transform((url: string) => url.replace(/\\/+$/, '')))",
          type: 'string',
          error: 'must be an http:// or https:// URL',
          invalid: 'localhost:3000',
          unreachable: 'http://127.0.0.1:9',
        },
      ],
      templateDirs: ['client'],
      readme: (model) => {
        const run = model.packageManager.run;
        const publicVariables = model.config
          .filter((variable) => variable.public)
          .map((variable) => `\`${variable.name}\``);
        return `### The client

The pages are React, in \`client/\`, bundled once by Vite (\`${run('build')}\`) into \`${model.facts.publicDir}/\`. The web
process (\`src/server.ts\`, the same Fastify server as our APIs) serves them on \`PORT\`: files under \`/assets/\`
are named after a hash of their content and cached for a year (\`immutable\`); \`index.html\` is revalidated
on every load, and paths without a file extension get \`index.html\`, so the page can route itself.

**No deploy's config is baked into the bundle.** The server reads its environment at startup and serves the
public variables at \`GET /config.json\` (only those listed as public in \`src/config.ts\`:
${publicVariables.join(', ')}), and the page fetches it before it calls
anything. The same \`dist/\` (the same image) therefore runs in staging and production with different
\`API_URL\`s. \`${run('dev')}\` runs Vite's dev server, which serves \`/config.json\` the same way from \`.env\`.

The API at \`API_URL\` is this client's backing service: the example page in \`client/App.tsx\` calls its
\`GET /\` and shows the answer, or says plainly that it cannot be reached. Browsers only let the page call
an API on another origin if the API allows it: set the API's \`CORS_ORIGINS\` to this client's URL
(\`http://localhost:${model.docker.expose}\` in development).
`;
      },
      buildInputs: ['vite.config.ts', 'client'],
    },
  ];
}
