/** The figures of one measured quantity: every sample kept, the median reported with min–max. */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { n: sorted.length, median, min: sorted[0]!, max: sorted.at(-1)!, samples: [...samples] };
}

/** ours ÷ baseline, both medians of the same run. */
export function ratio(ours: Summary, baseline: Summary): number {
  return baseline.median === 0 ? Number.NaN : ours.median / baseline.median;
}

/** Runs `fns` round after round, in the same order every round (ours, peer, ours, peer…). */
export async function interleaved<K extends string>(
  rounds: number,
  fns: Record<K, () => Promise<number>>,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(fns) as K[];
  const out = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const key of keys) out[key].push(await fns[key]());
  }
  return out;
}
