import type { AppSpec, Contribution } from '../../model/types.ts';
import { defineCapability } from '../types.ts';
import { dependencies } from './versions.ts';

/**
 * Distributed tracing with OpenTelemetry: spans for HTTP, PostgreSQL and Redis exported over OTLP/HTTP
 * to `OTEL_EXPORTER_OTLP_ENDPOINT`, trace ids in the log lines. The SDK reads the other standard
 * `OTEL_*` variables itself (OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_BSP_SCHEDULE_DELAY, …).
 */
export const tracing = defineCapability({
  id: 'tracing',
  help: 'OpenTelemetry tracing over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT)',
  requires: [],
  kinds: ['api', 'worker', 'client'],
  contribute,
});

function contribute(spec: AppSpec): Contribution {
  return {
    dependencies,
    config: [
      {
        name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
        description:
          'Base URL of an OTLP/HTTP receiver (an OpenTelemetry Collector); spans go to <url>/v1/traces. Empty: tracing is off.',
        example: '',
        default: '',
        secret: false,
        schema: "z.union([z.url({ protocol: /^https?$/ }), z.literal('')])",
        type: 'string',
        error: 'must be an http:// or https:// URL',
        invalid: 'collector:4318',
      },
      {
        name: 'OTEL_SERVICE_NAME',
        description: 'The service name on every span.',
        example: spec.name,
        default: spec.name,
        secret: false,
        schema: 'z.string().check(z.minLength(1))',
        type: 'string',
        error: 'must not be empty',
      },
    ],
    preloads: ['tracing'],
    entryPoints: ['tracing'],
    // The OpenTelemetry docs for bundled apps: what the instrumentations patch stays out of the bundle
    // (they hook `require`/`import` of these names), and so does the SDK, whose loader hook is resolved
    // from node_modules. The build copies these and what they load into dist/node_modules for the image.
    externals: ['@opentelemetry/*', 'ioredis', 'pg', 'pino'],
    templateDirs: ['tracing'],
    readme: () => `### Tracing

\`src/tracing.ts\` is loaded before the app (\`node --import\`, in the Procfile, \`start\` and the dev scripts)
and, once \`OTEL_EXPORTER_OTLP_ENDPOINT\` is set, exports spans for HTTP, PostgreSQL and Redis over
OTLP/HTTP to \`<endpoint>/v1/traces\` (an OpenTelemetry Collector, or any backend that accepts OTLP). Log
lines written inside a span carry its \`trace_id\` and \`span_id\`. The standard \`OTEL_*\` variables
(\`OTEL_EXPORTER_OTLP_HEADERS\`, \`OTEL_TRACES_SAMPLER\`, \`OTEL_RESOURCE_ATTRIBUTES\`, …) work as documented
by OpenTelemetry.
`,
  };
}
