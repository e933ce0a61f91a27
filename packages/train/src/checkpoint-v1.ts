import { CELLS, layerParameterShapes, parameterEntries, parameterShape } from '@rnn/cells';
import type { CheckpointPlan } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import { Vocabulary } from './vocabulary.js';

/** Version 1's JSON header: a one-layer character model (`lstm` or `rnn`), weights under the cell's own keys. */
interface HeaderV1 {
  version: 1;
  cell: 'lstm' | 'rnn';
  hiddenSize: number;
  vocabulary: string[];
  dtype: 'float64';
  tensors: { name: string; shape: [number, number] }[];
}

/**
 * Reads a format-1 header (written by @rnn/train 0.1: one forward layer of an LSTM or RNN over
 * characters, the cell's keys `Wf … by` or `Waa … by` in the cell's storage order) as what a
 * version-2 file would say: the layer stack, the `characters` task, and each stored tensor's
 * key in the stack (`Wf` → `l0.Wf`, `Wya` → `Wy`).
 */
export function planV1(fn: string, raw: Record<string, unknown>): CheckpointPlan {
  const bad = (what: string): never => {
    throw new CheckpointError(fn, 'header', what);
  };
  const h = raw as Partial<HeaderV1>;
  if (h.version !== 1) bad(`the header says version ${String(h.version)} but the file says 1`);
  if (h.cell !== 'lstm' && h.cell !== 'rnn') bad(`cell is ${JSON.stringify(h.cell)}, not "lstm" or "rnn" (format 1)`);
  const cell = h.cell as 'lstm' | 'rnn';
  if (!Number.isInteger(h.hiddenSize) || (h.hiddenSize as number) < 1) bad(`hiddenSize ${JSON.stringify(h.hiddenSize)} is not a positive integer`);
  if (h.dtype !== 'float64') bad(`dtype ${JSON.stringify(h.dtype)} is not "float64"`);
  if (!Array.isArray(h.tensors)) bad('tensors is not a list');
  if (!Array.isArray(h.vocabulary)) bad('vocabulary is not a list');
  let vocabulary: Vocabulary;
  try {
    vocabulary = new Vocabulary(h.vocabulary as string[]);
  } catch (cause) {
    return bad(`vocabulary is invalid (${(cause as Error).message})`);
  }
  const nA = h.hiddenSize as number;
  const V = vocabulary.size;
  const layers = { cell, inputSize: V, hiddenSize: nA, numLayers: 1, bidirectional: false, outputSize: V };
  const inStack = new Map(layerParameterShapes(layers).map((p) => [p.key, p.name]));
  const stored = parameterEntries(CELLS[cell]).map(([key, spec]) => ({ stored: key, name: inStack.get(key) ?? key, shape: parameterShape(spec, { nX: V, nA, nY: V }) }));
  const listed = JSON.stringify((h.tensors as unknown[]).map((t) => [(t as { name?: unknown } | null)?.name, (t as { shape?: unknown } | null)?.shape]));
  const implied = JSON.stringify(stored.map((s) => [s.stored, s.shape]));
  if (listed !== implied) bad(`tensors ${listed} do not fit a ${cell} with hiddenSize ${nA} and ${V} characters (${implied})`);
  return { version: 1, layers, task: 'characters', vocabulary: vocabulary.chars, dtype: undefined, tensors: stored };
}
