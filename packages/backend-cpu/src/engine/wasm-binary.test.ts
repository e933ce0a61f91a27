import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

describe('the shipped WebAssembly module', () => {
  it('is what assembly/ compiles to today (run `pnpm --filter @rnn/backend-cpu build:wasm` after changing it)', async () => {
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/build-wasm.ts', '--check'], { cwd: packageDir });
    await expect(run).resolves.toBeDefined();
  }, 120_000);
});
