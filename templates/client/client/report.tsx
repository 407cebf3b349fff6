import type { ReactNode } from 'react';
import type { RuntimeConfig } from './config.ts';

/**
 * Where the page's errors are reported. This app has no error-reporting service, so they stay in the
 * browser's console; `npx create-twelve-app add error-reporting` replaces this file with one that sends
 * them to Sentry.
 */
export async function withErrorReporting(_config: RuntimeConfig, page: ReactNode): Promise<ReactNode> {
  return page;
}
