import fs from 'node:fs';
import path from 'node:path';
import { binOf, installPeer, PEER_VERSIONS } from '../peers.ts';
import { summarize } from '../stats.ts';
import { type Cell, type Context, countPackages, diskUsage, mb, type Row, run, tempDir, unavailable } from '../util.ts';
import { apiApp } from './api.ts';

interface Footprint {
  packages: number;
  nodeModulesMB: number;
  /** What the final Docker stage holds: the built or runnable code, package.json, production node_modules. */
  stageMB: number;
}

const npmOpts = (cwd: string) => ({ cwd, timeoutMs: 300_000 });

function measure(dir: string, code: string[]): Footprint {
  const nodeModules = diskUsage(path.join(dir, 'node_modules')).bytes;
  const rest = code.reduce((sum, entry) => sum + diskUsage(path.join(dir, entry)).bytes, 0);
  return {
    packages: countPackages(path.join(dir, 'node_modules')),
    nodeModulesMB: mb(nodeModules),
    stageMB: mb(nodeModules + rest),
  };
}

/** Everything in a folder but node_modules: an app with no build step ships its sources. */
const allBut = (dir: string, skip: string[]) => fs.readdirSync(dir).filter((entry) => !skip.includes(entry));

/** 3. Footprint after a production install, ours against NestJS, express-generator and bare Fastify. */
export async function footprint(ctx: Context): Promise<Row[]> {
  const results: Record<string, Footprint | { unavailable: string }> = {};
  const attempt = async (key: string, fn: () => Promise<Footprint>) => {
    try {
      results[key] = await fn();
    } catch (err) {
      results[key] = unavailable((err as Error).message);
    }
  };

  await attempt('ours', async () => {
    const app = await apiApp(ctx);
    await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], npmOpts(app.dir));
    const installed = measure(app.dir, ['dist', 'package.json']);
    // The final stage copies node_modules only when the bundle leaves packages external (tracing).
    const shipsModules = /COPY --from=build \/app\/node_modules/.test(
      fs.readFileSync(path.join(app.dir, 'Dockerfile'), 'utf8'),
    );
    if (shipsModules) return installed;
    const stage = ['dist', 'package.json'].reduce((sum, entry) => sum + diskUsage(path.join(app.dir, entry)).bytes, 0);
    return { ...installed, stageMB: mb(stage) };
  });

  const lockfile = JSON.parse(fs.readFileSync(path.join((await apiApp(ctx)).dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const fastifyVersion = lockfile.packages['node_modules/fastify']?.version ?? '5';

  await attempt('fastify', async () => {
    const dir = tempDir(ctx, 'fastify-bare');
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'bare', private: true, type: 'module', dependencies: { fastify: fastifyVersion } }),
    );
    fs.writeFileSync(
      path.join(dir, 'server.js'),
      "import { fastify } from 'fastify';\nconst app = fastify();\napp.get('/healthz', async () => ({ status: 'ok' }));\nawait app.listen({ port: 3000 });\n",
    );
    await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], npmOpts(dir));
    return measure(dir, ['server.js', 'package.json']);
  });

  await attempt('express', async () => {
    const peer = await installPeer('express-generator', { 'express-generator': PEER_VERSIONS['express-generator'] });
    if (!peer.ok) throw new Error(peer.reason);
    const cwd = tempDir(ctx, 'express');
    const dir = path.join(cwd, 'app');
    await run(process.execPath, [binOf(peer.peer, 'express-generator'), '--no-view', dir], npmOpts(cwd));
    await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], npmOpts(dir));
    return measure(dir, allBut(dir, ['node_modules', 'package-lock.json']));
  });

  await attempt('nest', async () => {
    const peer = await installPeer('nestjs-cli', { '@nestjs/cli': PEER_VERSIONS['@nestjs/cli'] });
    if (!peer.ok) throw new Error(peer.reason);
    const cwd = tempDir(ctx, 'nest');
    const dir = path.join(cwd, 'app');
    await run(
      process.execPath,
      [
        binOf(peer.peer, '@nestjs/cli', 'nest'),
        'new',
        'app',
        '--skip-git',
        '--skip-install',
        '--package-manager',
        'npm',
      ],
      npmOpts(cwd),
    );
    await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], npmOpts(dir));
    const prod = measure(dir, []);
    // The Docker stage: build with the dev dependencies, then prune them, as a multi-stage build does.
    await run('npm', ['install', '--no-audit', '--no-fund'], npmOpts(dir));
    await run('npm', ['run', 'build'], npmOpts(dir));
    await run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], npmOpts(dir));
    const stage = measure(dir, ['dist', 'package.json']);
    return { ...prod, stageMB: stage.stageMB };
  });

  ctx.extra.footprint = results;
  const cell = (key: string, field: keyof Footprint): Cell => {
    const result = results[key];
    if (!result) return unavailable('not measured');
    return 'unavailable' in result ? result : summarize([result[field]]);
  };
  const row = (
    id: string,
    scenario: string,
    field: keyof Footprint,
    unit: string,
    baseKey: string,
    baseName: string,
    target: string,
    meets: ((r: number) => boolean) | null,
  ): Row => {
    const ours = cell('ours', field);
    const baseline = cell(baseKey, field);
    const r = ours && baseline && 'median' in ours && 'median' in baseline ? ours.median / baseline.median : null;
    return {
      id,
      scenario,
      unit,
      ours,
      baselineName: baseName,
      baseline,
      ratio: r,
      target,
      met: r === null || meets === null ? null : meets(r),
    };
  };
  const nest = `NestJS starter (@nestjs/cli ${PEER_VERSIONS['@nestjs/cli']})`;
  const express = `express-generator ${PEER_VERSIONS['express-generator']}`;
  const fastify = `bare Fastify ${fastifyVersion}`;
  return [
    row('3a', 'production packages', 'packages', 'packages', 'fastify', fastify, '≤ 1.25×', (r) => r <= 1.25),
    row('3b', 'production packages', 'packages', 'packages', 'nest', nest, '< 1×', (r) => r < 1),
    row('3c', 'production node_modules on disk', 'nodeModulesMB', 'MB', 'nest', nest, '< 1×', (r) => r < 1),
    row('3d', 'final Docker stage (dist + prod node_modules)', 'stageMB', 'MB', 'nest', nest, '< 1×', (r) => r < 1),
    row('3e', 'production packages', 'packages', 'packages', 'express', express, '—', null),
    row('3f', 'final Docker stage', 'stageMB', 'MB', 'express', express, '—', null),
    row('3g', 'final Docker stage', 'stageMB', 'MB', 'fastify', fastify, '—', null),
  ];
}
