import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@rnn/source'] },
  ssr: { resolve: { conditions: ['@rnn/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    testTimeout: 60_000,
    globalSetup: ['packages/backend-gpujs/src/testing/xvfb-global-setup.ts'],
  },
});
