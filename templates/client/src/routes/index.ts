import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { publicConfig, type Config } from '../config.ts';
import type { Services } from '../services.ts';

/** Where `vite build` writes the pages; the same folder whether this runs from src/ or dist/. */
export const PUBLIC_DIR = fileURLToPath(new URL('../../dist/public/', import.meta.url));

// Vite names every file under assets/ after a hash of its content, so a browser may keep those for a
// year; index.html names the current ones and must be revalidated on every load, or a deploy goes unseen.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

export interface RoutesOptions {
  config: Config;
  services: Services;
  /** The built pages; tests point it elsewhere. */
  publicDir?: string;
}

/** The client's server: the deploy's public config, and the pages built once by Vite. */
export const routes: FastifyPluginAsync<RoutesOptions> = async (app, { config, publicDir = PUBLIC_DIR }) => {
  // Read at run time from this process's environment: the same build serves every deploy.
  app.get('/config.json', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return publicConfig(config);
  });

  const index = path.join(publicDir, 'index.html');
  if (!fs.existsSync(index)) {
    app.log.warn({ publicDir }, 'no built pages: run the build first');
    app.get('/*', async (_request, reply) => reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'The pages are not built: run `npm run build`.' }));
    return;
  }

  await app.register(fastifyStatic, {
    root: publicDir,
    // One route per file present at startup: a build is immutable, and anything else reaches the
    // fallback below instead of the file system.
    wildcard: false,
    cacheControl: false,
    setHeaders: (response, file) => {
      const relative = path.relative(publicDir, file).split(path.sep).join('/');
      response.setHeader('cache-control', relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
    },
  });

  // Paths the page routes itself (/notes/42) get the page; a missing file (/assets/old-hash.js,
  // /favicon.ico) stays a 404, so a stale asset is never answered with HTML.
  app.get('/*', async (request, reply) => {
    if (path.extname(request.url.split('?')[0] ?? '') !== '') return reply.callNotFound();
    reply.header('cache-control', REVALIDATE);
    return reply.sendFile('index.html');
  });
};
