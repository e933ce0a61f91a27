import { RandomState } from '@rnn/tensor';
import { describe, expect, it } from 'vitest';
import { BatchSampler, encodeBatch, permutation, splitHeldOut } from './batching.js';
import { Vocabulary } from './vocabulary.js';

describe('Vocabulary', () => {
  it('sorts the characters so the end of name is index 0, and round-trips names', () => {
    const v = Vocabulary.fromText('bac');
    expect(v.chars).toEqual(['\n', 'a', 'b', 'c']);
    expect(v.endIndex).toBe(0);
    expect(v.encode('cab')).toEqual([3, 1, 2]);
    expect(v.decode([3, 1, 0, 2])).toBe('ca');
    expect(() => v.encode('abz')).toThrow(/"z" is not in the vocabulary/);
  });
});

describe('encodeBatch', () => {
  it('lays out x⟨0⟩ = 0, x⟨t⟩ = onehot(s[t−1]), targets s then the end, and masks the padding', () => {
    const nX = 4;
    const b = encodeBatch([[2, 3], [1]], nX, 0);
    expect([b.m, b.T, b.count]).toEqual([2, 3, 5]);
    const x = (i: number, j: number, t: number): number => b.x[i * b.m * b.T + j * b.T + t] as number;
    expect([0, 1, 2, 3].map((i) => x(i, 0, 0))).toEqual([0, 0, 0, 0]);
    expect([0, 1, 2, 3].map((i) => x(i, 0, 1))).toEqual([0, 0, 1, 0]);
    expect([0, 1, 2, 3].map((i) => x(i, 0, 2))).toEqual([0, 0, 0, 1]);
    expect([0, 1, 2, 3].map((i) => x(i, 1, 1))).toEqual([0, 1, 0, 0]);
    expect([0, 1, 2, 3].map((i) => x(i, 1, 2))).toEqual([0, 0, 0, 0]);
    expect(Array.from(b.targets)).toEqual([2, 3, 0, 1, 0, 0]);
    expect(Array.from(b.mask)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(() => encodeBatch([[4]], nX, 0)).toThrow(/sequences\[0\]\[0\] must be in \[0, 4\)/);
  });
});

describe('splitting and shuffling', () => {
  it('permutes every index once, the same way for the same seed', () => {
    const p = permutation(50, new RandomState(3));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(permutation(50, new RandomState(3))).toEqual(p);
    expect(permutation(50, new RandomState(4))).not.toEqual(p);
  });

  it('splits 90/10 into disjoint parts that depend only on the split seed', () => {
    const items = Array.from({ length: 100 }, (_, i) => `n${i}`);
    const s = splitHeldOut(items);
    expect(s.heldOut).toHaveLength(10);
    expect(s.train).toHaveLength(90);
    expect(new Set([...s.train, ...s.heldOut]).size).toBe(100);
    expect(splitHeldOut(items).heldOut).toEqual(s.heldOut);
  });

  it('serves every name once per epoch, in batches of similar lengths', () => {
    const names = Array.from({ length: 40 }, (_, i) => 'x'.repeat(1 + (i % 13)));
    const sampler = new BatchSampler(names, { batchSize: 8, seed: 1, bucketBatches: 5 });
    const epoch: string[] = [];
    let spread = 0;
    for (let b = 0; b < 5; b++) {
      const batch = sampler.next();
      expect(batch).toHaveLength(8);
      spread += Math.max(...batch.map((n) => n.length)) - Math.min(...batch.map((n) => n.length));
      epoch.push(...batch);
    }
    expect(sampler.epoch).toBe(1);
    expect([...epoch].sort()).toEqual([...names].sort());
    expect(spread / 5).toBeLessThan(6);
    sampler.next();
    expect(sampler.epoch).toBe(2);
  });
});
