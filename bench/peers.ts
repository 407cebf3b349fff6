import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CACHE, ROOT, run } from './util.ts';

/** Exact versions of the peers measured against; recorded in results.json with what got installed. */
export const PEER_VERSIONS = {
  'create-vite': '9.3.0',
  'create-t3-app': '7.40.0',
  '@nestjs/cli': '12.0.8',
  'express-generator': '4.16.1',
  autocannon: '9.0.0',
  /** Not a peer: the large package tree `check` is timed on (thousands of source files). */
  'date-fns': '4.4.0',
} as const;

export interface Peer {
  /** The folder holding package.json and node_modules. */
  dir: string;
  /** name → installed version */
  versions: Record<string, string>;
}

export type Installed = { ok: true; peer: Peer } | { ok: false; reason: string };

/** What every peer install came to, for results.json. */
export const installs: Record<
  string,
  { versions?: Record<string, string>; error?: string; ms: number; cached: boolean }
> = {};

const pending = new Map<string, Promise<Installed>>();

function installedVersion(dir: string, name: string): string | undefined {
  try {
    return (
      JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return undefined;
  }
}

/**
 * Installs packages at exact versions into `.bench-cache/peers/<slug>/` with `npm install --prefix`,
 * once: a folder already holding those versions is reused. A failure is returned, not thrown, so the
 * rows that need the peer say "unavailable" and the run goes on.
 */
export function installPeer(slug: string, packages: Record<string, string>): Promise<Installed> {
  let promise = pending.get(slug);
  if (!promise) {
    promise = (async (): Promise<Installed> => {
      const started = performance.now();
      const dir = path.join(CACHE, 'peers', slug);
      const have = Object.entries(packages).every(([name, version]) => installedVersion(dir, name) === version);
      try {
        if (!have) {
          fs.rmSync(dir, { recursive: true, force: true });
          fs.mkdirSync(dir, { recursive: true });
          fs.writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
          await run(
            'npm',
            [
              'install',
              '--prefix',
              dir,
              '--no-audit',
              '--no-fund',
              '--save-exact',
              ...Object.entries(packages).map(([name, version]) => `${name}@${version}`),
            ],
            { cwd: dir, timeoutMs: 240_000 },
          );
        }
        const versions = Object.fromEntries(
          Object.keys(packages).map((name) => [name, installedVersion(dir, name) ?? '?']),
        );
        installs[slug] = { versions, ms: Math.round(performance.now() - started), cached: have };
        return { ok: true, peer: { dir, versions } };
      } catch (err) {
        const reason = `install of ${Object.keys(packages).join(', ')} failed: ${(err as Error).message}`;
        installs[slug] = { error: reason, ms: Math.round(performance.now() - started), cached: false };
        return { ok: false, reason };
      }
    })();
    pending.set(slug, promise);
  }
  return promise;
}

/** A package's bin script, for running it with `node` directly. */
export function binOf(peer: Peer, name: string, bin?: string): string {
  const pkgDir = path.join(peer.dir, 'node_modules', name);
  const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
    bin: string | Record<string, string>;
  };
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[bin ?? Object.keys(manifest.bin)[0]!]!;
  return path.join(pkgDir, rel);
}

let ours: Promise<{ cli: string; dir: string; packMs: number }> | undefined;

/**
 * Our CLI as users get it: `npm pack` (building through `prepare`) into a temporary folder, then the
 * tarball installed into `.bench-cache/ours/`, fresh on every run so it is the working tree's code.
 */
export function oursCli(): Promise<{ cli: string; dir: string; packMs: number }> {
  ours ??= (async () => {
    const started = performance.now();
    const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twelve-bench-pack-'));
    const packed = await run('npm', ['pack', '--pack-destination', packDir, '--json'], {
      cwd: ROOT,
      timeoutMs: 180_000,
    });
    const json = packed.stdout.slice(packed.stdout.indexOf('['));
    const [{ filename }] = JSON.parse(json) as [{ filename: string }];
    const dir = path.join(CACHE, 'ours');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
    await run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', path.join(packDir, filename)], {
      cwd: dir,
      timeoutMs: 240_000,
    });
    fs.rmSync(packDir, { recursive: true, force: true });
    const peer: Peer = { dir, versions: {} };
    return { cli: binOf(peer, 'create-twelve-app'), dir, packMs: Math.round(performance.now() - started) };
  })();
  return ours;
}

/** A bare Fastify hello-world answering /healthz, at the Fastify version the generated app pins. */
export async function bareFastify(version: string): Promise<Installed & { server?: string }> {
  const installed = await installPeer('fastify', { fastify: version });
  if (!installed.ok) return installed;
  const server = path.join(installed.peer.dir, 'server.mjs');
  fs.writeFileSync(
    server,
    [
      "import { fastify } from 'fastify';",
      "// FASTIFY_LOGGER=1: Fastify's default logger, two JSON lines per request.",
      "const app = fastify({ logger: process.env.FASTIFY_LOGGER === '1' });",
      "app.get('/healthz', async () => ({ status: 'ok' }));",
      "await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });",
      '',
    ].join('\n'),
  );
  return { ...installed, server };
}
