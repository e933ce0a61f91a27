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

/**
 * The backend line of the README's usage example, and what replaces it for each backend it is run on;
 * `mode`, when set, is the `backend.mode` the run must report (CI demands gpu.js on headless-gl).
 */
const CPU = { importLine: "import { createCpuBackend } from '@rnn/backend-cpu';", create: 'createCpuBackend()' };
const BACKENDS: readonly { readonly name: string; readonly importLine: string; readonly create: string; readonly mode?: string | undefined }[] = [
  { name: 'cpu', ...CPU },
  { name: 'gpujs', importLine: "import { createGpuJsBackend } from '@rnn/backend-gpujs';", create: 'await createGpuJsBackend()', mode: process.env['RNN_GPUJS_MODE'] || undefined },
];

/** The fenced ```ts blocks of a Markdown file. */
function typescriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

/** The README's usage example with its backend swapped: only the import and the `setBackend` line change. */
function onBackend(example: string, backend: (typeof BACKENDS)[number]): string {
  expect(example).toContain(CPU.importLine);
  expect(example).toContain(`setBackend(${CPU.create})`);
  return example.replace(CPU.importLine, backend.importLine).replace(`setBackend(${CPU.create})`, `setBackend(${backend.create})`);
}

/** A folder outside the repository that resolves `@rnn/*` like the demo does, with an ES module `program`. */
async function project(program: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rnn-readme-'));
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

/**
 * Type errors in the example of the project in `dir`, under the repository's strict
 * `tsconfig.base.json` (the packages' own sources are checked by the root `tsc`).
 */
function typeErrors(dir: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (config === undefined) throw new Error('tsconfig.json did not parse');
  const program = ts.createProgram(config.fileNames, config.options);
  const example = program.getSourceFile(join(dir, 'example.ts'));
  return [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics(example), ...program.getSemanticDiagnostics(example)].map((d) => {
    const where = d.file !== undefined && d.start !== undefined ? `example.ts:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

describe('README examples', async () => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const usage = typescriptBlocks(readme).find((block) => block.includes(CPU.importLine));

  it('has a usage example on the CPU backend', () => {
    expect(usage).toBeDefined();
  });

  it('links nothing outside the repository', () => {
    const relative = [...readme.matchAll(/\]\(([^)]+)\)|`(\.\.\/[^`]+)`/g)].map((m) => m[1] ?? m[2] ?? '').filter((l) => !/^(https?:|#)/.test(l));
    for (const link of relative) expect(link, link).not.toMatch(/^\.\.\//);
  });

  for (const backend of BACKENDS) {
    it(`the usage example type-checks under the strict settings and runs on ${backend.name}`, async () => {
      const check = "\nimport { getBackend as backendUsed } from '@rnn/tensor';\n"
        + 'console.log(JSON.stringify({ element: a.at(4, 3, 6), listed: values[4]?.[3]?.[6], shape: grads.dWf.shape, y: yPred.shape, c: c.shape, mode: backendUsed().mode }));\n';
      const dir = await project(onBackend(usage ?? '', backend) + check);
      expect(typeErrors(dir)).toEqual([]);
      const run = spawnSync(TSX, ['--conditions=@rnn/source', 'example.ts'], { cwd: dir, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const printed = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as { element: number; listed: number; shape: number[]; y: number[]; c: number[]; mode: string };
      console.info(`README example on ${backend.name}: mode '${printed.mode}', a[4][3][6] = ${printed.element}`);
      if (backend.mode !== undefined) expect(printed.mode).toBe(backend.mode);
      expect(Number.isFinite(printed.element)).toBe(true);
      expect(printed.listed).toBe(printed.element);
      expect(printed).toMatchObject({ shape: [5, 8], y: [2, 10, 7], c: [5, 10, 7] });
    });
  }

  const runnable = typescriptBlocks(readme).filter((block) => block.startsWith('// run: '));
  it('has examples marked to run', () => {
    expect(runnable.length).toBeGreaterThan(0);
  });
  for (const block of runnable) {
    const name = block.slice('// run: '.length, block.indexOf('\n'));
    it(`the ${name} example type-checks under the strict settings and runs`, async () => {
      const dir = await project(block);
      expect(typeErrors(dir)).toEqual([]);
      const run = spawnSync(TSX, ['--conditions=@rnn/source', 'example.ts'], { cwd: dir, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
    });
  }
});
