import { buildApp } from './app.ts';
import { listen } from './health.ts';
import { boot } from './process.ts';
import { flushReports } from './report.ts';
import { checkServiceVersions, closeServices, createServices } from './services.ts';
import { createShutdown } from './shutdown.ts';

// Buffered logs: one event per request; every exit goes through exitAfterLogs().
const { config, logger } = await boot({ bufferedLogs: true });
const services = createServices(config, logger);
const state = { shuttingDown: false };
const app = buildApp({ config, logger, services, state });

const shutdown = createShutdown({
  server: app.server,
  logger,
  state,
  delayMs: config.SHUTDOWN_DELAY_MS,
  timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  onClose: async () => {
    await app.close();
    await closeServices(services);
    await flushReports(1_000);
  },
});
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

// The shutdown logic manages this server's connections itself (see src/shutdown.ts).
await listen(app, { host: config.HOST, port: config.PORT }, logger);
// In the background: a warning when a backing service runs another major than development and CI.
void checkServiceVersions(services, logger);
