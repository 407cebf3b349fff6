import type { Contribution } from '../model/types.ts';
import { pinned } from '../model/versions.ts';

/**
 * What every long-running process that answers /healthz and /readyz shares: the web process on PORT,
 * the worker on HEALTH_PORT. Both capabilities include it; the model keeps one copy.
 */
export const probes: Contribution = {
  dependencies: pinned('fastify'),
  config: [
    {
      name: 'HOST',
      description: 'Address the HTTP listeners bind; 0.0.0.0 accepts connections from outside a container.',
      example: '0.0.0.0',
      default: '0.0.0.0',
      secret: false,
      schema: 'z.string()',
      type: 'string',
      error: 'must be a host name or IP address',
    },
    {
      name: 'LOG_HEALTH_PROBES',
      description: 'Also log requests to /healthz and /readyz (off: probes would drown the request log).',
      example: 'false',
      default: 'false',
      secret: false,
      schema: 'boolean()',
      type: 'boolean',
      error: 'must be true or false',
      invalid: 'yes',
    },
  ],
  templateDirs: ['probes'],
};
