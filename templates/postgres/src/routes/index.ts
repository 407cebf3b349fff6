import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../services.ts';
import { notes } from './notes.ts';

/** The app's own routes; register each route module here. */
export const routes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  app.register(notes, { db: services.db });
};
