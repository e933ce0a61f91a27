import { describe, expect, it } from 'vitest';
import { splitRange } from './split.js';

describe('splitRange', () => {
  it('cuts a range into aligned, contiguous, covering pieces', () => {
    expect(splitRange(0, 128, 2, 4)).toEqual([[0, 64], [64, 128]]);
    expect(splitRange(0, 12, 2, 8)).toEqual([[0, 8], [8, 12]]);
    expect(splitRange(0, 100, 3, 1)).toEqual([[0, 33], [33, 67], [67, 100]]);
    expect(splitRange(5, 9, 2, 4)).toEqual([[5, 9]]);
    expect(splitRange(0, 3, 4, 1)).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect(splitRange(0, 50, 1, 4)).toEqual([[0, 50]]);
  });
});
