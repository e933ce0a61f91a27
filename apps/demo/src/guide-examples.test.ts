import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DINOS_PATH, parseNames } from './training/corpus.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DEMO = join(ROOT, 'apps/demo');
const TSX = join(DEMO, 'node_modules/.bin/tsx');

/** The fenced ```ts blocks of a Markdown file. */
function typescriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

/** A folder outside the repository that resolves `@rnn/*` as the demo does, holding `example.ts`. */
async function project(program: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rnn-guide-'));
  await symlink(join(DEMO, 'node_modules'), join(dir, 'node_modules'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  await writeFile(join(dir, 'example.ts'), program);
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({
    extends: join(ROOT, 'tsconfig.base.json'),
    compilerOptions: { noEmit: true, typeRoots: [join(ROOT, 'node_modules/@types')] },
    files: ['example.ts'],
  }));
  return dir;
}

/** Type errors in `example.ts` under the repository's strict settings. */
function typeErrors(dir: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (config === undefined) throw new Error('tsconfig.json did not parse');
  const program = ts.createProgram(config.fileNames, config.options);
  const example = program.getSourceFile(join(dir, 'example.ts'));
  return [...program.getSyntacticDiagnostics(example), ...program.getSemanticDiagnostics(example)].map((d) => {
    const where = d.file !== undefined && d.start !== undefined ? `example.ts:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

/** The names example's backend line, and what replaces it for each backend (CI demands gpu.js on the mode in `RNN_GPUJS_MODE`). */
const CPU = { importLine: "import { createCpuBackend } from '@rnn/backend-cpu';", create: 'createCpuBackend()' };
const BACKENDS: readonly { readonly name: string; readonly importLine: string; readonly create: string; readonly mode?: string | undefined }[] = [
  { name: 'cpu', ...CPU },
  { name: 'gpujs', importLine: "import { createGpuJsBackend } from '@rnn/backend-gpujs';", create: 'await createGpuJsBackend()', mode: process.env['RNN_GPUJS_MODE'] || undefined },
];

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
      const run = spawnSync(TSX, ['--conditions=@rnn/source', 'example.ts'], { cwd: dir, encoding: 'utf8' });
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
    const run = spawnSync(TSX, ['--conditions=@rnn/source', 'example.ts'], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const found = /held-out MSE: GRU (\d\.\d+), naive (\d\.\d+), 160 forecasts/.exec(run.stdout);
    expect(found, run.stdout).not.toBeNull();
    const [gru, naive] = [Number(found?.[1]), Number(found?.[2])];
    expect(gru).toBeLessThan(naive / 2);
    expect(run.stdout).toMatch(/^epoch 1: training MSE \d\.\d{4}, validation MSE \d\.\d{4}$/m);
  }, 120_000);
});
