import { fitNgramBaseline, splitHeldOut, Vocabulary } from '@rnn/train';
import dinos from '../data/dinos.txt?raw';
import type { TrainingData } from './protocol.js';
import { textLines } from './settings.js';

/** A run's names, split 90/10 as `pnpm demo train` splits them, with the 3-gram to beat. */
export interface RunCorpus {
  /** `dinos.txt`, or the name of the user's file (`pasted text` when pasted). */
  readonly name: string;
  readonly train: readonly string[];
  readonly heldOut: readonly string[];
  readonly vocabulary: Vocabulary;
  /** The add-k 3-gram's cross-entropy on the held-out names, nats per character. */
  readonly ngramNatsPerChar: number;
}

/** The names of a run: the built-in dinosaur names or the user's lines; the fixed split (seed 0) and the 3-gram fitted on the training part. */
export function runCorpus(data: TrainingData): RunCorpus {
  const names = data.source === 'dinos' ? textLines(dinos) : [...data.lines];
  const vocabulary = Vocabulary.fromText(names.join(''));
  const { train, heldOut } = splitHeldOut(names, 0.1, 0);
  const encode = (list: readonly string[]): number[][] => list.map((n) => vocabulary.encode(n));
  const ngram = fitNgramBaseline(encode(train), { vocabSize: vocabulary.size, endIndex: vocabulary.endIndex, order: 3 });
  const { totalNats, count } = ngram.crossEntropy(encode(heldOut));
  return { name: data.source === 'dinos' ? 'dinos.txt' : data.name, train, heldOut, vocabulary, ngramNatsPerChar: totalNats / count };
}
