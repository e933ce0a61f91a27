/**
 * Checkpoint files for Node: atomic saves (`saveCheckpointFile`, `writeFileAtomic`) and
 * `loadCheckpointFile`. The main entry, `@rnn/train`, never imports `node:*`, so it bundles for
 * the browser; this one does.
 *
 * @module @rnn/train/node
 */
import { randomUUID } from 'node:crypto';
import * as fsPromises from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { CheckpointExpectation } from './checkpoint.js';
import type { LoadOptions } from './model-config.js';
import { SequenceModel } from './sequence-model.js';

/** The file operations `writeFileAtomic` uses; `node:fs/promises` provides them. Tests pass a failing one. */
export interface AtomicFs {
  /** Opens a file (`wx` for the temporary file, `r` for the directory). */
  open(path: string, flags: string): Promise<AtomicFileHandle>;
  /** Renames `from` over `to`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; with `force`, a missing file is no error. */
  rm(path: string, options: { force: boolean }): Promise<void>;
  /** The names in a directory (to find temporary files that killed saves left behind). */
  readdir(path: string): Promise<string[]>;
  /** Where a symbolic link points (to save through a link to its target). */
  readlink(path: string): Promise<string>;
}

/** The part of a `FileHandle` that `writeFileAtomic` uses. */
export interface AtomicFileHandle {
  /** Writes `length` bytes of `buffer` from `offset` at file `position`. */
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<WriteResult>;
  /** Flushes the file to disk (`fsync`). */
  sync(): Promise<void>;
  /** Closes the handle. */
  close(): Promise<void>;
}

/** What one write did. */
export interface WriteResult {
  /** Bytes actually written, possibly fewer than asked. */
  readonly bytesWritten: number;
}

/**
 * Writes `bytes` to `path` so that a crash at any moment leaves either the old file or the
 * complete new one, never a partial file: write a temporary file in the same directory, flush
 * it to disk (`fsync`), `rename` it over `path` (atomic on POSIX file systems), then flush the
 * directory. On an error the temporary file is removed and the error is rethrown.
 *
 * - The temporary file is `.<name>.<pid>.<random UUID>.tmp`, unique per call, so saves to one
 *   path that overlap (in one process or several) all succeed, and the last to finish wins.
 * - Temporary files of this pattern for this path whose process is gone (a save that was
 *   killed) are removed by the next save; those of live processes are left alone.
 * - When `path` is a symbolic link, its target is written and the link stays a link.
 *
 * @example
 * ```ts
 * await writeFileAtomic('model.ckpt', model.save());
 * ```
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, fs: AtomicFs = fsPromises): Promise<void> {
  const target = await followLinks(path, fs);
  const dir = dirname(target);
  await removeStaleTemps(target, fs);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, written);
        written += bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  if (process.platform !== 'win32') {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/** The file a path names after following symbolic links (at most 40, as Linux does); the path itself when it is not a link or does not exist. */
async function followLinks(path: string, fs: AtomicFs): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      link = await fs.readlink(current);
    } catch (error) {
      if (isCode(error, 'EINVAL') || isCode(error, 'ENOENT')) return current;
      throw error;
    }
    current = resolve(dirname(current), link);
  }
  throw Object.assign(new Error(`too many levels of symbolic links: ${path}`), { code: 'ELOOP' });
}

/** Removes `.<name>.<pid>.<uuid>.tmp` files of `target` whose process no longer runs. */
async function removeStaleTemps(target: string, fs: AtomicFs): Promise<void> {
  const prefix = `.${basename(target)}.`;
  const pattern = /^(\d+)\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;
  let names: string[];
  try {
    names = await fs.readdir(dirname(target));
  } catch (error) {
    if (isCode(error, 'ENOENT')) return; // no directory: the save itself will say so
    throw error;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = pattern.exec(name.slice(prefix.length))?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) await fs.rm(join(dirname(target), name), { force: true });
  }
}

/** Whether a process with this id exists (`kill(pid, 0)`: ESRCH when it does not, EPERM when it is another user's). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isCode(error, 'ESRCH');
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

/**
 * Saves a model's checkpoint to `path` atomically (see `writeFileAtomic`). A model whose
 * weights are not finite is refused with a `CheckpointError` (`non-finite`) before the file is
 * touched.
 *
 * @example
 * ```ts
 * await saveCheckpointFile('checkpoints/dinos-lstm.ckpt', model);
 * ```
 */
export async function saveCheckpointFile(path: string, model: SequenceModel, fs?: AtomicFs): Promise<void> {
  await writeFileAtomic(path, model.save(), fs);
}

/**
 * Loads a model from a checkpoint file; throws `CheckpointError` when the file is corrupt, holds
 * metadata of the wrong type or is not what `expect` says (a missing file is Node's `ENOENT` error).
 *
 * @example
 * ```ts
 * const model = await loadCheckpointFile('checkpoints/dinos-lstm.ckpt', { cell: 'lstm' });
 * ```
 */
export async function loadCheckpointFile(path: string, expect?: CheckpointExpectation, options?: LoadOptions): Promise<SequenceModel> {
  const bytes = await fsPromises.readFile(path);
  return SequenceModel.load(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), expect, options);
}
