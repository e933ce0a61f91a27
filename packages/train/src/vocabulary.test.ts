import { describe, expect, it } from 'vitest';
import { Vocabulary } from './vocabulary.js';

describe('Vocabulary', () => {
  it('sorts by code point, so characters beyond U+FFFF come after U+E000–U+FFFF', () => {
    // '🦕' is U+1F995, stored as the surrogates D83E DD95; 'ﬀ' is U+FB00; 'é' is U+00E9.
    const v = Vocabulary.fromText('🦕ﬀaé🦖');
    expect(v.chars).toEqual(['\n', 'a', 'é', 'ﬀ', '🦕', '🦖']);
    expect(v.encode('🦖a')).toEqual([5, 1]);
    expect(v.decode([4, 3])).toBe('🦕ﬀ');
  });

  it('puts the end of name first and keeps each character once', () => {
    const v = Vocabulary.fromText('banana\n');
    expect(v.chars).toEqual(['\n', 'a', 'b', 'n']);
    expect(v.endIndex).toBe(0);
  });
});
