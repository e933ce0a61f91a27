import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

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

describe('the training guide', async () => {
  const guide = await readFile(join(ROOT, 'docs/guides/training.md'), 'utf8');
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
