import { once } from 'node:events';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { exitOnCrash } from './process.ts';
import { closeServices, createServices } from './services.ts';
import { createShutdown } from './shutdown.ts';

const config = loadConfig();
const logger = createLogger(config);

exitOnCrash(logger);

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
  },
});
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

// The node server is started here rather than with app.listen(): the shutdown logic manages this
// server's connections itself, and app.listen() would log its own lines.
await app.ready();
app.server.listen({ host: config.HOST, port: config.PORT });
await once(app.server, 'listening');
logger.info({ address: app.server.address() }, 'listening');
