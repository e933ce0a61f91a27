// Installs the packed tarballs (artifacts/packages/) with plain `npm install` into scratch
// folders outside the workspace and uses them the way a user would.
//
// Scenario "cpu": only @rnn/tensor, @rnn/cells, @rnn/backend-cpu and @rnn/onnx.
//   - nothing else is installed (gpu.js in particular, and no protobuf library for @rnn/onnx),
//     and every @rnn package came from our tarballs, not from the registry;
//   - scripts/consumer/lstm-cpu.mjs runs an LSTM forward and backward in plain Node ESM, with
//     a finite-difference check of the gradients;
//   - the example of each of the four READMEs (its first ```js block) runs as written;
//   - on a Node with require(esm) (≥ 20.19), CommonJS `require('@rnn/cells')` works too;
//   - scripts/consumer/lstm-cpu.ts type-checks with tsc under moduleResolution "node16" and
//     "bundler", against the published .d.ts files (skipLibCheck off).
// Scenario "gpujs": the same four plus @rnn/backend-gpujs; scripts/consumer/swap-backend.mjs
//   runs as it is (CPU) and with its one BACKEND line swapped for the gpu.js backend, and the
//   two runs must agree in float32 tolerance. gpu.js comes from the npm registry; its optional
//   native `gl` is left out (it would build from source for minutes), so gpu.js runs in the
//   mode it finds without it. Skipped, saying so, while packages/backend-gpujs is not packed.
//
// Usage: node scripts/consumer-test.mjs [--keep]   (after node scripts/pack-packages.mjs)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capture, publicPackages, root, step, tarballDir, tarballName } from './lib/workspace.mjs';

const keep = process.argv.includes('--keep');
const fixtures = join(root, 'scripts', 'consumer');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

// npm must not see what `pnpm run` puts into the environment (its user agent, the running
// package's npm_package_* fields, pnpm's own settings). npm settings given by the user or CI
// (npm_config_registry, npm_config_cache, …) are kept.
const fromPnpm = /^(npm_package_|npm_lifecycle_|npm_config_user_agent$|npm_execpath$|npm_node_execpath$|npm_command$|pnpm_)/i;
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !fromPnpm.test(key)));

const packages = new Map(publicPackages().map((p) => [p.name, p]));
function tarballOf(name) {
  const pkg = packages.get(name);
  if (pkg === undefined) return undefined;
  const file = join(tarballDir, tarballName(pkg.name, pkg.version));
  if (!existsSync(file)) throw new Error(`${file} is missing: run node scripts/pack-packages.mjs first`);
  return file;
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function scratchProject(label, files) {
  const dir = mkdtempSync(join(tmpdir(), `rnn-consumer-${label}-`));
  assert(!dir.startsWith(root), `${dir} must be outside the workspace`);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `rnn-consumer-${label}`, private: true, type: 'module' }, null, 2)}\n`);
  for (const file of files) copyFileSync(join(fixtures, file), join(dir, file));
  return dir;
}

function npmInstall(dir, tarballs, extra = []) {
  console.log(`  npm install ${tarballs.map((t) => t.slice(tarballDir.length + 1)).join(' ')} ${extra.join(' ')}`);
  capture('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...extra, ...tarballs], { cwd: dir, env: cleanEnv });
}

/** Every @rnn package in the lock resolved to one of our tarballs, never to the registry. */
function assertFromTarballs(dir, names) {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  for (const name of names) {
    const entry = lock.packages?.[`node_modules/${name}`];
    assert(entry !== undefined, `${name} is not installed`);
    assert(String(entry.resolved ?? '').startsWith('file:'), `${name} was resolved from ${entry.resolved}, not from its tarball`);
    assert(entry.version === packages.get(name).version, `${name}@${entry.version} installed, ${packages.get(name).version} packed`);
  }
  const nested = Object.keys(lock.packages ?? {}).filter((key) => /node_modules\/.+\/node_modules\/@rnn\//.test(key));
  assert(nested.length === 0, `a second copy of an @rnn package was installed: ${nested.join(', ')}`);
}

function node(dir, args) {
  const result = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: cleanEnv });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  return result.stdout.trim();
}

const cpuNames = ['@rnn/tensor', '@rnn/cells', '@rnn/backend-cpu', '@rnn/onnx'];
const cpuTarballs = cpuNames.map((name) => {
  const file = tarballOf(name);
  if (file === undefined) throw new Error(`${name} is not a package of this workspace`);
  return file;
});
const scratches = [];

try {
  step(`consumer scenario "cpu": npm install the ${cpuNames.join(', ')} tarballs`);
  const cpu = scratchProject('cpu', ['lstm-cpu.mjs', 'lstm-cpu.ts', 'tsconfig.node16.json', 'tsconfig.bundler.json']);
  scratches.push(cpu);
  npmInstall(cpu, cpuTarballs);
  assertFromTarballs(cpu, cpuNames);
  const installed = readdirSync(join(cpu, 'node_modules')).filter((e) => !e.startsWith('.'));
  assert(JSON.stringify(installed) === '["@rnn"]', `only @rnn packages should be installed, found: ${installed.join(', ')}`);
  assert(!existsSync(join(cpu, 'node_modules', 'gpu.js')), 'gpu.js was installed');
  console.log(`  installed: ${readdirSync(join(cpu, 'node_modules', '@rnn')).map((n) => `@rnn/${n}`).join(', ')} (no gpu.js, nothing else)`);

  step('plain Node ESM: LSTM forward and backward');
  console.log(`  ${node(cpu, ['lstm-cpu.mjs'])}`);

  step('the README examples');
  for (const name of cpuNames) {
    const readme = readFileSync(join(packages.get(name).dir, 'README.md'), 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    assert(example !== undefined, `${name}: README.md has no \`\`\`js example`);
    const file = `readme-${name.split('/')[1]}.mjs`;
    writeFileSync(join(cpu, file), example);
    const lines = node(cpu, [file]).split('\n');
    console.log(`  ${name}: ran, printed ${lines.length} line(s), the last: ${lines.at(-1)}`);
  }

  if (process.features.require_module) {
    step('CommonJS require() of the ESM packages (Node require(esm))');
    const out = node(cpu, ['--no-warnings', '-e', "const c = require('@rnn/cells'); const t = require('@rnn/tensor'); if (typeof c.lstmForward !== 'function' || typeof t.RandomState !== 'function') process.exit(1); console.log('require() ok')"]);
    console.log(`  ${out}`);
  } else {
    console.log(`\n  (Node ${process.version} has no require(esm): CommonJS check skipped)`);
  }

  for (const config of ['tsconfig.node16.json', 'tsconfig.bundler.json']) {
    step(`tsc -p ${config}`);
    capture(process.execPath, [tsc, '-p', config], { cwd: cpu, env: cleanEnv });
    console.log('  no errors');
  }

  const gpujsTarball = tarballOf('@rnn/backend-gpujs');
  if (gpujsTarball === undefined) {
    console.log('\n  consumer scenario "gpujs" skipped: packages/backend-gpujs is not in this workspace');
  } else {
    step('consumer scenario "gpujs": the same tarballs plus @rnn/backend-gpujs (gpu.js from the registry, without its optional native gl)');
    const gpu = scratchProject('gpujs', ['swap-backend.mjs']);
    scratches.push(gpu);
    npmInstall(gpu, [...cpuTarballs, gpujsTarball], ['--omit=optional']);
    assertFromTarballs(gpu, [...cpuNames, '@rnn/backend-gpujs']);
    assert(existsSync(join(gpu, 'node_modules', 'gpu.js', 'package.json')), 'gpu.js was not installed with @rnn/backend-gpujs');

    const source = readFileSync(join(gpu, 'swap-backend.mjs'), 'utf8');
    const lines = source.split('\n');
    const marked = lines.filter((line) => line.includes('// BACKEND'));
    assert(marked.length === 1, 'swap-backend.mjs must have exactly one line marked // BACKEND');
    const swapped = lines.map((line) => (line.includes('// BACKEND') ? 'const backend = await createGpuJsBackend(); // BACKEND' : line)).join('\n');
    writeFileSync(join(gpu, 'swap-backend-gpujs.mjs'), swapped);
    const differing = swapped.split('\n').filter((line, i) => line !== lines[i]);
    console.log(`  the one line that changes: ${marked[0].trim()}  →  ${differing[0].trim()}`);

    const onCpu = JSON.parse(node(gpu, ['swap-backend.mjs']).split('\n').at(-1));
    const onGpu = JSON.parse(node(gpu, ['swap-backend-gpujs.mjs']).split('\n').at(-1));
    assert(onCpu.backend === 'cpu' && onGpu.backend === 'gpujs', `backends were ${onCpu.backend} and ${onGpu.backend}`);
    let worst = 0;
    for (const key of ['a', 'yPred', 'dx', 'dWf', 'dbo']) {
      const [x, y] = [onCpu[key], onGpu[key]];
      assert(x.length === y.length && x.length > 0, `${key}: ${x.length} vs ${y.length} values`);
      const { rtol, atol } = key.startsWith('d') ? { rtol: 1e-4, atol: 1e-5 } : { rtol: 1e-5, atol: 1e-6 };
      x.forEach((v, i) => {
        const err = Math.abs(v - y[i]);
        worst = Math.max(worst, err);
        assert(err <= atol + rtol * Math.abs(v), `${key}[${i}]: cpu ${v} vs gpujs ${y[i]}`);
      });
    }
    console.log(`  cpu and gpujs (gpu.js mode '${onGpu.mode}') agree: max abs difference ${worst.toExponential(1)}`);
  }
} finally {
  for (const dir of scratches) {
    if (keep) console.log(`  kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

console.log('\n✓ consumer scenarios pass');
