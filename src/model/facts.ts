import type { Facts } from './types.ts';

/**
 * Facts several generated files share, each written once and handed to the templates and projections
 * through the model (`model.facts`): a probe path or a folder named in the code, the manifests, the
 * Dockerfile and the README cannot drift apart.
 */
export const FACTS: Facts = {
  liveness: '/healthz',
  readiness: '/readyz',
  /** Where `vite build` writes a client's pages, and where its server serves them from. */
  publicDir: 'dist/public',
  kubernetesDir: 'deploy/kubernetes',
  /** Each overlay's git-ignored env file of the deploy's own values (hosts, URLs), with a committed `.example`. */
  deployEnvFile: 'config.env',
  /** How long a process may take to listen before liveness applies (a startup probe of 1 s periods). */
  startupProbeSeconds: 30,
  /** compose's and CI's health checks of the backing services: a fresh PostgreSQL takes a few seconds. */
  serviceHealth: { intervalSeconds: 2, timeoutSeconds: 5, retries: 15 },
  /** `.yo-rc.json`'s key for the saved spec: fixed, whatever package ran the generator. */
  yoRcKey: 'create-twelve-app',
};
