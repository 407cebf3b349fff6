// Named imports only, so the bundler keeps just these parts of the SDK (a namespace import keeps all of it).
import { ErrorBoundary, init } from '@sentry/react';
import type { ReactNode } from 'react';
import type { RuntimeConfig } from './config.ts';

/** What /config.json says about error reporting; the server adds `release` when its build has one. */
export type ReportingConfig = Pick<RuntimeConfig, 'SENTRY_BROWSER_DSN' | 'SENTRY_ENVIRONMENT'> & { release?: unknown };

/**
 * Starts the SDK: its global handlers report uncaught errors and unhandled rejections, and the error
 * boundary returned around `page` reports render errors and shows a short message instead of a blank page.
 */
export function startReporting(config: ReportingConfig, page: ReactNode): ReactNode {
  init({
    dsn: config.SENTRY_BROWSER_DSN,
    environment: config.SENTRY_ENVIRONMENT,
    ...(typeof config.release === 'string' ? { release: config.release } : {}),
    // No user data, cookies, headers, query strings or bodies unless the code adds them on purpose
    // (SDK 11's `dataCollection`, which replaced `sendDefaultPii`).
    dataCollection: { userInfo: false, cookies: false, httpHeaders: false, urlQueryParams: false, httpBodies: [] },
    // The envelope's media type, as the server sends it: Sentry does without it, other receivers of its
    // protocol (Spotlight) need it. Sentry's CORS allows the header.
    transportOptions: { headers: { 'content-type': 'application/x-sentry-envelope' } },
  });
  return (
    <ErrorBoundary fallback={<p role="alert">Something went wrong on this page. It has been reported.</p>}>{page}</ErrorBoundary>
  );
}
