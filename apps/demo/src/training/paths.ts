import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo package's folder. */
export const DEMO_DIR = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A path the user typed, made absolute against the folder they ran `pnpm demo` from
 * (pnpm runs scripts in the package folder and keeps the caller's folder in `INIT_CWD`).
 */
export function userPath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/** Where `pnpm demo train` saves when no `--checkpoint` is given: `apps/demo/checkpoints/dinos-<cell>.ckpt`, `dinos-<cell>-<N>layers.ckpt` for a stack. */
export function defaultCheckpoint(cell: string, numLayers = 1): string {
  return resolve(DEMO_DIR, 'checkpoints', `dinos-${cell}${numLayers > 1 ? `-${numLayers}layers` : ''}.ckpt`);
}
