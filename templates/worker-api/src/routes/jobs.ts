import type { FastifyPluginAsync } from 'fastify';
import { createQueue, enqueue, parsePayload } from '../queue.ts';
import type { Redis } from '../redis.ts';

export const jobs: FastifyPluginAsync<{ redis: Redis }> = async (app, { redis }) => {
  const queue = createQueue(redis, app.log);
  app.addHook('onClose', async () => {
    await queue.close();
  });

  // 202: the work happens later, in the worker process. The id lets a client refer to the job.
  app.post('/jobs/example', async (request, reply) => {
    // The payload schema from src/queue.ts, the one the enqueue script and the worker check too.
    const payload = parsePayload('example', request.body ?? {});
    if (!payload.ok) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: payload.problem });
    const id = await enqueue(queue, 'example', payload.value);
    return reply.code(202).send({ id });
  });
};
