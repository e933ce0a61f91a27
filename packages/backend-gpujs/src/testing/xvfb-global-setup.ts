import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Finds `Xvfb` on the PATH. */
function findXvfb(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v Xvfb'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path !== '' ? path : null;
}

/** A display number no running X server holds (its lock file is absent). */
function freeDisplay(): number {
  for (let n = 99; n < 200; n++) if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  throw new Error('xvfb-global-setup: no free X display between :99 and :199');
}

/** Waits until the server has made its socket, or fails after `ms`. */
async function waitForSocket(display: number, server: ChildProcess, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!existsSync(`/tmp/.X11-unix/X${display}`)) {
    if (server.exitCode !== null) throw new Error(`xvfb-global-setup: Xvfb :${display} exited with code ${server.exitCode}`);
    if (Date.now() > until) throw new Error(`xvfb-global-setup: Xvfb :${display} made no socket within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Vitest global setup: headless-gl needs an X display. When `DISPLAY` is unset and `Xvfb`
 * is installed, starts `Xvfb :<n> -screen 0 1024x768x24`, exports `DISPLAY` to the test
 * workers, and stops the server on teardown. Otherwise does nothing (gpu.js then falls back
 * to webasm, which the suite reports, or fails when `RNN_GPUJS_MODE` demands headlessgl).
 */
export default async function setup(): Promise<() => void> {
  if (process.env['DISPLAY'] !== undefined && process.env['DISPLAY'] !== '') return () => undefined;
  const xvfb = findXvfb();
  if (xvfb === null) return () => undefined;
  const display = freeDisplay();
  const server = spawn(xvfb, [`:${display}`, '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  await waitForSocket(display, server, 10_000);
  process.env['DISPLAY'] = `:${display}`;
  return () => {
    server.kill('SIGTERM');
    delete process.env['DISPLAY'];
  };
}
