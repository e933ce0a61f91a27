import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { splitHeldOut, Vocabulary, type Split } from '@rnn/train';

/** The dinosaur names shipped with the demo, one per line, lower case. */
export const DINOS_PATH = fileURLToPath(new URL('../../data/dinos.txt', import.meta.url));

/** The corpus, its vocabulary and the fixed 90/10 split (split seed 0, whatever the training seed). */
export interface Corpus extends Split<string> {
  readonly names: readonly string[];
  readonly vocabulary: Vocabulary;
}

/** Splits a text into names: one per line, trimmed, blank lines dropped. */
export function parseNames(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
}

/** Reads the names and makes the vocabulary and the fixed split. */
export function loadCorpus(path = DINOS_PATH): Corpus {
  const names = parseNames(readFileSync(path, 'utf8'));
  return { names, vocabulary: Vocabulary.fromText(names.join('')), ...splitHeldOut(names, 0.1, 0) };
}
