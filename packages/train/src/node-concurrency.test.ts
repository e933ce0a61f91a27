import { spawnSync } from 'node:child_process';
import * as fsPromises from 'node:fs/promises';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from './errors.js';
import { loadCheckpointFile, saveCheckpointFile, writeFileAtomic, type AtomicFs } from './node.js';
import { SequenceModel } from './sequence-model.js';
import { Vocabulary } from './vocabulary.js';

const vocabulary = Vocabulary.fromText('abc');
const model = (seed: number): SequenceModel => SequenceModel.create({ cell: 'rnn', vocabulary, hiddenSize: 4, seed });
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * `node:fs/promises`, recording the paths opened, the bytes written to each and the renames in
 * the order they happened. Renames run one at a time here (the thread pool could otherwise
 * finish two in either order and report them in the other), so the last one recorded is the one
 * whose file is on disk.
 */
function recording(): { fs: AtomicFs; opened: string[]; written: Map<string, Uint8Array>; renamed: string[] } {
  const opened: string[] = [];
  const written = new Map<string, Uint8Array>();
  const renamed: string[] = [];
  let renames = Promise.resolve();
  const fs: AtomicFs = {
    ...fsPromises,
    open: async (path, flags) => {
      opened.push(path);
      const handle = await fsPromises.open(path, flags);
      return {
        write: (buffer, offset, length, position) => {
          written.set(path, buffer.slice());
          return handle.write(buffer, offset, length, position);
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
    rename: (from, to) => {
      renames = renames.then(async () => {
        await fsPromises.rename(from, to);
        renamed.push(from);
      });
      return renames;
    },
  };
  return { fs, opened, written, renamed };
}

/** The id of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('checkpoint files: temporary names, concurrent saves, stale files, links', () => {
  it('name each temporary file with a random UUID in the target\'s folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-train-'));
    const { fs, opened } = recording();
    await writeFileAtomic(join(dir, 'a.ckpt'), Uint8Array.of(1), fs);
    await writeFileAtomic(join(dir, 'a.ckpt'), Uint8Array.of(2), fs);
    const temps = opened.filter((p) => p.endsWith('.tmp'));
    expect(temps).toHaveLength(2);
    for (const t of temps) expect(t).toMatch(new RegExp(`^${dir}/\\.a\\.ckpt\\.${process.pid}\\.${UUID}\\.tmp$`));
    expect(temps[0]).not.toBe(temps[1]);
  });

  it('let concurrent saves to one path all succeed, the last complete write winning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-train-'));
    const path = join(dir, 'model.ckpt');
    const { fs, written, renamed } = recording();
    const models = Array.from({ length: 8 }, (_, i) => model(i + 1));
    await Promise.all(models.map((m) => saveCheckpointFile(path, m, fs)));
    expect(renamed).toHaveLength(8);
    const onDisk = new Uint8Array(await readFile(path));
    expect(onDisk).toEqual(written.get(renamed.at(-1) as string));
    expect(models.some((m) => Buffer.compare(m.save(), onDisk) === 0)).toBe(true);
    expect(await readdir(dir)).toEqual(['model.ckpt']);
  });

  it('remove temporary files that killed saves left for this path, and nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-train-'));
    const path = join(dir, 'model.ckpt');
    const dead = deadPid();
    const uuid = '0b3c8e52-6a1f-4c7e-9d0a-6f2b1c3d4e5f';
    const stale = `.model.ckpt.${dead}.${uuid}.tmp`;
    const kept = [
      `.model.ckpt.${process.pid}.${uuid}.tmp`, // a save in flight in a live process
      `.other.ckpt.${dead}.${uuid}.tmp`, // another path's
      `.model.ckpt.${dead}.not-a-uuid.tmp`, // not our pattern
      'notes.txt',
    ];
    for (const name of [stale, ...kept]) await writeFile(join(dir, name), 'x');
    await saveCheckpointFile(path, model(1));
    expect((await readdir(dir)).sort()).toEqual([...kept, 'model.ckpt'].sort());
  });

  it('write a symbolic link\'s target and keep the link', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-train-'));
    await mkdir(join(dir, 'store'));
    const target = join(dir, 'store', 'real.ckpt');
    const link = join(dir, 'latest.ckpt');
    await saveCheckpointFile(target, model(1));
    await symlink('store/real.ckpt', link);
    await saveCheckpointFile(link, model(2));
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('store/real.ckpt');
    expect((await loadCheckpointFile(target)).parameters).toEqual(model(2).parameters);
    expect(await readdir(dir)).toEqual(['latest.ckpt', 'store']);
    expect(await readdir(join(dir, 'store'))).toEqual(['real.ckpt']);
    const dangling = join(dir, 'next.ckpt');
    await symlink('store/new.ckpt', dangling);
    await saveCheckpointFile(dangling, model(3));
    expect((await lstat(dangling)).isSymbolicLink()).toBe(true);
    expect((await loadCheckpointFile(join(dir, 'store', 'new.ckpt'))).parameters).toEqual(model(3).parameters);
  });

  it('refuse a model with non-finite weights and leave the old file as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-train-'));
    const path = join(dir, 'model.ckpt');
    await saveCheckpointFile(path, model(1));
    const before = await readFile(path);
    const bad = model(2);
    bad.parameters['l0.Waa']![0] = Number.POSITIVE_INFINITY;
    await expect(saveCheckpointFile(path, bad)).rejects.toBeInstanceOf(CheckpointError);
    expect(Buffer.compare(await readFile(path), before)).toBe(0);
    expect(await readdir(dir)).toEqual(['model.ckpt']);
  });

  it('refuse to save metadata that load would refuse', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-train-'));
    const path = join(dir, 'model.ckpt');
    const m = model(1);
    m.metadata = { ...m.metadata, iterations: JSON.parse('{"toString": 1}') as number };
    await expect(saveCheckpointFile(path, m)).rejects.toThrow(/metadata\.iterations must be a non-negative integer/);
  });
});
