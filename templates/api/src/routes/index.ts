import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../services.ts';

/** The app's own routes; register each route module here. */
export const routes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  app.get('/', async () => ({ status: 'ok' }));
};
