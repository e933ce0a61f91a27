import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import * as fsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from './errors.js';
import { loadCheckpointFile, saveCheckpointFile, writeFileAtomic, type AtomicFs } from './node.js';
import { SequenceModel } from './sequence-model.js';
import { Vocabulary } from './vocabulary.js';

const vocabulary = Vocabulary.fromText('abc');
const model = (seed: number): SequenceModel => SequenceModel.create({ cell: 'rnn', vocabulary, hiddenSize: 4, seed });

/** `node:fs/promises`, except that writes stop with an error after `limit` bytes (a crash mid-save). */
function failingAfter(limit: number): AtomicFs {
  return {
    ...fsPromises,
    open: async (path, flags) => {
      const handle = await fsPromises.open(path, flags);
      let written = 0;
      return {
        write: async (buffer, offset, length, position) => {
          const n = Math.min(length, limit - written);
          if (n <= 0) throw new Error('disk on fire');
          written += n;
          return handle.write(buffer, offset, n, position);
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
  };
}

describe('checkpoint files', () => {
  it('save and load a model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-train-'));
    const path = join(dir, 'model.ckpt');
    const m = model(1);
    await saveCheckpointFile(path, m);
    const back = await loadCheckpointFile(path, { cell: 'rnn' });
    expect(Array.from(back.parameters['l0.Waa']!)).toEqual(Array.from(m.parameters['l0.Waa']!));
    expect(await readdir(dir)).toEqual(['model.ckpt']);
  });

  it('leave the old file intact and no temporary file when a save fails halfway', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-train-'));
    const path = join(dir, 'model.ckpt');
    await saveCheckpointFile(path, model(1));
    const before = await readFile(path);
    const size = model(2).save().length;
    await expect(saveCheckpointFile(path, model(2), failingAfter(Math.floor(size / 2)))).rejects.toThrow('disk on fire');
    expect(Buffer.compare(await readFile(path), before)).toBe(0);
    expect(await readdir(dir)).toEqual(['model.ckpt']);
    expect((await loadCheckpointFile(path)).parameters['l0.Waa']).toEqual(model(1).parameters['l0.Waa']);
  });

  it('write the new content in full when nothing fails, replacing the old', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-train-'));
    const path = join(dir, 'f.bin');
    await writeFile(path, 'old');
    await writeFileAtomic(path, new TextEncoder().encode('new content'));
    expect(await readFile(path, 'utf8')).toBe('new content');
  });

  it('refuse a corrupted file with a CheckpointError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-train-'));
    const path = join(dir, 'model.ckpt');
    const bytes = model(3).save();
    bytes[bytes.length - 30] = (bytes[bytes.length - 30] as number) ^ 0xff;
    await writeFile(path, bytes);
    await expect(loadCheckpointFile(path)).rejects.toBeInstanceOf(CheckpointError);
    await expect(loadCheckpointFile(path)).rejects.toThrow(/checkpoint rejected \(checksum\)/);
  });
});
