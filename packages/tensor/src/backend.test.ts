import { describe, expect, it } from 'vitest';
import type { Kernels } from './backend.js';

// `pnpm test` type-checks this file first: if leaving out a kernel ever compiled, the
// `@ts-expect-error` below would be unused and tsc would fail.
const unimplemented = (): never => {
  throw new Error('not called');
};

describe('the Kernels interface', () => {
  it('turns a missing kernel into a compile error', () => {
    // @ts-expect-error lstmCellBackward is missing
    const incomplete: Kernels = {
      sliceTime: unimplemented,
      stackTime: unimplemented,
      add: unimplemented,
      rnnCellForward: unimplemented,
      rnnCellBackward: unimplemented,
      lstmCellForward: unimplemented,
    };
    const complete: Kernels = { ...incomplete, lstmCellBackward: unimplemented };
    expect(Object.keys(complete).sort()).toEqual(
      ['add', 'lstmCellBackward', 'lstmCellForward', 'rnnCellBackward', 'rnnCellForward', 'sliceTime', 'stackTime'],
    );
  });
});
