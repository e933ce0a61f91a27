import { spawnSync } from 'node:child_process';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// Test support for the examples in the README and the guides: each runs as a user would run it,
// in a folder outside the repository, type-checked under the repository's strict settings.

/** The repository's root. */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DEMO = join(ROOT, 'apps/demo');
const TSX = join(DEMO, 'node_modules/.bin/tsx');

/** An example's backend line, and what replaces it for each backend it runs on; `mode`, when set, is the `backend.mode` the run must report (CI demands gpu.js on headless-gl). */
export interface ExampleBackend {
  readonly name: string;
  readonly importLine: string;
  readonly create: string;
  readonly mode?: string | undefined;
}

/** The CPU backend as the examples are written. */
export const CPU: ExampleBackend = { name: 'cpu', importLine: "import { createCpuBackend } from '@rnn/backend-cpu';", create: 'createCpuBackend()' };

/** The backends every swappable example runs on: as written, and with gpu.js in the backend's place. */
export const BACKENDS: readonly ExampleBackend[] = [
  CPU,
  { name: 'gpujs', importLine: "import { createGpuJsBackend } from '@rnn/backend-gpujs';", create: 'await createGpuJsBackend()', mode: process.env['RNN_GPUJS_MODE'] || undefined },
];

/** The fenced ```ts blocks of a Markdown file. */
export function typescriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

/** A folder outside the repository that resolves `@rnn/*` as the demo does, holding the ES module `example.ts`. */
export async function project(program: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rnn-example-'));
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
export function typeErrors(dir: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (config === undefined) throw new Error('tsconfig.json did not parse');
  const program = ts.createProgram(config.fileNames, config.options);
  const example = program.getSourceFile(join(dir, 'example.ts'));
  return [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics(example), ...program.getSemanticDiagnostics(example)].map((d) => {
    const where = d.file !== undefined && d.start !== undefined ? `example.ts:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

/** Runs the project's example with tsx, resolving `@rnn/*` to the packages' sources. */
export function runExample(dir: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(TSX, ['--conditions=@rnn/source', 'example.ts'], { cwd: dir, encoding: 'utf8' });
}
