import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKENDS, CPU, project, ROOT, runExample, typeErrors, typescriptBlocks } from './example-project.js';
import { DINOS_PATH, parseNames } from './training/corpus.js';

describe('the training guide', async () => {
  const guide = await readFile(join(ROOT, 'docs/guides/training.md'), 'utf8');
  const names = typescriptBlocks(guide).find((block) => block.includes('Vocabulary.fromText') && block.includes(CPU.importLine));

  for (const backend of BACKENDS) {
    it(`the names example runs on ${backend.name} with only the backend line changed (the demo's names for the elided list, 40 iterations instead of 2000)`, async () => {
      expect(names).toBeDefined();
      const example = names ?? '';
      const elided = "const names = ['aachenosaurus', 'aardonyx', 'abdallahsaurus' /* … a few thousand names */];";
      for (const part of [CPU.importLine, `const backend = ${CPU.create};`, 'iterations: 2000', 'evaluateEvery: 500', elided]) expect(example).toContain(part);
      const program = example
        .replace(elided, `const names = ${JSON.stringify(parseNames(await readFile(DINOS_PATH, 'utf8')))};`)
        .replace(CPU.importLine, backend.importLine)
        .replace(`const backend = ${CPU.create};`, `const backend = ${backend.create};`)
        .replace('iterations: 2000', 'iterations: 40')
        .replace('evaluateEvery: 500', 'evaluateEvery: 20')
        + '\nconsole.log(JSON.stringify({ mode: backend.mode, finalLoss: report.finalLoss, heldOutLoss: report.heldOutLoss }));\n';
      const dir = await project(program);
      expect(typeErrors(dir)).toEqual([]);
      const run = runExample(dir);
      expect(run.status, run.stderr).toBe(0);
      const lines = run.stdout.trim().split('\n');
      const printed = JSON.parse(lines.at(-1) ?? '') as { mode: string; finalLoss: number; heldOutLoss: number };
      if (backend.mode !== undefined) expect(printed.mode).toBe(backend.mode);
      expect(Number.isFinite(printed.finalLoss) && Number.isFinite(printed.heldOutLoss)).toBe(true);
      const samples = lines.slice(-7, -1);
      expect(samples).toHaveLength(6);
      expect(samples.at(-1)?.startsWith('tyranno')).toBe(true);
    }, 180_000);
  }

  const forecast = typescriptBlocks(guide).find((block) => block.includes("task: 'last-step-regression'") && block.includes('import '));

  it('has the forecasting example, and the plot it shows is committed', async () => {
    expect(forecast).toBeDefined();
    const image = /!\[[^\]]*\]\(\.\.\/images\/([^)]+\.svg)\)/.exec(guide)?.[1];
    expect(image).toBe('forecast.svg');
    expect(await readFile(join(ROOT, 'docs/images', image ?? ''), 'utf8')).toMatch(/^<svg [\s\S]*Next-step forecasts on the held-out 20 %/);
  });

  it('the forecasting example type-checks under the strict settings, runs, and beats the naive forecast', async () => {
    const dir = await project(forecast ?? '');
    expect(typeErrors(dir)).toEqual([]);
    const run = runExample(dir);
    expect(run.status, run.stderr).toBe(0);
    const found = /held-out MSE: GRU (\d\.\d+), naive (\d\.\d+), 160 forecasts/.exec(run.stdout);
    expect(found, run.stdout).not.toBeNull();
    const [gru, naive] = [Number(found?.[1]), Number(found?.[2])];
    expect(gru).toBeLessThan(naive / 2);
    expect(run.stdout).toMatch(/^epoch 1: training MSE \d\.\d{4}, validation MSE \d\.\d{4}$/m);
  }, 120_000);
});
