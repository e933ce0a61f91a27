import * as fsPromises from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CheckpointExpectation } from './checkpoint.js';
import { SequenceModel } from './sequence-model.js';

/** The file operations `writeFileAtomic` uses; `node:fs/promises` provides them. Tests pass a failing one. */
export interface AtomicFs {
  /** Opens a file (`wx` for the temporary file, `r` for the directory). */
  open(path: string, flags: string): Promise<AtomicFileHandle>;
  /** Renames `from` over `to`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; with `force`, a missing file is no error. */
  rm(path: string, options: { force: boolean }): Promise<void>;
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
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, fs: AtomicFs = fsPromises): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
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
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  if (process.platform !== 'win32') {
    const dir = await fs.open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

/** Saves a model's checkpoint to `path` atomically (see `writeFileAtomic`). */
export async function saveCheckpointFile(path: string, model: SequenceModel, fs?: AtomicFs): Promise<void> {
  await writeFileAtomic(path, model.save(), fs);
}

/** Loads a model from a checkpoint file; throws `CheckpointError` when the file is corrupt or not what `expect` says. */
export async function loadCheckpointFile(path: string, expect?: CheckpointExpectation): Promise<SequenceModel> {
  const bytes = await fsPromises.readFile(path);
  return SequenceModel.load(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), expect);
}
