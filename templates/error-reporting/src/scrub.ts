/** Request headers that carry credentials; an error report never needs them. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token']);

const FILTERED = '[Filtered]';

/**
 * A copy of an event (or breadcrumb) fit to leave the process: credential headers and cookies removed,
 * and every secret config value replaced wherever it appears (in a message, a URL, a stack frame).
 */
export function scrubEvent<T>(event: T, secrets: readonly string[]): T {
  return scrub(event, secrets, undefined) as T;
}

function scrub(value: unknown, secrets: readonly string[], key: string | undefined): unknown {
  if (typeof value === 'string') {
    return secrets.reduce((text, secret) => text.replaceAll(secret, FILTERED), value);
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets, undefined));
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    if (key === 'headers' && CREDENTIAL_HEADERS.has(name.toLowerCase())) continue;
    if (name === 'cookies') continue;
    copy[name] = scrub(item, secrets, name);
  }
  return copy;
}
