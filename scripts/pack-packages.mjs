// Builds every public package and packs it with `pnpm pack` (which turns `workspace:^` into
// real version ranges) into artifacts/packages/, replacing what was there.
// Usage: node scripts/pack-packages.mjs [--no-build]
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bin, pnpmCommand, publicPackages, root, run, step, tarballDir, tarballName } from './lib/workspace.mjs';

const packages = publicPackages();

if (!process.argv.includes('--no-build')) {
  step(`build ${packages.map((p) => p.name).join(', ')}`);
  run(bin('turbo'), ['run', 'build', ...packages.map((p) => `--filter=${p.name}`), '--output-logs=errors-only'], { cwd: root });
}

step(`pack into ${tarballDir}`);
rmSync(tarballDir, { recursive: true, force: true });
mkdirSync(tarballDir, { recursive: true });
const [pnpm, ...pnpmArgs] = pnpmCommand();
for (const pkg of packages) {
  run(pnpm, [...pnpmArgs, 'pack', '--pack-destination', tarballDir], { cwd: pkg.dir, stdio: ['ignore', 'ignore', 'inherit'] });
}

const expected = packages.map((p) => tarballName(p.name, p.version)).sort();
const produced = readdirSync(tarballDir).filter((f) => f.endsWith('.tgz')).sort();
if (JSON.stringify(expected) !== JSON.stringify(produced)) {
  throw new Error(`expected tarballs ${expected.join(', ')} but found ${produced.join(', ')}`);
}
for (const file of produced) {
  console.log(`  ${file}  ${(statSync(join(tarballDir, file)).size / 1024).toFixed(1)} kB`);
}
