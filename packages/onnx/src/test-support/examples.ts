import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root and this package's folder. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PACKAGE = join(ROOT, 'packages/onnx');

/** The fenced blocks of `lang` (`ts`, `js`) in a Markdown text. */
export function codeBlocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1] ?? '');
}

/** A folder outside the repository that resolves packages as this one does, holding `file` with `program`. */
export function project(file: string, program: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-onnx-example-'));
  // This package's dependencies, and the package itself as @rnn/onnx.
  const modules = join(PACKAGE, 'node_modules');
  mkdirSync(join(dir, 'node_modules/@rnn'), { recursive: true });
  for (const entry of readdirSync(modules)) {
    if (entry === '@rnn') continue;
    symlinkSync(join(modules, entry), join(dir, 'node_modules', entry));
  }
  for (const entry of readdirSync(join(modules, '@rnn'))) symlinkSync(join(modules, '@rnn', entry), join(dir, 'node_modules/@rnn', entry));
  symlinkSync(PACKAGE, join(dir, 'node_modules/@rnn/onnx'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(dir, file), program);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    extends: join(ROOT, 'tsconfig.base.json'),
    compilerOptions: { noEmit: true, typeRoots: [join(ROOT, 'node_modules/@types')] },
    files: [file],
  }));
  return dir;
}

/** Runs `file` of `dir` with tsx, the workspace packages from their sources. */
export function runIn(dir: string, file: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(join(PACKAGE, 'node_modules/.bin/tsx'), ['--conditions=@rnn/source', file], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Type errors in `file` of `dir` under the repository's strict settings. */
export function typeErrors(dir: string, file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (config === undefined) throw new Error('tsconfig.json did not parse');
  const program = ts.createProgram(config.fileNames, config.options);
  const source = program.getSourceFile(join(dir, file));
  return [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
    const where = d.file !== undefined && d.start !== undefined ? `${file}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

/** Links of a Markdown text that leave the repository, other than `allowed` sites. */
export function outsideLinks(markdown: string, allowed: readonly string[]): string[] {
  const links = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
  return links.filter((l) => /^https?:/.test(l) && !allowed.some((a) => l.startsWith(a)));
}
