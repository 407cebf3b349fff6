import type { CheckContext } from '../context.ts';
import { atEach, type Finding } from '../types.ts';

/** Names a platform or Node.js sets: reading them is not app config that needs documenting. */
const PLATFORM_VARIABLES = new Set(['NODE_ENV', 'CI', 'HOME', 'PATH', 'PWD', 'TMPDIR', 'TEMP', 'TZ', 'HOSTNAME', 'USER', 'SHELL', 'TERM', 'NODE_OPTIONS', 'NODE_DEBUG', 'NODE_EXTRA_CA_CERTS', 'FORCE_COLOR', 'NO_COLOR']);

const SECRET_FILES: Array<[RegExp, string]> = [
  [/(?:^|\/)\.env(?:\.(?!example$|sample$|template$|dist$|defaults$)[\w.-]+)?$/, 'an env file'],
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
    const match = SECRET_FILES.find(([pattern]) => pattern.test(file));
    const npmrcToken = /(?:^|\/)\.npmrc$/.test(file) && /_auth(?:Token)?\s*=\s*(?!\$\{)\S/.test(repo.read(file) ?? '');
    if (match || npmrcToken) {
      findings.push({
        factor: 'config',
        severity: 'fail',
        message: `${file} is ${match ? match[1] : 'an .npmrc with a token'} and git tracks it: its secrets are in every clone.`,
        file,
        hint: `git rm --cached ${file}, add it to .gitignore, and rotate every secret it held.`,
      });
    }
  }

  findings.push(
    ...atEach(facts.credentials, 'config', (credential) => ({
      severity: 'fail',
      message: `A credential is written in the source: ${credential.what}.`,
      hint: 'Read it from an environment variable (documented in .env.example without the real value) and rotate the exposed one.',
    })),
  );

  const reads = facts.envReads.filter((read) => !PLATFORM_VARIABLES.has(read.name) && !read.name.startsWith('npm_'));
  if (envExample === undefined) {
    if (reads.length > 0 || facts.envWhole.length > 0) {
      const first = reads[0] ?? facts.envWhole[0]!;
      findings.push({
        factor: 'config',
        severity: 'fail',
        message: 'The app reads environment variables but has no .env.example listing them.',
        file: first.file,
        line: first.line,
        hint: 'Add a .env.example with every variable, a safe example value and a comment; commit it (and only it).',
      });
    }
    return findings;
  }

  const seen = new Set<string>();
  for (const read of reads) {
    if (envExample.names.has(read.name) || seen.has(read.name)) continue;
    seen.add(read.name);
    findings.push({
      factor: 'config',
      severity: 'fail',
      message: `${read.name} is read from the environment but missing from ${envExample.file}.`,
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
        factor: 'config',
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
