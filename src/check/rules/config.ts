import path from 'node:path';
import { parseEnv } from 'node:util';
import type { CheckContext } from '../context.ts';
import { secretKind } from '../secrets.ts';
import { SECRET_NAME } from '../source.ts';
import { atEach, type Finding } from '../types.ts';

/** Names a platform or Node.js sets: reading them is not app config that needs documenting. */
const PLATFORM_VARIABLES = new Set([
  'NODE_ENV',
  'CI',
  'HOME',
  'PATH',
  'PWD',
  'TMPDIR',
  'TEMP',
  'TZ',
  'HOSTNAME',
  'USER',
  'SHELL',
  'TERM',
  'NODE_OPTIONS',
  'NODE_DEBUG',
  'NODE_EXTRA_CA_CERTS',
  'FORCE_COLOR',
  'NO_COLOR',
]);

const ENV_FILE = /(?:^|\/)\.env(?:\.(?!example$|sample$|template$|dist$|defaults$)[\w.-]+)?$/;
/** Env files for development and tests, which may legitimately hold example values. */
const NON_PRODUCTION_ENV = /(?:^|\/)\.env\.(?:test|testing|development|dev|ci|e2e|local\.example)$/;
const SECRET_FILES: Array<[RegExp, string]> = [
  [/\.(?:pem|key|p12|pfx|jks|keystore)$/, 'a key or certificate store'],
  [/(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)$/, 'an SSH private key'],
  [/(?:^|\/)(?:credentials|service-account|serviceAccountKey)[\w.-]*\.json$/, 'a credentials file'],
  [/(?:^|\/)\.aws\/credentials$/, 'AWS credentials'],
];

/** 3. Config in the environment: no secrets in the codebase, every variable documented in .env.example. */
export function config(ctx: CheckContext): Finding[] {
  const { repo, facts, envExample } = ctx;
  const findings: Finding[] = [];

  for (const file of repo.tracked ?? []) {
    if (ENV_FILE.test(file)) {
      findings.push(trackedEnvFile(file, repo.read(file) ?? ''));
      continue;
    }
    const match = SECRET_FILES.find(([pattern]) => pattern.test(file));
    const npmrcToken = /(?:^|\/)\.npmrc$/.test(file) && /_auth(?:Token)?\s*=\s*(?!\$\{)\S/.test(repo.read(file) ?? '');
    if (match || npmrcToken) {
      findings.push({
        rule: 'config/tracked-secret-file',
        severity: 'fail',
        message: `${file} is ${match ? match[1] : 'an .npmrc with a token'} and git tracks it: its secrets are in every clone.`,
        file,
        hint: `git rm --cached ${file}, add it to .gitignore, and rotate every secret it held.`,
      });
    }
  }

  if (repo.envIgnored === false) {
    findings.push({
      rule: 'config/env-ignored',
      severity: 'fail',
      message:
        '.env is not ignored by git: the file holding real config and secrets is one `git add -A` away from every clone.',
      file: repo.exists('.gitignore') ? '.gitignore' : 'package.json',
      hint: 'Add `.env` (and `.env.*` with `!.env.example`) to .gitignore.',
    });
  }
  if (ctx.dockerfiles.length > 0 && !dockerIgnores(repo.read('.dockerignore'), '.env')) {
    findings.push({
      rule: 'config/env-ignored',
      severity: 'warn',
      message: `.env is not excluded by ${repo.exists('.dockerignore') ? '.dockerignore' : 'a .dockerignore (there is none)'}: a local .env is sent with the build context and may end up in the image.`,
      ...(repo.exists('.dockerignore') ? { file: '.dockerignore' } : {}),
      hint: 'List .env and .env.* (with !.env.example) in .dockerignore.',
    });
  }

  findings.push(
    ...atEach(facts.credentials, 'config/hard-coded-credential', (credential) => ({
      severity: 'fail',
      message: `A credential is written in the source: ${credential.what}.`,
      hint: 'Read it from an environment variable (documented in .env.example without the real value) and rotate the exposed one.',
    })),
    ...atEach(facts.secretFallbacks, 'config/secret-fallback', (fallback) => ({
      severity: 'fail',
      message: `${fallback.name} falls back to a literal when the variable is unset: a committed secret that silently applies in any deploy that forgets it.`,
      hint: `Require ${fallback.name} (fail at startup when it is missing) and rotate the committed value.`,
    })),
    ...atEach(facts.envFileRequired, 'config/env-file-required', (required) => ({
      severity: 'fail',
      message: `Config fails when no .env file exists (${required.what}): every deploy that sets real environment variables breaks.`,
      hint: 'Load .env only when it exists (node --env-file-if-exists=.env, or ignore dotenv’s missing-file error) and validate the variables themselves.',
    })),
  );

  const reads = facts.envReads.filter((read) => !PLATFORM_VARIABLES.has(read.name) && !read.name.startsWith('npm_'));
  if (envExample === undefined) {
    if (reads.length > 0 || facts.envWhole.length > 0) {
      const first = reads.find((read) => !read.optional) ?? reads[0] ?? facts.envWhole[0]!;
      const required = reads.some((read) => !read.optional) || facts.envWhole.length > 0;
      findings.push({
        rule: 'config/env-example',
        severity: required ? 'fail' : 'warn',
        message: `The app reads ${required ? '' : 'optional '}environment variables but has no .env.example listing them.`,
        file: first.file,
        line: first.line,
        hint: 'Add a .env.example with every variable, a safe example value and a comment; commit it (and only it).',
      });
    }
    return findings;
  }

  // A variable read anywhere without a default is required; undocumented optional ones are warnings.
  const required = new Set(reads.filter((read) => !read.optional).map((read) => read.name));
  const seen = new Set<string>();
  for (const read of reads) {
    if (envExample.names.has(read.name) || seen.has(read.name)) continue;
    seen.add(read.name);
    const mandatory = required.has(read.name);
    findings.push({
      rule: 'config/env-example',
      severity: mandatory ? 'fail' : 'warn',
      message: `${read.name} is read from the environment but missing from ${envExample.file}${mandatory ? '' : ' (it has a default)'}.`,
      file: read.file,
      line: read.line,
      hint: `Add ${read.name}=<example> to ${envExample.file} with a comment saying what it is for.`,
    });
  }

  // The reverse is a heuristic: a library may read a variable the app never names (DEBUG, PGHOST…).
  const used = new Set([...facts.envReads.map((read) => read.name), ...facts.schemaKeys]);
  const canJudge = facts.envWhole.length === 0 || facts.schemaKeys.size > 0;
  if (canJudge) {
    for (const [name, line] of envExample.names) {
      // TEST_* (TEST_DATABASE_URL…) are read by the tests, which are not scanned: never the app's config.
      if (used.has(name) || PLATFORM_VARIABLES.has(name) || name.startsWith('TEST_')) continue;
      findings.push({
        rule: 'config/unused-variable',
        severity: 'warn',
        message: `${name} is in ${envExample.file} but no source file reads it.`,
        file: envExample.file,
        line,
        hint: `Remove it from ${envExample.file} if nothing uses it any more (a library reading it directly is the exception).`,
      });
    }
  }
  return findings;
}

/**
 * A committed env file, judged by its values: real-looking credentials mean rotate them; a development
 * or test file of example values is a warning (config belongs in the environment); `.env` itself is the
 * file the app loads in every environment, so committing it fails whatever it holds.
 */
function trackedEnvFile(file: string, text: string): Finding {
  let values: Record<string, string> = {};
  try {
    values = parseEnv(text) as Record<string, string>;
  } catch {
    // Unparseable: judged by its name alone.
  }
  const secrets = Object.entries(values)
    .filter(([name, value]) => (SECRET_NAME.test(name) || /:\/\//.test(value)) && secretKind(value) !== undefined)
    .map(([name]) => name);
  if (secrets.length > 0) {
    return {
      rule: 'config/tracked-secret-file',
      severity: 'fail',
      message: `${file} is an env file and git tracks it: its credentials (${secrets.slice(0, 3).join(', ')}${secrets.length > 3 ? ', …' : ''}) are in every clone.`,
      file,
      hint: `git rm --cached ${file}, add it to .gitignore, and rotate ${secrets.length === 1 ? 'that secret' : 'those secrets'}.`,
    };
  }
  return {
    rule: 'config/tracked-secret-file',
    severity: NON_PRODUCTION_ENV.test(file) ? 'warn' : 'fail',
    message: `${file} is an env file and git tracks it (its values look like examples, not credentials).`,
    file,
    hint: NON_PRODUCTION_ENV.test(file)
      ? `Keep example values in .env.example and set test and development values in the environment (or in CI), so nobody adds a real one to ${file}.`
      : `git rm --cached ${file} and add it to .gitignore: the real config of a deploy must never be committed.`,
  };
}

/** Whether a .dockerignore excludes `file`: its patterns in order, a later `!pattern` re-including it. */
export function dockerIgnores(text: string | undefined, file: string): boolean {
  if (text === undefined) return false;
  let ignored = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const pattern = (negated ? line.slice(1) : line).replace(/^\/+/, '').replace(/\/+$/, '');
    if (pattern === file || matchesGlob(file, pattern) || matchesGlob(file, `**/${pattern}`)) ignored = !negated;
  }
  return ignored;
}

function matchesGlob(file: string, pattern: string): boolean {
  try {
    return path.posix.matchesGlob(file, pattern);
  } catch {
    return false;
  }
}
