import type { CheckContext } from '../context.ts';
import { atEach, type Finding } from '../types.ts';

/** 4. Backing services are attached by a URL from config, never written into the code. */
export function backingServices({ facts }: CheckContext): Finding[] {
  return atEach(facts.connectionStrings, 'backing-services/attached-by-url', (connection) => ({
    severity: connection.fallback ? 'warn' : 'fail',
    message: connection.fallback
      ? `A ${connection.scheme}:// connection string is the fallback when the variable is unset: a missing setting silently connects elsewhere.`
      : `A ${connection.scheme}:// connection string is hard-coded: the service cannot be swapped without a code change.`,
    hint: 'Read the URL from an environment variable (e.g. DATABASE_URL) and fail at startup when it is missing.',
  }));
}
