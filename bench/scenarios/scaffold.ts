import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { binOf, installPeer, oursCli, PEER_VERSIONS } from '../peers.ts';
import { interleaved, ratio, summarize } from '../stats.ts';
import { type Context, type Row, runTimed, tempDir, unavailable } from '../util.ts';

/** Each tool, as a whole process: `node <its installed bin> <dir> <flags>`, no TTY. */
export const SCAFFOLD_COMMANDS = {
  ours: (cli: string, dir: string) => [cli, dir, '--kind', 'api', '--yes', '--skip-install', '--skip-git'],
  vite: (cli: string, dir: string) => [cli, dir, '--template', 'react-ts'],
  t3: (cli: string, dir: string) => [
    cli,
    dir,
    '--CI',
    '--noGit',
    '--noInstall',
    '--drizzle',
    '--dbProvider',
    'postgres',
  ],
};

export async function scaffold(ctx: Context): Promise<Row[]> {
  const { cli } = await oursCli();
  const [vite, t3] = await Promise.all([
    installPeer('create-vite', { 'create-vite': PEER_VERSIONS['create-vite'] }),
    installPeer('create-t3-app', { 'create-t3-app': PEER_VERSIONS['create-t3-app'] }),
  ]);
  const work = tempDir(ctx, 'scaffold');
  let n = 0;
  const once = (argsFor: (dir: string) => string[]) => async () => {
    const dir = path.join(work, `app${n++}`);
    const done = await runTimed(process.execPath, argsFor(dir), { cwd: work, timeoutMs: 60_000 });
    if (done.code !== 0) throw new Error(`exit ${done.code}: ${done.stderr.slice(-300)}`);
    fs.rmSync(dir, { recursive: true, force: true });
    return done.ms;
  };
  const fns: Record<string, () => Promise<number>> = { ours: once((dir) => SCAFFOLD_COMMANDS.ours(cli, dir)) };
  if (vite.ok) fns.vite = once((dir) => SCAFFOLD_COMMANDS.vite(binOf(vite.peer, 'create-vite'), dir));
  if (t3.ok) fns.t3 = once((dir) => SCAFFOLD_COMMANDS.t3(binOf(t3.peer, 'create-t3-app'), dir));
  // One unmeasured round first: the file system cache holds every tool's modules afterwards.
  for (const fn of Object.values(fns)) await fn();
  const samples = await interleaved(ctx.reps(7, 3), fns);
  ctx.extra.scaffold = {
    samples,
    versions: { vite: vite.ok ? vite.peer.versions : vite.reason, t3: t3.ok ? t3.peer.versions : t3.reason },
  };

  const ours = summarize(samples.ours!);
  const row = (
    id: string,
    name: string,
    key: 'vite' | 't3',
    target: string,
    meets: (r: number) => boolean,
    reason: string | undefined,
  ): Row => {
    const base = samples[key];
    if (!base)
      return {
        id,
        scenario: 'scaffold, no install',
        unit: 'ms',
        ours,
        baselineName: name,
        baseline: unavailable(reason ?? 'not installed'),
        ratio: null,
        target,
        met: null,
      };
    const baseline = summarize(base);
    const r = ratio(ours, baseline);
    return {
      id,
      scenario: 'scaffold, no install',
      unit: 'ms',
      ours,
      baselineName: name,
      baseline,
      ratio: r,
      target,
      met: meets(r),
    };
  };
  return [
    row(
      '1a',
      `create-t3-app ${PEER_VERSIONS['create-t3-app']}`,
      't3',
      '< 1× (faster)',
      (r) => r < 1,
      t3.ok ? undefined : t3.reason,
    ),
    row(
      '1b',
      `create-vite ${PEER_VERSIONS['create-vite']}`,
      'vite',
      '≤ 4× (stretch ≤ 2×)',
      (r) => r <= 4,
      vite.ok ? undefined : vite.reason,
    ),
  ];
}

/**
 * `--help` and `--version` of the installed CLI against `node -e 0`, interleaved: what starting our CLI
 * costs above starting Node itself. Short runs, so more rounds than the scaffold.
 */
export async function startup(ctx: Context): Promise<Row[]> {
  const { cli } = await oursCli();
  const work = tempDir(ctx, 'startup');
  const once = (args: string[]) => async () => {
    const done = await runTimed(process.execPath, args, { cwd: work, timeoutMs: 30_000 });
    if (done.code !== 0) throw new Error(`node ${args.join(' ')} exited ${done.code}: ${done.stderr.slice(-300)}`);
    return done.ms;
  };
  const fns = { node: once(['-e', '0']), help: once([cli, '--help']), version: once([cli, '--version']) };
  for (const fn of Object.values(fns)) await fn();
  const samples = await interleaved(ctx.reps(21, 7), fns);
  // The machine may be shared: the load says how far the absolute figures can be trusted; ratios hold better.
  ctx.extra.startup = { samples, loadavg: os.loadavg() };
  const node = summarize(samples.node);
  const load = os
    .loadavg()
    .map((average) => average.toFixed(1))
    .join(', ');
  return (['help', 'version'] as const).map((flag, index): Row => {
    const ours = summarize(samples[flag]);
    const r = ratio(ours, node);
    return {
      id: index === 0 ? '1c' : '1d',
      scenario: `\`create-twelve-app --${flag}\``,
      unit: 'ms',
      ours,
      baselineName: '`node -e 0`',
      baseline: node,
      ratio: r,
      target: '≤ 2×',
      met: r <= 2,
      note: `load average ${load} (1, 5, 15 min) on ${os.cpus().length} CPUs when measured`,
    };
  });
}

/**
 * One run of ours under `node --cpu-prof`: self time grouped by the package the code belongs to, so
 * the note can say what stands between us and create-vite.
 */
export interface ScaffoldProfile {
  /** CPU time by package (Node's own code counted for the nearest dependency on the stack). */
  cpu: Array<{ package: string; selfMs: number; share: string }>;
  /** Modules loaded by the run, by package: what ESM loading time is spent on. */
  modules: Array<{ package: string; modules: number; kB: number }>;
  totalModules: number;
}

export async function profileScaffold(ctx: Context): Promise<ScaffoldProfile> {
  const { cli } = await oursCli();
  const work = tempDir(ctx, 'profile');
  const profDir = path.join(work, 'prof');
  const done = await runTimed(
    process.execPath,
    ['--cpu-prof', '--cpu-prof-dir', profDir, ...SCAFFOLD_COMMANDS.ours(cli, path.join(work, 'app'))],
    { cwd: work, timeoutMs: 60_000 },
  );
  if (done.code !== 0) throw new Error(`profiled run exited ${done.code}: ${done.stderr.slice(-300)}`);
  const file = fs.readdirSync(profDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  interface ProfileNode {
    id: number;
    callFrame: { url: string; functionName: string; lineNumber: number };
    children?: number[];
  }
  const profile = JSON.parse(fs.readFileSync(path.join(profDir, file), 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // A sample in Node's own code (the module loader, fs, the compiler) counts for the nearest package
  // on its stack: loading and compiling a package's modules is time that package costs.
  // Our own frames count for us only where the sample is in our code; otherwise the walk goes on up to a dependency.
  const owner = (id: number): string => {
    if (packageOf(byId.get(id)) === 'create-twelve-app') return 'create-twelve-app (own code)';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = packageOf(byId.get(at));
      if (name !== undefined && name !== 'create-twelve-app') return name;
    }
    const frame = byId.get(id)?.callFrame;
    return frame && !frame.url && frame.functionName.startsWith('(')
      ? frame.functionName
      : 'node: built-ins under our code or none (ESM loading and compiling, startup)';
  };
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    all += micros;
    const key = owner(id);
    totals.set(key, (totals.get(key) ?? 0) + micros);
  });
  const cpu = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([name, micros]) => ({
      package: name,
      selfMs: Math.round(micros / 1000),
      share: `${Math.round((micros / all) * 100)}%`,
    }));

  // A second run with a load hook that records every module's URL and size.
  const hook = path.join(work, 'count-modules.mjs');
  const out = path.join(work, 'modules.json');
  fs.writeFileSync(
    hook,
    [
      "import { registerHooks } from 'node:module';",
      "import { writeFileSync } from 'node:fs';",
      'const seen = [];',
      'registerHooks({ load(url, context, next) { const result = next(url, context); seen.push([url, result.source ? result.source.length : 0]); return result; } });',
      `process.on('exit', () => writeFileSync(${JSON.stringify(out)}, JSON.stringify(seen)));`,
      '',
    ].join('\n'),
  );
  const counted = await runTimed(
    process.execPath,
    ['--import', pathToFileURL(hook).href, ...SCAFFOLD_COMMANDS.ours(cli, path.join(work, 'app2'))],
    { cwd: work, timeoutMs: 60_000 },
  );
  if (counted.code !== 0) throw new Error(`module-count run exited ${counted.code}: ${counted.stderr.slice(-300)}`);
  const seen = JSON.parse(fs.readFileSync(out, 'utf8')) as Array<[string, number]>;
  const byPackage = new Map<string, { modules: number; bytes: number }>();
  const add = (name: string, modules: number, bytes: number) => {
    const entry = byPackage.get(name) ?? { modules: 0, bytes: 0 };
    entry.modules += modules;
    entry.bytes += bytes;
    byPackage.set(name, entry);
  };
  for (const [url, bytes] of seen) {
    const sections = bundleSections(url);
    // A chunk of our bundled CLI counts for the packages bundled into it, each file as a module.
    if (sections) for (const section of sections) add(section.package, 1, section.bytes);
    else add(packageOf({ callFrame: { url } }) ?? (url.startsWith('node:') ? 'node: built-ins' : '(other)'), 1, bytes);
  }
  const modules = [...byPackage.entries()]
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .slice(0, 12)
    .map(([name, entry]) => ({ package: name, modules: entry.modules, kB: Math.round(entry.bytes / 1024) }));
  return { cpu, modules, totalModules: seen.length };
}

/** The package a frame's code belongs to; undefined for Node's own code and native frames. */
function packageOf(node: { callFrame: { url: string; lineNumber?: number } } | undefined): string | undefined {
  const url = node?.callFrame.url;
  if (!url || url.startsWith('node:')) return undefined;
  const sections = bundleSections(url);
  if (sections) {
    const line = node.callFrame.lineNumber ?? 0;
    return sections.findLast((section) => section.line <= line)?.package ?? 'create-twelve-app';
  }
  const parts = decodeURIComponent(url).split('/node_modules/');
  if (parts.length === 1) return undefined;
  const segments = parts.at(-1)!.split('/');
  return segments[0]!.startsWith('@') ? `${segments[0]}/${segments[1]}` : segments[0]!;
}

const sectionsByUrl = new Map<string, Array<{ line: number; package: string; bytes: number }> | undefined>();

/**
 * Our CLI is bundled (scripts/bundle-cli.ts): esbuild starts each bundled file with a comment naming its path
 * (`// node_modules/<package>/…`, `// src/…`), which tells the package of a line of a chunk. Undefined for a
 * file that is not one of our chunks.
 */
function bundleSections(url: string): Array<{ line: number; package: string; bytes: number }> | undefined {
  if (!/\/create-twelve-app\/dist\/src\/(cli-chunks\/[^/]+|cli)\.js$/.test(url)) return undefined;
  if (!sectionsByUrl.has(url)) {
    const sections: Array<{ line: number; package: string; bytes: number }> = [];
    let current = { line: 0, package: 'create-twelve-app', bytes: 0 };
    fs.readFileSync(new URL(url), 'utf8')
      .split('\n')
      .forEach((text, line) => {
        const dependency = /^\/\/ (?:\S*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(text)?.[1];
        const own = /^\/\/ (src|generators)\//.test(text) ? 'create-twelve-app' : undefined;
        if (dependency ?? own) {
          if (current.bytes > 0) sections.push(current);
          current = { line, package: (dependency ?? own)!, bytes: 0 };
        }
        current.bytes += text.length + 1;
      });
    sections.push(current);
    sectionsByUrl.set(url, sections);
  }
  return sectionsByUrl.get(url);
}
