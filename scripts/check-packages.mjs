// Checks the packed tarballs in artifacts/packages/ as npm would publish them:
//   1. publint, failing on any message, suggestions included;
//   2. @arethetypeswrong/cli with the `esm-only` profile (our module policy: ESM only, so the
//      node10 and require-from-CommonJS resolutions are not ours to satisfy);
//   3. our own rules: the metadata every package must carry, an `exports` map whose every
//      target is in the tarball with `types` first among the public conditions, no
//      `workspace:` ranges left, and no tests or fixtures shipped.
// Usage: node scripts/check-packages.mjs   (after node scripts/pack-packages.mjs)
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { bin, capture, publicPackages, run, step, tarballDir, tarballName } from './lib/workspace.mjs';

/** The condition our workspace resolves to TypeScript source; a consumer never enables it. */
const SOURCE_CONDITION = '@rnn/source';

const failures = [];
const fail = (pkg, text) => failures.push(`${pkg}: ${text}`);

function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
}

/** Every (path, target) pair of an exports map, conditions included. */
function exportTargets(value, path = 'exports') {
  if (typeof value === 'string') return [[path, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => exportTargets(inner, `${path}["${key}"]`));
}

function checkManifest(name, manifest, files) {
  const need = (ok, text) => ok || fail(name, text);
  need(manifest.type === 'module', '"type" must be "module" (ESM only)');
  need(manifest.sideEffects === false, '"sideEffects" must be false');
  need(manifest.license === 'MIT', '"license" must be "MIT"');
  need(typeof manifest.engines?.node === 'string', '"engines.node" is missing');
  need(typeof manifest.repository?.url === 'string' && typeof manifest.repository?.directory === 'string', '"repository" needs "url" and "directory"');
  need(Array.isArray(manifest.keywords) && manifest.keywords.length > 0, '"keywords" is missing');
  need(Array.isArray(manifest.files), '"files" is missing');
  need(manifest.publishConfig?.access === 'public', '"publishConfig.access" must be "public"');
  for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE']) need(files.includes(file), `${file} is not in the tarball`);

  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      need(!String(range).startsWith('workspace:'), `${field}.${dep} is still "${range}" in the tarball`);
    }
  }

  if (typeof manifest.exports !== 'object' || manifest.exports === null) {
    fail(name, '"exports" map is missing');
    return;
  }
  for (const [subpath, conditions] of Object.entries(manifest.exports)) {
    if (typeof conditions === 'string') continue; // e.g. "./package.json"
    const keys = Object.keys(conditions).filter((k) => k !== SOURCE_CONDITION);
    need(keys[0] === 'types', `exports["${subpath}"]: "types" must come first among the public conditions (got ${keys.join(', ')})`);
    need(keys.at(-1) === 'default', `exports["${subpath}"]: "default" must come last`);
    need(!('require' in conditions), `exports["${subpath}"] has "require", but the packages are ESM only`);
  }
  for (const [path, target] of exportTargets(manifest.exports)) {
    need(files.includes(target.replace(/^\.\//, '')), `${path} → ${target} is not in the tarball`);
  }
  const shipped = files.filter((f) => /\.test\.[cm]?[jt]s$|(^|\/)(fixtures|test-support)\//.test(f));
  need(shipped.length === 0, `tests or fixtures are packed: ${shipped.join(', ')}`);
}

const packages = publicPackages();
const scratch = mkdtempSync(join(tmpdir(), 'rnn-check-'));
try {
  for (const pkg of packages) {
    const tarball = join(tarballDir, tarballName(pkg.name, pkg.version));
    if (!existsSync(tarball)) throw new Error(`${tarball} is missing: run node scripts/pack-packages.mjs first`);

    step(`${pkg.name}: publint`);
    const bytes = readFileSync(tarball);
    const { messages, pkg: packed } = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      level: 'suggestion',
      strict: true,
    });
    for (const message of messages) fail(pkg.name, `publint ${message.type}: ${formatMessage(message, packed, { color: false })}`);
    console.log(messages.length === 0 ? '  no messages' : `  ${messages.length} message(s)`);

    step(`${pkg.name}: are the types wrong (profile esm-only)`);
    try {
      run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped', '--no-emoji', '--no-color']);
    } catch (error) {
      fail(pkg.name, `attw: ${error.message}`);
    }

    step(`${pkg.name}: manifest and contents`);
    const into = join(scratch, pkg.name.replace('/', '-'));
    run('mkdir', ['-p', into]);
    capture('tar', ['-xzf', tarball, '-C', into]);
    const files = listFiles(join(into, 'package'));
    const before = failures.length;
    checkManifest(pkg.name, JSON.parse(readFileSync(join(into, 'package', 'package.json'), 'utf8')), files);
    console.log(failures.length === before ? `  ok (${files.length} files)` : `  ${failures.length - before} problem(s)`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\n✗ ${failures.length} problem(s) in the packed packages:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
console.log(`\n✓ ${packages.length} packages pass publint, attw (esm-only) and the manifest checks`);
