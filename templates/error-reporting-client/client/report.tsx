import type { ReactNode } from 'react';
import type { ReportingConfig } from './sentry.tsx';

/**
 * Sends the page's errors to Sentry (or anything that speaks its protocol) when this deploy serves a
 * SENTRY_BROWSER_DSN at /config.json: see client/sentry.tsx for what is reported. Without a DSN the SDK
 * is never downloaded: Vite puts client/sentry.tsx and the SDK in a chunk of their own, imported only here.
 */
export async function withErrorReporting(config: ReportingConfig, page: ReactNode): Promise<ReactNode> {
  if (config.SENTRY_BROWSER_DSN === '') return page;
  try {
    const { startReporting } = await import('./sentry.tsx');
    return startReporting(config, page);
  } catch (error) {
    // A blocked or failed download must not take the page down with it.
    console.warn('error reporting is off: the SDK could not be loaded', error);
    return page;
  }
}
