import fs from 'node:fs';
import path from 'node:path';
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
    throw new UserError(
      `--config ${file}: "trustTemplates" must be a list of npm scopes, package names or path prefixes.`,
      2,
    );
  }
  return { trustTemplates: trust };
}

// Which sources are trusted is decided by update's own rule (src/update/trusted-template.ts), so fleet
// and `update --trust-template` can never disagree.
export { isTrusted } from '../update/trusted-template.ts';

/** One sentence naming the source and what to pass to trust it. */
export function untrustedMessage(ref: TemplateRef): string {
  const hint = ref.type === 'npm' ? (ref.name.startsWith('@') ? ref.name.split('/')[0] : ref.name) : '<path prefix>';
  return `house template ${ref.name}@${ref.version} from ${ref.source} is not trusted: pass --trust-template ${hint} (or list it in --config) to let fleet fetch it`;
}
