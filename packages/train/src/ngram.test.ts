import { describe, expect, it } from 'vitest';
import { fitNgramBaseline, NgramModel } from './ngram.js';

describe('NgramModel', () => {
  // Vocabulary: 0 = end of name, 1 = a, 2 = b.
  const names = [[1, 2], [1, 1, 2], [2]];

  it('counts (two characters before, next) pairs with start padding and adds k to each', () => {
    const model = new NgramModel(3, 0.5, 3, 0).fit(names);
    // context (start, start) was followed by a, a, b
    expect(model.probability([], 1)).toBeCloseTo((2 + 0.5) / (3 + 1.5), 15);
    expect(model.probability([], 0)).toBeCloseTo(0.5 / 4.5, 15);
    // context (a, b) was followed by the end twice
    expect(model.probability([1, 1, 2], 0)).toBeCloseTo(2.5 / 3.5, 15);
    // an unseen context is uniform
    expect(model.probability([2, 2], 1)).toBeCloseTo(1 / 3, 15);
  });

  it('gives distributions that sum to one and counts every character plus the end', () => {
    const model = new NgramModel(3, 0.1, 3, 0).fit(names);
    for (const ctx of [[], [1], [1, 2], [2, 2]]) {
      expect([0, 1, 2].reduce((s, c) => s + model.probability(ctx, c), 0)).toBeCloseTo(1, 14);
    }
    expect(model.crossEntropy(names).count).toBe(3 + 4 + 2);
  });

  it('picks k on a slice of the training names only', () => {
    const train = Array.from({ length: 60 }, (_, i) => [1 + (i % 2), 2, 1 + ((i >> 1) % 2)]);
    const model = fitNgramBaseline(train, { vocabSize: 3, endIndex: 0, ks: [0.01, 5] });
    expect(model.k).toBe(0.01);
    expect(() => new NgramModel(3, 0, 3, 0)).toThrow(/k must be positive/);
  });
});
