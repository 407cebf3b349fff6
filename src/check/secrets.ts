/**
 * Whether a literal value is a credential, judged by the value rather than the key it is stored under
 * (`credentials: 'same-origin'`, `RESET_PASSWORD: 'resetPassword'` and `token: 'https://…/oauth/token'`
 * are not): its shape (a known token format, a private key, a URL with a password), placeholders, and
 * its entropy. Hand-written: the secret scanners on npm (secretlint, gitleaks ports) judge whole files
 * with their own rule sets and dependencies; we need one yes/no on a value the syntax tree already isolated.
 */

export const TOKEN_FORMATS: Array<[RegExp, string]> = [
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\bgh[pousr]_[A-Za-z0-9]{36}\b/, 'a GitHub token'],
  [/\bsk_live_[0-9a-zA-Z]{16,}/, 'a Stripe live key'],
  [/\bxox[abprs]-[0-9A-Za-z-]{10,}/, 'a Slack token'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
];

/** `scheme://user:password@`: a password in a URL (the password is group 1). */
export const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@/i;

const PLACEHOLDER =
  /(?:^|[-_.])(?:dev|development|local|test|testing|fake|insecure|unsafe)(?:[-_.]|$)|change[-_ ]?me|changeit|replace[-_ ]?me|placeholder|example|dummy|sample|your[-_ ]|my[-_ ]?secret|^x{3,}$|^\*+$|^<.*>$|^\$\{.*\}$|^\{\{.*\}\}$|^%.*%$|^(?:secret|password|passw0rd|pass|test|testing|dev|development|local|localhost|none|null|undefined|todo|foo|bar|baz|admin|root|postgres|redis)$/i;

/** A value that is a word or words (camelCase, kebab-case, snake_case), not a random string. */
const WORDS = /^[a-z]+(?:[A-Z][a-z]+)*$|^[A-Za-z]+(?:[-_. ][A-Za-z]+)*$/;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** What credential a value is, or undefined when it is not one. */
export function secretKind(raw: string): string | undefined {
  const value = raw.trim();
  for (const [pattern, what] of TOKEN_FORMATS) if (pattern.test(value)) return what;
  const password = URL_PASSWORD.exec(value)?.[1];
  if (password !== undefined)
    return password.startsWith('$') || isPlaceholder(decodeSafe(password)) ? undefined : 'a URL with a password';
  // Any other URL, path or scheme names a place, not a secret.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.startsWith('/') || value.startsWith('./')) return undefined;
  if (value.length < 8 || /\s/.test(value) || isPlaceholder(value) || WORDS.test(value)) return undefined;
  if (/^[A-Z][A-Z0-9_]*$/.test(value)) return undefined;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(value)).length;
  const bits = entropy(value);
  if ((value.length >= 16 && bits >= 3.5) || (classes >= 2 && /\d/.test(value) && bits >= 2.8))
    return 'a high-entropy string';
  return undefined;
}

export function looksLikeSecret(value: string): boolean {
  return secretKind(value) !== undefined;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
