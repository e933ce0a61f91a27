import { InvalidArgumentError } from '@rnn/tensor';

/** The character that ends every name; it is also what a sample stops at. */
export const END_OF_NAME = '\n';

/**
 * The characters a model reads and writes, as in the NumPy dinosaur exercise: the distinct
 * characters of the corpus sorted by code point, so `'\n'` (the end of a name) is index 0 and
 * `a…z` follow. `n_x = n_y = size`.
 */
export class Vocabulary {
  /** Characters by index. */
  readonly chars: readonly string[];
  readonly #index: ReadonlyMap<string, number>;

  /** @param chars distinct single characters, one of them `'\n'`; kept in the order given. */
  constructor(chars: readonly string[]) {
    const fn = 'Vocabulary';
    if (!chars.includes(END_OF_NAME)) throw new InvalidArgumentError(fn, 'chars', `must include '\\n', the end of a name`);
    const seen = new Map<string, number>();
    chars.forEach((c, i) => {
      if ([...c].length !== 1) throw new InvalidArgumentError(fn, `chars[${i}]`, `must be one character, got ${JSON.stringify(c)}`);
      if (seen.has(c)) throw new InvalidArgumentError(fn, `chars[${i}]`, `repeats ${JSON.stringify(c)}`);
      seen.set(c, i);
    });
    this.chars = Object.freeze([...chars]);
    this.#index = seen;
  }

  /**
   * The vocabulary of a corpus: its distinct characters (code points, so `'🦕'` is one) plus
   * `'\n'`, sorted by code point. (`Array.prototype.sort` alone would sort by UTF-16 code unit,
   * which puts characters beyond U+FFFF before U+E000–U+FFFF.)
   *
   * @example
   * ```ts
   * Vocabulary.fromText('ba\nab').chars;   // ['\n', 'a', 'b']
   * ```
   */
  static fromText(text: string): Vocabulary {
    const set = new Set([...text]);
    set.add(END_OF_NAME);
    return new Vocabulary([...set].sort(byCodePoint));
  }

  /** Number of characters, `n_x = n_y`. */
  get size(): number {
    return this.chars.length;
  }

  /** Index of `'\n'`, the end-of-name class. */
  get endIndex(): number {
    return this.#index.get(END_OF_NAME) as number;
  }

  /** Index of one character; throws `InvalidArgumentError` for a character outside the vocabulary. */
  indexOf(char: string): number {
    const i = this.#index.get(char);
    if (i === undefined) throw new InvalidArgumentError('Vocabulary.indexOf', 'char', `${JSON.stringify(char)} is not in the vocabulary`);
    return i;
  }

  /** The indices of a name's characters (without the end of name). */
  encode(name: string): number[] {
    return [...name].map((c) => this.indexOf(c));
  }

  /** The text of some indices, stopping before the first `'\n'`. */
  decode(indices: readonly number[]): string {
    let out = '';
    for (const i of indices) {
      const c = this.chars[i];
      if (c === undefined) throw new InvalidArgumentError('Vocabulary.decode', 'indices', `holds ${i}, outside [0, ${this.size})`);
      if (c === END_OF_NAME) break;
      out += c;
    }
    return out;
  }
}

function byCodePoint(a: string, b: string): number {
  return (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0);
}
