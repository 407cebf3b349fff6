/**
 * Loaded with `node --import` before the app (see the Procfile), because the instrumentations patch
 * http, pg, ioredis and pino as those are first imported. With OTEL_EXPORTER_OTLP_ENDPOINT empty it
 * does nothing. The exporter and the sampler read the other standard OTEL_* variables themselves.
 */
import { register } from 'node:module';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { loadConfig } from './config.ts';

const config = loadConfig();

if (config.OTEL_EXPORTER_OTLP_ENDPOINT !== '') {
  // ES modules are patched through this loader hook; CommonJS ones (pg, ioredis, pino) through require.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

  const provider = new NodeTracerProvider({
    // OTEL_RESOURCE_ATTRIBUTES adds to these; the service name comes from the validated config.
    resource: defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME })),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();

  registerInstrumentations({
    instrumentations: [
      // Probes arrive every few seconds from every checker: a trace each would drown the useful ones.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => /^\/(healthz|readyz)(\?|$)/.test(request.url ?? ''),
        // Error reports on their way to Sentry are not part of the request that failed.
        ignoreOutgoingRequestHook: (request) => /\/api\/[^/]+\/envelope\/?$/.test(request.path ?? ''),
      }),
      new PgInstrumentation(),
      new IORedisInstrumentation(),
      // Adds trace_id and span_id to every log line written inside a span, to join logs and traces.
      new PinoInstrumentation(),
    ],
  });

  // The spans of the last requests are still in the batch when shutdown begins: send them on the way out.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void provider.forceFlush().catch(() => {}));
  }
}
