import { runBrowserVectors } from './browser-vectors.js';

// The page bundle: exposes the runner for the Playwright test to call.
Object.assign(globalThis, { runBrowserVectors });
