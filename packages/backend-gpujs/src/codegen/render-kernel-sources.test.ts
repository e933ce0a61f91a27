import { expect, it } from 'vitest';
import { GENERATED_FILE, renderKernelSources } from './render-kernel-sources.js';

it('kernel-sources.generated.ts holds the current source of every kernel and device helper (`pnpm --filter @rnn/backend-gpujs generate` rewrites it)', async () => {
  await expect(renderKernelSources()).toMatchFileSnapshot(GENERATED_FILE);
});
