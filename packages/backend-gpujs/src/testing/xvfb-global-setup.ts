import { startVirtualDisplay } from '../node/virtual-display.js';

/**
 * Vitest global setup: gives the test workers an X display for headless-gl (see
 * `startVirtualDisplay`) and stops it on teardown. Without Xvfb it does nothing: gpu.js then
 * falls back to webasm, which the suite reports, or fails when `RNN_GPUJS_MODE` demands headlessgl.
 */
export default async function setup(): Promise<() => void> {
  const display = await startVirtualDisplay();
  return () => display?.stop();
}
