import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const packages = readdirSync(join(ROOT, 'packages'));

/** The first comment of a file, where typedoc reads the module's name and group. */
function topComment(path: string): string {
  const text = readFileSync(path, 'utf8');
  return text.startsWith('/**') ? text.slice(0, text.indexOf('*/') + 2) : '';
}

describe('API reference navigation', () => {
  it.each(packages)('packages/%s: the entry module is named after the package', (dir) => {
    const { name } = JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')) as { name: string };
    expect(topComment(join(ROOT, 'packages', dir, 'src/index.ts'))).toMatch(new RegExp(`\\n \\* @module ${name}\\n`));
  });

  it('lists @rnn/tensor/testing as test helpers, apart from the public API', () => {
    const comment = topComment(join(ROOT, 'packages/tensor/src/testing/index.ts'));
    expect(comment).toContain('@module @rnn/tensor/testing');
    expect(comment).toMatch(/\n \* @group Test helpers\n/);
  });

  it('builds with warnings as errors', () => {
    const config = JSON.parse(readFileSync(join(ROOT, 'typedoc.json'), 'utf8')) as { treatWarningsAsErrors?: boolean };
    expect(config.treatWarningsAsErrors).toBe(true);
  });
});
