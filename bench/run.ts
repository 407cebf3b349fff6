/**
 * `npm run bench [-- --quick] [-- --only=1,4]`: what users feel, against the tools they would pick
 * instead. Prints one table and writes bench/results.json (raw samples, machine, date, commit).
 * Every figure is a median with min–max; every ratio is against a baseline measured in the same run,
 * interleaved. Peers are installed on demand into .bench-cache/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropDatabases } from '../test/support/databases.ts';
import { installs, oursCli } from './peers.ts';
import { timeToHealthy } from './scenarios/api.ts';
import { capabilities } from './scenarios/capabilities.ts';
import { check } from './scenarios/check.ts';
import { client } from './scenarios/client.ts';
import { footprint } from './scenarios/footprint.ts';
import { image } from './scenarios/image.ts';
import { coldStart, shutdown, throughput } from './scenarios/runtime.ts';
import { profileScaffold, type ScaffoldProfile, scaffold, startup } from './scenarios/scaffold.ts';
import { worker } from './scenarios/worker.ts';
import { type Cell, type Context, isSummary, machine, ROOT, type Row, unavailableRow } from './util.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const started = performance.now();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'twelve-bench-'));
const log = (message: string) =>
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
const ctx: Context = { quick, reps: (full, fewer) => (quick ? fewer : full), tmp, log, extra: {} };

interface Scenario {
  id: string;
  name: string;
  run: (ctx: Context) => Promise<Row[]>;
  /** The rows shown when it cannot run. */
  placeholder: { scenario: string; baselineName: string; target: string };
}

const scenarios: Scenario[] = [
  {
    id: '1',
    name: 'scaffold time',
    // The scaffold against its peers, then the CLI's own start-up (--help, --version) against Node's.
    run: async (ctx) => [...(await scaffold(ctx)), ...(await startup(ctx))],
    placeholder: {
      scenario: 'scaffold, no install; --help and --version',
      baselineName: 'create-t3-app / create-vite; node -e 0',
      target: '< 1× t3, ≤ 4× vite; ≤ 2× node -e 0',
    },
  },
  {
    id: '2',
    name: 'time to a healthy app',
    run: timeToHealthy,
    placeholder: { scenario: 'time to a healthy app', baselineName: '—', target: '< 15000 ms' },
  },
  {
    id: '4',
    name: 'cold start',
    run: coldStart,
    placeholder: { scenario: 'cold start', baselineName: 'bare Fastify', target: '≤ 1.3×' },
  },
  {
    id: '5',
    name: 'throughput',
    run: throughput,
    placeholder: { scenario: 'throughput', baselineName: 'bare Fastify', target: '≥ 0.9× / ≥ 0.7×' },
  },
  {
    id: '6',
    name: 'shutdown',
    run: shutdown,
    placeholder: { scenario: 'shutdown', baselineName: '—', target: '0 failed' },
  },
  // Last of the API scenarios: it reinstalls the app's node_modules without the dev dependencies.
  {
    id: '3',
    name: 'footprint',
    run: footprint,
    placeholder: { scenario: 'footprint', baselineName: 'NestJS / bare Fastify', target: '≤ 1.25× Fastify, < NestJS' },
  },
  {
    id: '11',
    name: 'image',
    run: image,
    placeholder: {
      scenario: 'image: MB above the node base',
      baselineName: 'bare Fastify',
      target: '≤ 15 (stretch ≤ 5)',
    },
  },
  {
    id: '10',
    name: 'capabilities',
    run: capabilities,
    placeholder: { scenario: 'cost of each optional capability', baselineName: 'same app without it', target: '—' },
  },
  {
    id: '7',
    name: 'worker',
    run: worker,
    placeholder: { scenario: 'worker jobs/s', baselineName: 'bare BullMQ', target: '—' },
  },
  {
    id: '8',
    name: 'client',
    run: client,
    placeholder: { scenario: 'client', baselineName: 'create-vite react-ts / bare Fastify', target: '≤ 1.1× / ≤ 1.3×' },
  },
  {
    id: '9',
    name: 'check',
    run: check,
    placeholder: { scenario: 'check', baselineName: 'our CLI start-up', target: '—' },
  },
];

const rows: Row[] = [];
const timings: Record<string, number> = {};
let profile: unknown = null;

log(`${quick ? 'quick' : 'full'} run; work folder ${tmp}`);
try {
  log('packing and installing our CLI into .bench-cache/ours');
  const ours = await oursCli();
  timings.packAndInstallOurs = ours.packMs;
} catch (err) {
  log(`our CLI could not be packed: ${(err as Error).message}`);
}
for (const scenario of scenarios) {
  if (only && !only.includes(scenario.id)) continue;
  const begun = performance.now();
  log(`${scenario.id}. ${scenario.name}`);
  try {
    rows.push(...(await scenario.run(ctx)));
    if (scenario.id === '1') {
      try {
        profile = await profileScaffold(ctx);
      } catch (err) {
        profile = { unavailable: (err as Error).message };
      }
    }
  } catch (err) {
    const message = (err as Error).message;
    log(`${scenario.id}. unavailable: ${message}`);
    const { scenario: name, baselineName, target } = scenario.placeholder;
    rows.push(unavailableRow(scenario.id, name, baselineName, target, message));
  }
  timings[scenario.name] = Math.round(performance.now() - begun);
}
// A run of some scenarios (--only) replaces their rows and keeps the latest figures of the others, so
// results.json and the README table always show every scenario; `kept` says which rows are older.
const resultsFile = path.join(import.meta.dirname, 'results.json');
const runDate = new Date().toISOString();
for (const row of rows) row.at ??= runDate;
let kept: Array<{ id: string; at: string }> | undefined;
if (only && fs.existsSync(resultsFile)) {
  const previous = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as {
    date: string;
    rows: Row[];
    extra?: Record<string, unknown>;
    profile?: unknown;
  };
  const scenarioOf = (row: Row) => /^\d+/.exec(row.id)?.[0] ?? row.id;
  const old = previous.rows
    .filter((row) => !only.includes(scenarioOf(row)) && !rows.some((fresh) => fresh.id === row.id))
    .map((row) => ({ ...row, at: row.at ?? previous.date }));
  const order = (row: Row) => Number(scenarioOf(row));
  rows.splice(0, rows.length, ...[...old, ...rows].sort((a, b) => order(a) - order(b) || a.id.localeCompare(b.id)));
  ctx.extra = { ...previous.extra, ...ctx.extra };
  profile ??= previous.profile ?? null;
  kept = old.map((row) => ({ id: row.id, at: row.at }));
}
await dropDatabases().catch((err: Error) => log(`dropping the bench databases failed: ${err.message}`));
fs.rmSync(tmp, { recursive: true, force: true });

// ------------------------------------------------------------------ table

const round = (value: number) =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : String(Math.round(value * 100) / 100);
function show(cell: Cell, unit: string): string {
  if (cell === null) return '—';
  if (!isSummary(cell)) return `unavailable: ${cell.unavailable}`;
  const range = cell.n > 1 ? ` (${round(cell.min)}–${round(cell.max)})` : '';
  return `${round(cell.median)} ${unit}${range}`;
}
const table = [
  ['#', 'scenario', 'ours', 'baseline', 'ratio', 'target', 'met?'],
  ...rows.map((row) => [
    row.id,
    row.scenario,
    show(row.ours, row.unit),
    row.baseline === null ? row.baselineName : `${row.baselineName}: ${show(row.baseline, row.unit)}`,
    row.ratio === null ? '—' : `${row.ratio.toFixed(2)}×`,
    row.target,
    row.met === null ? '—' : row.met ? 'yes' : 'NO',
  ]),
];
const markdown = [
  `| ${table[0]!.join(' | ')} |`,
  `| ${table[0]!.map(() => '---').join(' | ')} |`,
  ...table.slice(1).map((cells) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`),
].join('\n');
const notes = rows.filter((row) => row.note).map((row) => `- ${row.id}: ${row.note}`);
const totalMs = Math.round(performance.now() - started);
const info = machine();
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const dirty = (() => {
  try {
    return (
      execFileSync('git', ['status', '--porcelain', '--', 'src', 'generators', 'templates'], {
        cwd: ROOT,
        encoding: 'utf8',
      }).trim() !== ''
    );
  } catch {
    return false;
  }
})();

process.stdout.write(`\n${markdown}\n\n${notes.join('\n')}\n`);
if (kept && kept.length > 0) {
  const byDate = Map.groupBy(kept, (row) => row.at.slice(0, 16).replace('T', ' '));
  process.stdout.write(
    `\nnot run now, kept from earlier runs: ${[...byDate].map(([at, group]) => `${group.map((row) => row.id).join(', ')} (${at} UTC)`).join('; ')}\n`,
  );
}
if (profile && typeof profile === 'object' && 'cpu' in profile) {
  const { cpu, modules, totalModules } = profile as ScaffoldProfile;
  process.stdout.write(
    `\nscaffold profile, CPU by package (one run under --cpu-prof):\n${cpu.map((p) => `  ${p.package}: ${p.selfMs} ms (${p.share})`).join('\n')}\n`,
  );
  process.stdout.write(
    `modules loaded: ${totalModules}; largest packages by source loaded:\n${modules.map((m) => `  ${m.package}: ${m.modules} modules, ${m.kB} kB`).join('\n')}\n`,
  );
}
process.stdout.write(
  `\n${info.cpuSummary}, ${Math.round(info.memoryBytes / 2 ** 30)} GB, Node ${info.node}, ${quick ? 'quick' : 'full'} run in ${(totalMs / 1000).toFixed(0)} s, commit ${commit.slice(0, 7)}${dirty ? ' (+ uncommitted changes)' : ''}\n`,
);

fs.writeFileSync(
  resultsFile,
  `${JSON.stringify({ date: runDate, commit, dirty, quick, only, kept, totalMs, timings, machine: info, peers: installs, rows, profile, extra: ctx.extra, table: markdown }, null, 2)}\n`,
);
