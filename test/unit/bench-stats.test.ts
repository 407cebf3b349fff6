import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { interleaved, ratio, summarize } from '../../bench/stats.ts';

test('a summary reports the median with min and max, keeping every sample in order', () => {
  assert.equal(summarize([30, 10, 20]), { n: 3, median: 20, min: 10, max: 30, samples: [30, 10, 20] });
  assert.is(summarize([4, 1, 3, 2]).median, 2.5);
});

test('a ratio divides the medians, and is NaN against a zero baseline', () => {
  assert.is(ratio(summarize([2, 4, 6]), summarize([1, 2, 3])), 2);
  assert.ok(Number.isNaN(ratio(summarize([1]), summarize([0]))));
});

test('interleaved runs alternate ours and the peer round by round', async () => {
  const order: string[] = [];
  const samples = await interleaved(2, {
    ours: async () => {
      order.push('ours');
      return 1;
    },
    peer: async () => {
      order.push('peer');
      return 2;
    },
  });
  assert.equal(order, ['ours', 'peer', 'ours', 'peer']);
  assert.equal(samples, { ours: [1, 1], peer: [2, 2] });
});

test.run();
