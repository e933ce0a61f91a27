import type { CellName } from '@rnn/cells';
import { InvalidArgumentError, type DType } from '@rnn/tensor';
import type { InitScheme } from './init.js';
import { modelLayers, type ModelLayers } from './parameters.js';
import { checkTask, type ModelTask } from './task.js';
import { Vocabulary } from './vocabulary.js';

/** What every `SequenceModel` has: its cell and layers, and the element type it sends to a backend. */
export interface ModelShape {
  /** `rnn`, `lstm` or `gru` (see `CELLS`). */
  readonly cell: CellName;
  /** Hidden units `n_a` of every layer and direction. */
  readonly hiddenSize: number;
  /** Layers stacked (default 1). */
  readonly numLayers?: number | undefined;
  /** Each layer also reads the sequence in reverse (default false); such a character model cannot `sample`. */
  readonly bidirectional?: boolean | undefined;
  /**
   * Element type of the tensors the model sends to a backend, chosen once here and used by every
   * call. Default: what each backend computes in (see `SequenceModel.dtype`).
   */
  readonly dtype?: DType | undefined;
}

/** A character-level language model: names in, the next character at every step out. */
export interface CharacterModelConfig extends ModelShape {
  /** `characters` (the default when a vocabulary is given). */
  readonly task?: 'characters' | undefined;
  /** The characters it reads and writes (`inputSize = outputSize` = its size). */
  readonly vocabulary: Vocabulary;
}

/** A model of numeric sequences: per-step classes, per-step values or each example's last-step values. */
export interface NumericModelConfig extends ModelShape {
  /** What it predicts (see `ModelTask`). */
  readonly task: Exclude<ModelTask, 'characters'>;
  /** Features of each input step, `n_x`. */
  readonly inputSize: number;
  /** Classes (`step-classification`) or numbers per prediction (regression), `n_y`. */
  readonly outputSize: number;
}

/** What a sequence model is. */
export type SequenceModelConfig = CharacterModelConfig | NumericModelConfig;

/** Options of `SequenceModel.create`: the model, and how its weights are drawn. */
export type CreateOptions = SequenceModelConfig & {
  /** Seed of the initial weights (see `initParameters`). */
  readonly seed: number;
  /** How the weights are drawn (default `scaled`). */
  readonly init?: InitScheme | undefined;
};

/** Options of `SequenceModel.load`. */
export interface LoadOptions {
  /** Element type the loaded model sends to a backend, instead of the one it was saved with. */
  readonly dtype?: DType | undefined;
}

/** Checks a model's configuration (typed errors naming `fn`) and resolves its task, layers and vocabulary. */
export function resolveConfig(fn: string, config: SequenceModelConfig): { task: ModelTask; layers: ModelLayers; vocabulary: Vocabulary | undefined } {
  if (typeof config !== 'object' || config === null) throw new InvalidArgumentError(fn, 'config', 'must be a SequenceModelConfig object');
  const task = config.task ?? 'characters';
  checkTask(fn, task);
  if (config.dtype !== undefined && config.dtype !== 'float64' && config.dtype !== 'float32') {
    throw new InvalidArgumentError(fn, 'dtype', `must be 'float64', 'float32' or undefined, got ${String(config.dtype)}`);
  }
  const shape = { cell: config.cell, hiddenSize: config.hiddenSize, numLayers: config.numLayers, bidirectional: config.bidirectional };
  if (task === 'characters') {
    const { vocabulary } = config as CharacterModelConfig;
    if (!(vocabulary instanceof Vocabulary)) throw new InvalidArgumentError(fn, 'vocabulary', 'must be a Vocabulary for a characters model (or give task, inputSize and outputSize for numeric data)');
    for (const key of ['inputSize', 'outputSize'] as const) {
      if (key in config) throw new InvalidArgumentError(fn, key, 'is the vocabulary size for a characters model; leave it out');
    }
    return { task, vocabulary, layers: modelLayers(fn, { ...shape, inputSize: vocabulary.size, outputSize: vocabulary.size }) };
  }
  if ('vocabulary' in config && config.vocabulary !== undefined) throw new InvalidArgumentError(fn, 'vocabulary', `belongs to the characters task, not ${task}`);
  const { inputSize, outputSize } = config as NumericModelConfig;
  return { task, vocabulary: undefined, layers: modelLayers(fn, { ...shape, inputSize, outputSize }) };
}
