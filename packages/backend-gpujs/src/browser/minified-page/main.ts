import { runBrowserVectors } from '../browser-vectors.js';

// The page Vite builds for minified.test.ts: the runner of browser-entry.ts, exposed from the entry
// module itself, since the package's "sideEffects": false lets a bundler drop an import kept for effects.
Object.assign(globalThis, { runBrowserVectors });
