/** What the server (and Vite's dev server) serve at /config.json: this deploy's public variables. */
export interface RuntimeConfig {
  API_URL: string;
}

/**
 * Read at start-up, never at build time: the bundle holds no deploy's values, so the same build runs
 * in every environment (and a cached page picks up a changed API_URL on its next load).
 */
export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET /config.json answered ${response.status}`);
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null || typeof (body as Partial<RuntimeConfig>).API_URL !== 'string') {
    throw new Error('/config.json has no API_URL');
  }
  return body as RuntimeConfig;
}
