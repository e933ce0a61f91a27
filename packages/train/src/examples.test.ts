import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** The main training functions: each must show an `@example` in the API reference. */
const MAIN: Readonly<Record<string, readonly string[]>> = {
  'sequence-model.ts': ['SequenceModel', 'SequenceModel.create', 'SequenceModel.load', 'SequenceModel.save', 'SequenceModel.fit', 'SequenceModel.evaluate', 'SequenceModel.predict', 'SequenceModel.sample'],
  'train-step.ts': ['lossAndGradients', 'batchLoss'],
  'sample.ts': ['sampleSequence', 'applyTemperature'],
  'init.ts': ['initParameters'],
  'batching.ts': ['encodeBatch', 'BatchSampler', 'splitHeldOut'],
  'optimizers.ts': ['Adam', 'Sgd'],
  'clip.ts': ['clipByValue', 'clipByGlobalNorm'],
  'checkpoint.ts': ['encodeCheckpoint', 'decodeCheckpoint'],
  'ngram.ts': ['fitNgramBaseline'],
  'vocabulary.ts': ['Vocabulary.fromText'],
  'event-loop.ts': ['yieldToEventLoop'],
  'node.ts': ['saveCheckpointFile', 'loadCheckpointFile', 'writeFileAtomic'],
};

/** Names (`f`, `Class`, `Class.method`) of the declarations in a file whose TSDoc has an `@example` with a code block. */
function withExamples(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(new URL(file, import.meta.url), 'utf8'), ts.ScriptTarget.Latest, true);
  const found = new Set<string>();
  const hasExample = (node: ts.Node): boolean =>
    ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'example' && /```ts[\s\S]+```/.test(ts.getTextOfJSDocComment(tag.comment) ?? ''));
  for (const statement of source.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name !== undefined) {
      if (hasExample(statement)) found.add(statement.name.text);
      if (ts.isClassDeclaration(statement)) {
        for (const member of statement.members) {
          if (ts.isMethodDeclaration(member) && ts.isIdentifier(member.name) && hasExample(member)) found.add(`${statement.name.text}.${member.name.text}`);
        }
      }
    }
  }
  return found;
}

describe('the API reference of @rnn/train', () => {
  it.each(Object.entries(MAIN))('%s: every main training function has an @example', (file, names) => {
    const documented = withExamples(file);
    for (const name of names) expect(documented.has(name), `${name} in ${file}`).toBe(true);
  });
});
