// The light mode of @sentry/node-core (docs/decisions.md): errors only, no OpenTelemetry of its own.
// It accepts @opentelemetry/api below 1.10 only, which holds tracing on OpenTelemetry's 2.x SDK line.
export const dependencies = { '@sentry/node-core': '10.78.0' };
// The browser SDK of the client's pages: a build-time dependency, bundled by Vite into its own chunk.
export const browserDependencies = { '@sentry/react': '11.12.0' };
