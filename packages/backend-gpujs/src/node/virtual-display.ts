import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A running virtual X display, from `startVirtualDisplay`. */
export interface VirtualDisplay {
  /** The value `DISPLAY` was set to, e.g. `:99`. */
  readonly display: string;
  /** Stops the server and unsets `DISPLAY`; also done when the process exits. Stopping twice does nothing. */
  stop(): void;
}

function findXvfb(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v Xvfb'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path !== '' ? path : null;
}

/** A display number no running X server holds (its lock file and socket are absent). */
function freeDisplay(): number {
  for (let n = 99; n < 200; n++) if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  throw new Error('startVirtualDisplay: no free X display between :99 and :199');
}

async function waitForSocket(display: number, server: ChildProcess, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!existsSync(`/tmp/.X11-unix/X${display}`)) {
    if (server.exitCode !== null) throw new Error(`startVirtualDisplay: Xvfb :${display} exited with code ${server.exitCode}`);
    if (Date.now() > until) throw new Error(`startVirtualDisplay: Xvfb :${display} made no socket within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * headless-gl (gpu.js's `headlessgl` mode in Node) needs an X display. When `DISPLAY` is unset
 * and `Xvfb` is installed, starts `Xvfb :<n> -screen 0 1024x768x24` and sets `DISPLAY` for this
 * process; returns `null` when a display is already set or Xvfb is missing (gpu.js then falls
 * back to `webasm`, and `backend.mode` says so). Call it before `createGpuJsBackend()`. The
 * server is stopped when this process exits, so it never outlives its user.
 */
export async function startVirtualDisplay(): Promise<VirtualDisplay | null> {
  if (process.env['DISPLAY'] !== undefined && process.env['DISPLAY'] !== '') return null;
  const xvfb = findXvfb();
  if (xvfb === null) return null;
  const display = freeDisplay();
  const server = spawn(xvfb, [`:${display}`, '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  server.unref();
  await waitForSocket(display, server, 10_000);
  process.env['DISPLAY'] = `:${display}`;
  const stop = (): void => {
    process.off('exit', stop);
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    if (process.env['DISPLAY'] === `:${display}`) delete process.env['DISPLAY'];
  };
  process.once('exit', stop);
  return { display: `:${display}`, stop };
}
