import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SequenceModel, Vocabulary } from '@rnn/train';
import { expect } from 'vitest';
import { runCli } from './main.js';

/** Runs `pnpm demo …` in this process with captured streams. */
export async function demo(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t), outIsTTY: false, errIsTTY: false });
  return { code, out, err };
}

/** Parses stdout as exactly one JSON value, failing on anything else there. */
export function onlyJson(out: string): unknown {
  const trimmed = out.trim();
  expect(trimmed.split('\n')).toHaveLength(1);
  return JSON.parse(trimmed);
}

/** A fresh temporary folder. */
export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'rnn-demo-'));
}

/** An untrained character LSTM (8 units) saved in `dir`; returns its path. */
export async function smallCheckpoint(dir: string): Promise<string> {
  const path = join(dir, 'small.ckpt');
  const model = SequenceModel.create({ cell: 'lstm', vocabulary: Vocabulary.fromText('abcdefghijklmnopqrstuvwxyz'), hiddenSize: 8, seed: 1 });
  await writeFile(path, model.save());
  return path;
}
