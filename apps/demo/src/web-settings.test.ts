import { describe, expect, it } from 'vitest';
import { lossAxes, type LossSeries } from '../web/loss-chart.js';
import { checkLines, checkModelText, checkNumber, DATA_LIMITS, rangeText, SAMPLING_FIELDS, textLines, TRAINING_FIELDS } from '../web/settings.js';
import { count, newRun, runLabel } from '../web/state.js';

// The page's checks and axes as plain functions; the Chromium tests (web-*.test.ts) run them in the page.

describe('the page\'s number checks', () => {
  it('takes exactly what is typed when it is in range, and never substitutes', () => {
    expect(checkNumber(' 32 ', TRAINING_FIELDS.hidden)).toEqual({ ok: true, value: 32 });
    expect(checkNumber('4294967295', TRAINING_FIELDS.seed)).toEqual({ ok: true, value: 4_294_967_295 });
    expect(checkNumber('0.8', SAMPLING_FIELDS.temperature)).toEqual({ ok: true, value: 0.8 });
    expect(checkNumber('1e3', TRAINING_FIELDS.iterations)).toEqual({ ok: true, value: 1000 });
  });

  it('refuses empty, text, fractions and values out of range, stating the range', () => {
    expect(checkNumber('', TRAINING_FIELDS.iterations)).toEqual({ ok: false, message: 'Enter a whole number from 1 to 100,000.' });
    expect(checkNumber('abc', TRAINING_FIELDS.hidden)).toEqual({ ok: false, message: 'Enter a whole number from 1 to 256; “abc” is not one.' });
    expect(checkNumber('Infinity', TRAINING_FIELDS.hidden)).toEqual({ ok: false, message: 'Enter a whole number from 1 to 256; “Infinity” is not one.' });
    expect(checkNumber('2.5', TRAINING_FIELDS.seed)).toEqual({ ok: false, message: 'Enter a whole number from 0 to 4,294,967,295; 2.5 is not a whole number.' });
    expect(checkNumber('1e20', TRAINING_FIELDS.seed)).toEqual({ ok: false, message: 'Enter a whole number from 0 to 4,294,967,295; 1e20 is out of range.' });
    expect(checkNumber('4294967296', TRAINING_FIELDS.seed).ok).toBe(false);
    expect(checkNumber('0', SAMPLING_FIELDS.temperature)).toEqual({ ok: false, message: 'Enter a number from 0.05 to 5; 0 is out of range.' });
  });

  it('states every range as the page shows it, and starts every field inside its range', () => {
    expect(Object.values(TRAINING_FIELDS).map(rangeText)).toEqual(['1–3', '1–256', '1–100,000', '0–4,294,967,295']);
    for (const range of [...Object.values(TRAINING_FIELDS), ...Object.values(SAMPLING_FIELDS)]) {
      expect(checkNumber(String(range.initial), range)).toEqual({ ok: true, value: range.initial });
    }
  });
});

describe('the page\'s checks of training text and model text', () => {
  it('splits lines on any line ending, trims them and drops blank ones', () => {
    expect(textLines(' ab \r\ncd\r\n\n  \ref\n')).toEqual(['ab', 'cd', 'ef']);
  });

  it('refuses too few lines, too long a line and too many characters, saying which', () => {
    expect(checkLines(['a', 'b'])).toEqual({ ok: false, message: 'Give at least 20 non-blank lines (one name per line); this has 2.' });
    const twenty = Array.from({ length: 20 }, (_, k) => `name${k}`);
    expect(checkLines(twenty).ok).toBe(true);
    expect(checkLines([...twenty.slice(0, 4), 'x'.repeat(DATA_LIMITS.maxLineLength + 1), ...twenty])).toEqual({ ok: false, message: 'Lines can be at most 100 characters; line 5 has 101.' });
    const many = Array.from({ length: 201 }, (_, k) => String.fromCodePoint(0x100 + k).repeat(2));
    expect(checkLines(many)).toEqual({ ok: false, message: 'The lines may use at most 200 different characters; these use 201.' });
    expect(checkLines([...twenty.slice(0, 19), '🦕🦕'.repeat(50)]).ok, 'a character beyond U+FFFF counts once').toBe(true);
  });

  it('refuses a prefix or a name with characters the model never saw', () => {
    const abc = ['a', 'b', 'c'];
    expect(checkModelText('', abc, 30, false)).toEqual({ ok: true, value: '' });
    expect(checkModelText('', abc, 30, true)).toEqual({ ok: false, message: 'Type a name.' });
    expect(checkModelText('ab d!', abc, 30, false)).toEqual({ ok: false, message: 'The model never saw “ ” (space), “d”, “!”; it writes only: abc' });
    expect(checkModelText('abcabc', abc, 5, false)).toEqual({ ok: false, message: 'At most 5 characters; this has 6.' });
  });
});

describe('the loss chart\'s axes', () => {
  const series = (xEnd: number, values: number[]): LossSeries => ({ label: '', color: '', xEnd, losses: values.map((v, k) => [k + 1, v]), heldOut: [] });

  it('cover the longest run, whatever the order', () => {
    expect(lossAxes([series(300, [3.3, 2]), series(30, [3.3, 2.5])], []).xMax).toBe(300);
    expect(lossAxes([series(30, [3.3]), series(300, [3.3])], []).xMax).toBe(300);
  });

  it('stop at 4 nats or twice the highest baseline, and count what lies above', () => {
    const axes = lossAxes([series(10, [5.0, 4.6, 3.9, 2.0])], [{ label: '', value: 1.4 }]);
    expect(axes).toEqual({ xMax: 10, yBottom: 1.25, yTop: 4, above: 2 });
    expect(lossAxes([series(10, [5.0, 4.6, 3.9])], [{ label: '', value: 2.6 }])).toMatchObject({ yTop: 5.25, above: 0 });
  });
});

describe('run labels', () => {
  it('name the backend, the cell, the size, the seed and the iterations, in words that count', () => {
    const run = newRun(3, '#000', { backend: 'webgpu', cell: 'gru', numLayers: 2, hiddenSize: 1, iterations: 1, seed: 7, data: 'names.txt' }, null);
    run.mode = 'webgpu';
    expect(runLabel(run)).toBe('#3 gpu.js WebGPU (webgpu) · GRU, 1 unit × 2 layers · seed 7 · 1 iteration · names.txt');
    expect(count(1000, 'iteration')).toBe('1,000 iterations');
  });
});
