import type { FastifyPluginAsync } from 'fastify';
import { newObjectKey, objectExists, presignDownload, presignUpload, type Storage } from '../storage.ts';

const newUpload = {
  type: 'object',
  additionalProperties: false,
  properties: { contentType: { type: 'string', maxLength: 200, pattern: '^[\\w.+-]+/[\\w.+-]+$' } },
} as const;

// The keys this API makes (newObjectKey): nothing else can be asked for, so no path reaches other objects.
const objectKey = {
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' } },
} as const;

/**
 * Uploads without the bytes passing through the API: `POST /uploads` answers a presigned PUT URL and the
 * object's key; `GET /uploads/:key` redirects to a presigned download URL. Add authorization before use.
 */
export const uploads: FastifyPluginAsync<{ storage: Storage }> = async (app, { storage }) => {
  app.post<{ Body: { contentType?: string } | undefined }>(
    '/uploads',
    { schema: { body: newUpload } },
    async (request, reply) => {
      const key = newObjectKey();
      const url = await presignUpload(storage, key, request.body?.contentType);
      return reply.code(201).send({ key, url, method: 'PUT', expiresInSeconds: storage.expiresInSeconds });
    },
  );

  app.get<{ Params: { key: string } }>('/uploads/:key', { schema: { params: objectKey } }, async (request, reply) => {
    const { key } = request.params;
    if (!(await objectExists(storage, key))) {
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no upload ${key}` });
    }
    return reply.redirect(await presignDownload(storage, key), 302);
  });
};
