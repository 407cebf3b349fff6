import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

/**
 * Where unhandled errors are reported. This app has no error-reporting service, so errors are only
 * logged; `npx create-twelve-app add error-reporting` replaces this file with one that sends them to
 * Sentry. Every caller logs the error itself, with the id returned here when there is one.
 */
export async function initReporting(_config: Config, _logger: Logger): Promise<void> {}

/** Reports an error; returns the report's id, for the log line that records the same error. */
export function reportError(_err: unknown, _tags: Record<string, string | undefined>): string | undefined {
  return undefined;
}

/** Sends what is still queued, waiting at most `timeoutMs`; before a process exits. */
export async function flushReports(_timeoutMs: number): Promise<void> {}
