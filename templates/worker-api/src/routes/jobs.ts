import type { FastifyPluginAsync } from 'fastify';
import { createQueue, enqueue, parsePayload } from '../queue.ts';
import { whenReady, type Redis } from '../redis.ts';

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
    // BullMQ would hold the request until Redis is back; a prompt 503 lets the client retry later.
    try {
      await whenReady(redis, AbortSignal.timeout(1_000));
    } catch {
      return reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'The job queue is unavailable.' });
    }
    const id = await enqueue(queue, 'example', payload.value);
    return reply.code(202).send({ id });
  });
};
