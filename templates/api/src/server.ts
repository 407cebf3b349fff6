import { once } from 'node:events';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { closeServices, createServices } from './services.ts';
import { createShutdown } from './shutdown.ts';

const config = loadConfig();
const logger = createLogger(config);

// After an unexpected error the process state is unknown: record it once and let the process
// manager start a fresh one. Both handlers are needed: --unhandled-rejections=warn (settable
// through NODE_OPTIONS) would otherwise keep a process running after a rejection.
process.on('uncaughtException', (err) => crash(err, 'uncaught exception'));
process.on('unhandledRejection', (reason) => crash(reason, 'unhandled rejection'));
function crash(err: unknown, msg: string): never {
  logger.fatal({ err }, msg);
  process.exit(1);
}

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
