import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildSource, OUTPUT } from '../../scripts/build-wasm.js';

describe('the shipped WebAssembly module', () => {
  it('is what assembly/ compiles to today (run `pnpm --filter @rnn/backend-cpu build:wasm` after changing it)', async () => {
    expect(await readFile(OUTPUT, 'utf8')).toBe(await buildSource());
  }, 120_000);
});
