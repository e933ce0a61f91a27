// Writes packages/onnx/fixtures/*.onnx, one small model per supported operator, and their index.
// Usage: pnpm --filter @rnn/onnx fixtures   (the fixtures test fails when the files are stale)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fixtures } from '../src/test-support/fixtures.ts';

const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const rows: string[] = [];
for (const f of fixtures()) {
  writeFileSync(`${dir}${f.file}`, f.bytes);
  rows.push(`| [\`${f.file}\`](${f.file}) | ${f.shows} | ${f.bytes.length} |`);
  console.log(`${f.file}: ${f.bytes.length} bytes`);
}
writeFileSync(`${dir}README.md`, `# ONNX fixtures

One small model per operator \`@rnn/onnx\` runs, written by \`scripts/write-fixtures.ts\`
(\`pnpm --filter @rnn/onnx fixtures\`); \`src/fixtures.test.ts\` checks that each still loads and
that \`OnnxModel.run\` equals onnxruntime-node on it. Open them in any ONNX viewer to see the
layouts that are supported.

| file | shows | bytes |
| --- | --- | --- |
${rows.join('\n')}
`);
