import type { AppSpec, Contribution } from '../model/types.ts';
import { pinned } from '../model/versions.ts';

/**
 * Distributed tracing with OpenTelemetry: spans for HTTP, PostgreSQL and Redis exported over OTLP/HTTP
 * to `OTEL_EXPORTER_OTLP_ENDPOINT`, trace ids in the log lines. The SDK reads the other standard
 * `OTEL_*` variables itself (OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_BSP_SCHEDULE_DELAY, …).
 */
export function tracing(spec: AppSpec): Contribution {
  return {
    dependencies: pinned(
      '@opentelemetry/api',
      '@opentelemetry/exporter-trace-otlp-http',
      '@opentelemetry/instrumentation',
      '@opentelemetry/instrumentation-http',
      '@opentelemetry/instrumentation-ioredis',
      '@opentelemetry/instrumentation-pg',
      '@opentelemetry/instrumentation-pino',
      '@opentelemetry/resources',
      '@opentelemetry/sdk-trace-node',
    ),
    config: [
      {
        name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
        description: 'Base URL of an OTLP/HTTP receiver (an OpenTelemetry Collector); spans go to <url>/v1/traces. Empty: tracing is off.',
        example: '',
        default: '',
        secret: false,
        schema: "z.url({ protocol: /^https?$/ }).or(z.literal(''))",
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
        schema: 'z.string().min(1)',
        type: 'string',
        error: 'must not be empty',
      },
    ],
    preloads: ['tracing'],
    templateDirs: ['tracing'],
  };
}
