import path from 'node:path';
import npa from 'npm-package-arg';
import { UserError } from '../errors.ts';
import { isInside, realOrSelf } from '../inside.ts';
import type { TemplateRef } from '../model/types.ts';

/**
 * Whether the house template an app records may be fetched and run. A template is code (its EJS runs
 * with the user's permissions), and `.yo-rc.json` is written by anyone who can push to the app, so
 * `update` (and `fleet`, which runs it for many repositories) runs a recorded template only when the
 * operator trusts its source: `--trust-template <entry>`, repeatable, where an entry is
 * - a package scope (`@acme`) or a package name (`acme-house`), for a template from the registry;
 * - a path prefix (`../templates`, `/srv/templates`, relative to the working directory), for a folder
 *   or tarball;
 * - a URL prefix (`git+https://git.acme.dev/platform/`), for a template fetched from a URL, matched up to a
 *   `/`, `#` or the end, so `https://git.acme.dev/plat` does not trust `https://git.acme.dev/platform-evil`.
 * A template given on the command line (`update --template`) is trusted: the operator named it.
 */
export function assertTrustedTemplate(ref: TemplateRef, appDir: string, trusted: readonly string[], cwd: string): void {
  if (isTrusted(ref, appDir, trusted, cwd)) return;
  throw new UserError(
    `This app records the house template ${JSON.stringify(ref.source)} (${ref.type}, in .yo-rc.json), which is not trusted: if you trust it, pass --trust-template ${suggestion(ref, appDir)} (or give the template with --template).`,
  );
}

export function isTrusted(ref: TemplateRef, appDir: string, trusted: readonly string[], cwd: string): boolean {
  if (ref.type === 'npm') {
    const parsed = safeParse(ref.source, appDir);
    if (parsed?.registry && parsed.name) {
      // The base render fetches `name@version`, the update the source: both must be trusted.
      return trusted.some((entry) => packageMatches(entry, parsed.name!) && packageMatches(entry, ref.name));
    }
    return trusted.some((entry) => prefixMatches(entry, ref.source));
  }
  const absolute = realOrSelf(path.resolve(appDir, ref.source));
  return trusted.some((entry) => !isPackageEntry(entry) && isInside(realOrSelf(path.resolve(cwd, entry)), absolute));
}

function packageMatches(entry: string, name: string): boolean {
  if (/^@[^/]+$/.test(entry)) return name.startsWith(`${entry}/`);
  return isPackageEntry(entry) && entry === name;
}

/** `@scope` or a bare package name; a path has a `/` (or is `.`), a URL a `:`. */
function isPackageEntry(entry: string): boolean {
  return /^@[^/]+$/.test(entry) || /^@[^/]+\/[^/]+$/.test(entry) || !/[/:\\]|^\.\.?$/.test(entry);
}

/** A URL prefix, matched up to a `/`, `#` or the end (shared with fleet's `--trust-repo`). */
export function prefixMatches(entry: string, source: string): boolean {
  if (!entry.includes(':') || !source.startsWith(entry)) return false;
  const next = source.charAt(entry.length);
  return entry.endsWith('/') || next === '' || next === '/' || next === '#';
}

function suggestion(ref: TemplateRef, appDir: string): string {
  if (ref.type !== 'npm') return path.resolve(appDir, ref.source);
  const parsed = safeParse(ref.source, appDir);
  if (parsed?.registry && parsed.name) return parsed.scope ?? parsed.name;
  return ref.source;
}

function safeParse(spec: string, where: string): npa.Result | undefined {
  try {
    return npa(spec, where);
  } catch {
    return undefined;
  }
}
