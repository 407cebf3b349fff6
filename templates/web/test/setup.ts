import { buildApp } from '../src/app.ts';
import type { ProcessState } from '../src/health.ts';
import { parseConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { closeServices, createServices } from '../src/services.ts';
import { requiredEnv } from './env.ts';

/** The app as the web process builds it, without a socket: tests talk to it with `app.inject`. */
export function setup(env: NodeJS.ProcessEnv = {}) {
  const config = parseConfig({ ...requiredEnv, LOG_LEVEL: 'silent', ...env });
  const logger = createLogger(config);
  const services = createServices(config, logger);
  const state: ProcessState = { shuttingDown: false };
  const app = buildApp({ config, logger, services, state });
  const close = async () => {
    await app.close();
    await closeServices(services);
  };
  return { app, services, state, close };
}

/**
 * The tests' own URL of every backing service the environment names, under the app's variable:
 * `TEST_DATABASE_URL` as DATABASE_URL, `TEST_REDIS_URL` as REDIS_URL. Never the development URLs.
 */
export function reachableServices(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.keys(requiredEnv).flatMap((name) => (process.env[`TEST_${name}`] ? [[name, process.env[`TEST_${name}`]]] : [])),
  );
}
