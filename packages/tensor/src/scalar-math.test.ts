import { describe, expect, it } from 'vitest';
import { sigmoid, sigmoidGradFromOutput, tanh, tanhFromSigmoid, tanhGradFromOutput } from './scalar-math.js';

describe('activations', () => {
  it('sigmoid saturates to exactly 0 and 1 without NaN at ±300 and beyond', () => {
    expect(sigmoid(300)).toBe(1);
    expect(sigmoid(-300)).toBeGreaterThan(0);
    expect(Math.abs(sigmoid(-300) / Math.exp(-300) - 1)).toBeLessThan(1e-14);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(Number.POSITIVE_INFINITY)).toBe(1);
    expect(sigmoid(Number.NEGATIVE_INFINITY)).toBe(0);
  });

  it('tanh saturates at ±300 and keeps −0', () => {
    expect(tanh(300)).toBe(1);
    expect(tanh(-300)).toBe(-1);
    expect(Object.is(tanh(-0), -0)).toBe(true);
    expect(sigmoid(-0)).toBe(0.5);
  });

  it('tanhFromSigmoid saturates without NaN and stays within 1e-15 of Math.tanh away from 0', () => {
    expect(tanhFromSigmoid(300)).toBe(1);
    expect(tanhFromSigmoid(-300)).toBe(-1);
    expect(tanhFromSigmoid(1e6)).toBe(1);
    expect(tanhFromSigmoid(Number.NaN)).toBeNaN();
    for (const x of [-5, -1, -0.3, 0.2, 0.9, 3]) expect(Math.abs(tanhFromSigmoid(x) - Math.tanh(x))).toBeLessThan(1e-15);
  });

  it('propagates NaN', () => {
    for (const f of [sigmoid, tanh, sigmoidGradFromOutput, tanhGradFromOutput]) expect(f(Number.NaN)).toBeNaN();
  });

  it('derivatives from outputs match central differences', () => {
    for (const x of [-3, -0.5, 0, 0.7, 2.5]) {
      const h = 1e-6;
      expect(sigmoidGradFromOutput(sigmoid(x))).toBeCloseTo((sigmoid(x + h) - sigmoid(x - h)) / (2 * h), 8);
      expect(tanhGradFromOutput(tanh(x))).toBeCloseTo((tanh(x + h) - tanh(x - h)) / (2 * h), 8);
    }
    expect(sigmoidGradFromOutput(sigmoid(300))).toBe(0);
    expect(tanhGradFromOutput(tanh(-300))).toBe(0);
  });
});
