import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKENDS, CPU, project, ROOT, runExample, typeErrors, typescriptBlocks, type ExampleBackend } from './example-project.js';

/** The README's usage example with its backend swapped: only the import and the `setBackend` line change. */
function onBackend(example: string, backend: ExampleBackend): string {
  expect(example).toContain(CPU.importLine);
  expect(example).toContain(`setBackend(${CPU.create})`);
  return example.replace(CPU.importLine, backend.importLine).replace(`setBackend(${CPU.create})`, `setBackend(${backend.create})`);
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
      const run = runExample(dir);
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
      const run = runExample(dir);
      expect(run.status, run.stderr).toBe(0);
    });
  }
});
