import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../db.ts';

const newNote = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  // PostgreSQL text cannot hold U+0000: refused here as a 400, rather than failing the insert with a 500.
  properties: { text: { type: 'string', minLength: 1, maxLength: 1000, pattern: '^[^\\u0000]*$' } },
} as const;

export const notes: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.get('/notes', async () =>
    db
      .selectFrom('notes')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(100)
      .execute(),
  );

  app.post<{ Body: { text: string } }>('/notes', { schema: { body: newNote } }, async (request, reply) => {
    const note = await db
      .insertInto('notes')
      .values({ text: request.body.text })
      .returningAll()
      .executeTakeFirstOrThrow();
    return reply.code(201).send(note);
  });
};
