import { useEffect, useState } from 'react';
import type { RuntimeConfig } from './config.ts';

type ApiStatus = { state: 'loading' } | { state: 'ok'; service: string } | { state: 'unreachable'; reason: string };

/** The example page: calls the API (this client's backing service) and shows what it answered. */
export function App({ config }: { config: RuntimeConfig }) {
  const [status, setStatus] = useState<ApiStatus>({ state: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    fetch(`${config.API_URL}/`, { signal: controller.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error(`it answered ${response.status}`);
        const body = (await response.json()) as { service?: unknown };
        setStatus({ state: 'ok', service: String(body.service ?? 'unnamed') });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setStatus({ state: 'unreachable', reason: error instanceof Error ? error.message : String(error) });
      });
    return () => controller.abort();
  }, [config.API_URL]);

  return (
    <main>
      <h1>{document.title}</h1>
      {status.state === 'loading' && <p>Calling the API at {config.API_URL}…</p>}
      {status.state === 'ok' && (
        <p data-testid="api-status">
          Connected to <strong>{status.service}</strong> at {config.API_URL}.
        </p>
      )}
      {status.state === 'unreachable' && (
        <p role="alert" data-testid="api-status">
          The API at {config.API_URL} cannot be reached ({status.reason}). Is it running, and does its CORS_ORIGINS
          include {window.location.origin}?
        </p>
      )}
    </main>
  );
}
