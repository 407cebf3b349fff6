/**
 * `npm test`: the fast tiers (unit, generators) and the end-to-end tier run as two uvu processes in
 * parallel, then one closing line `N passed, N failed` for the whole run, which CI reads.
 * `npm test -- unit` or `npm test -- e2e` runs one tier. The last tier (e2e, minutes long) is shown
 * as it runs, a mark per test as it finishes; the others are printed whole when they end, so two
 * tiers never interleave within a line.
 * `E2E_SHARDS=N` splits the e2e files among N uvu processes run at once (default 1: on a 2-core
 * machine the timing-sensitive cases are steadier alone; more shards shorten a run on a bigger one).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(import.meta.dirname, '..');
const uvu = path.join(root, 'node_modules', 'uvu', 'bin.js');

const TIERS: Record<string, string[]> = {
  unit: ['test', '(unit|generators)/.*\\.test\\.ts$'],
  e2e: ['test', 'e2e/.*\\.test\\.ts$'],
};

interface Outcome {
  tier: string;
  total: number;
  passed: number;
  code: number;
}

function runTier(tier: string, args: string[], live: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [uvu, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    if (live) process.stdout.write(`\n── ${tier} ──\n`);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (live) process.stdout.write(chunk);
    });
    child.on('close', (code) => {
      if (!live) process.stdout.write(`\n── ${tier} ──\n${output}`);
      const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
      const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
      const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
      resolve({ tier, total, passed, code: code ?? 1 });
    });
  });
}

/** The e2e files dealt round-robin into `count` shards, each a uvu pattern naming its files. */
function e2eShards(count: number): Record<string, string[]> {
  const files = fs
    .readdirSync(path.join(root, 'test', 'e2e'))
    .filter((name) => name.endsWith('.test.ts'))
    .sort();
  const shards: Record<string, string[]> = {};
  for (let shard = 0; shard < count; shard++) {
    const mine = files.filter((_, index) => index % count === shard).map((name) => name.replace(/\./g, '\\.'));
    if (mine.length > 0) shards[`e2e ${shard + 1}/${count}`] = ['test', `e2e/(${mine.join('|')})$`];
  }
  return shards;
}

const selected = process.argv.slice(2).filter((arg) => arg in TIERS);
const shardCount = Math.max(1, Number(process.env.E2E_SHARDS ?? 1) || 1);
const runs: Record<string, string[]> = {};
for (const tier of selected.length > 0 ? selected : Object.keys(TIERS)) {
  if (tier === 'e2e' && shardCount > 1) Object.assign(runs, e2eShards(shardCount));
  else runs[tier] = TIERS[tier]!;
}
const names = Object.keys(runs);
const outcomes = await Promise.all(names.map((name, index) => runTier(name, runs[name]!, index === names.length - 1)));

let passed = 0;
let failed = 0;
for (const outcome of outcomes) {
  passed += outcome.passed;
  failed += outcome.total - outcome.passed;
  // A tier that crashed before counting (an import error, say) still fails the run.
  if (outcome.code !== 0 && outcome.total === outcome.passed) failed += 1;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
