import { describe, expect, it } from 'vitest';
import { parseBenchArgs, UsageError } from './options.js';

const RUNNERS = ['cpu', 'tfjs-wasm', 'onnxruntime'];
const parse = (...argv: string[]) => parseBenchArgs(argv, RUNNERS);

describe('parseBenchArgs', () => {
  it('runs every section and runner by default', () => {
    expect(parse()).toEqual({ sections: ['lstm', 'gemm', 'scaling', 'threads'], runners: RUNNERS, workload: undefined, help: false });
  });

  it('runs one section with --section', () => {
    expect(parse('--section', 'gemm').sections).toEqual(['gemm']);
    expect(parse('--section=scaling').sections).toEqual(['scaling']);
    expect(parse('--section', 'threads').sections).toEqual(['threads']);
  });

  it('takes runner names as the lstm section, as before sections existed', () => {
    expect(parse('cpu', 'onnxruntime')).toMatchObject({ sections: ['lstm'], runners: ['cpu', 'onnxruntime'] });
    expect(parse('cpu', '--section', 'lstm').sections).toEqual(['lstm']);
  });

  it('restricts lstm, gemm and threads to one workload and leaves scaling out', () => {
    const plan = parse('--workload', 'medium');
    expect(plan.sections).toEqual(['lstm', 'gemm', 'threads']);
    expect(plan.workload?.nA).toBe(128);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'$/],
    [['--section', 'all'], /unknown section 'all'/],
    [['--workload', 'huge'], /unknown workload 'huge'/],
    [['tfjs'], /unknown runner tfjs; choose from cpu, tfjs-wasm, onnxruntime/],
    [['cpu', '--section', 'gemm'], /belong to the lstm section/],
    [['--section'], /argument missing/],
  ])('refuses %j with a UsageError', (argv, message) => {
    expect(() => parse(...argv)).toThrow(UsageError);
    expect(() => parse(...argv)).toThrow(message);
  });

  it('reads -h and --help', () => {
    expect(parse('-h').help).toBe(true);
    expect(parse('--help').help).toBe(true);
  });
});
