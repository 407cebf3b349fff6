/**
 * `npm test`: the fast tiers (unit, generators) and the end-to-end tier run as two uvu processes in
 * parallel, then one closing line `N passed, N failed` for the whole run, which CI reads.
 * `npm test -- unit` or `npm test -- e2e` runs one tier. The last tier (e2e, minutes long) is shown
 * as it runs, a mark per test as it finishes; the others are printed whole when they end, so two
 * tiers never interleave within a line.
 */
import { spawn } from 'node:child_process';
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

const selected = process.argv.slice(2).filter((arg) => arg in TIERS);
const tiers = selected.length > 0 ? selected : Object.keys(TIERS);
const outcomes = await Promise.all(tiers.map((tier, index) => runTier(tier, TIERS[tier]!, index === tiers.length - 1)));

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
