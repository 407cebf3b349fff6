// OpenTelemetry's 2.x SDK line: @sentry/node-core (error reporting) accepts @opentelemetry/api below
// 1.10 only, and the 3.x line requires 1.10, so an app with both capabilities would not install.
export const dependencies = {
  '@opentelemetry/api': '1.9.1',
  '@opentelemetry/exporter-trace-otlp-http': '0.223.1',
  '@opentelemetry/instrumentation': '0.223.0',
  '@opentelemetry/instrumentation-http': '0.223.0',
  '@opentelemetry/instrumentation-ioredis': '0.71.0',
  '@opentelemetry/instrumentation-pg': '0.76.0',
  '@opentelemetry/instrumentation-pino': '0.69.0',
  '@opentelemetry/resources': '2.12.1',
  '@opentelemetry/sdk-trace-node': '2.12.1',
};
