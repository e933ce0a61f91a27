import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

// The page in web/ is built into dist-web/. Our packages resolve to their TypeScript sources
// (the @rnn/source condition), gpu.js to its browser build (its package.json "browser" field).
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: './',
  resolve: { conditions: ['@rnn/source', ...defaultClientConditions] },
  worker: { format: 'es' },
  build: { outDir: fileURLToPath(new URL('./dist-web', import.meta.url)), emptyOutDir: true, target: 'es2022' },
});
