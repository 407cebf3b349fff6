import fs from 'node:fs';
import path from 'node:path';
import npa from 'npm-package-arg';
import { UserError } from '../errors.ts';
import type { TemplateRef } from '../model/types.ts';

/**
 * Which house-template sources the operator trusts. A template is code (EJS runs with the operator's
 * permissions), and fleet runs `update` on repositories other people push to, so a recorded source is
 * fetched only when it matches one of these: an npm scope (`@acme`), a package name (`acme-house`), or
 * a path prefix (`/srv/templates/`, resolved against the current directory).
 */
export interface TrustConfig {
  trustTemplates: string[];
}

/** `--config <file>`: `{ "trustTemplates": ["@acme", "/srv/templates"] }`, merged with `--trust-template`. */
export function readFleetConfig(file: string | undefined, cwd: string): TrustConfig {
  if (file === undefined) return { trustTemplates: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(path.resolve(cwd, file), 'utf8'));
  } catch {
    throw new UserError(`--config ${file}: not a readable JSON file; write {"trustTemplates": ["@your-scope"]}.`, 2);
  }
  const trust = (parsed as { trustTemplates?: unknown } | null)?.trustTemplates ?? [];
  if (!Array.isArray(trust) || !trust.every((entry) => typeof entry === 'string' && entry.trim() !== '')) {
    throw new UserError(`--config ${file}: "trustTemplates" must be a list of npm scopes, package names or path prefixes.`, 2);
  }
  return { trustTemplates: trust };
}

const isPathPrefix = (entry: string) => entry.startsWith('/') || entry.startsWith('.') || /^[A-Za-z]:[\\/]/.test(entry);

/** Whether the template an app records may be fetched; `appDir` resolves a recorded folder or tarball. */
export function isTrusted(ref: TemplateRef, appDir: string, trusted: readonly string[], cwd: string): boolean {
  if (ref.type === 'npm') {
    let name: string | undefined;
    try {
      name = npa(ref.source).name ?? undefined;
    } catch {
      return false;
    }
    // The recorded name must be the one the spec resolves to, or a trusted name could front another package.
    if (name === undefined || name !== ref.name) return false;
    return trusted.some((entry) => !isPathPrefix(entry) && (entry.startsWith('@') && !entry.includes('/') ? name.startsWith(`${entry}/`) : name === entry));
  }
  const where = path.resolve(appDir, ref.source);
  return trusted.some((entry) => {
    if (!isPathPrefix(entry)) return false;
    const prefix = path.resolve(cwd, entry);
    return where === prefix || where.startsWith(prefix.endsWith(path.sep) ? prefix : `${prefix}${path.sep}`);
  });
}

/** One sentence naming the source and what to pass to trust it. */
export function untrustedMessage(ref: TemplateRef): string {
  const hint = ref.type === 'npm' ? (ref.name.startsWith('@') ? ref.name.split('/')[0] : ref.name) : '<path prefix>';
  return `house template ${ref.name}@${ref.version} from ${ref.source} is not trusted: pass --trust-template ${hint} (or list it in --config) to let fleet fetch it`;
}
