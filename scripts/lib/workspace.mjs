// Helpers shared by the release scripts: where things are, which packages are published,
// and how to run a command so that its failure stops the script.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where `pnpm release:dry` leaves the packed tarballs. */
export const tarballDir = join(root, 'artifacts', 'packages');

/** A binary installed at the workspace root (`node_modules/.bin/<name>`). */
export const bin = (name) => join(root, 'node_modules', '.bin', name);

/** The non-private packages under packages/, sorted by name: `{ name, version, dir, manifest }`. */
export function publicPackages() {
  const base = join(root, 'packages');
  return readdirSync(base)
    .map((entry) => join(base, entry))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ name: manifest.name, version: manifest.version, dir, manifest }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The tarball file name `pnpm pack` gives a package: `@rnn/cells@0.1.0` → `rnn-cells-0.1.0.tgz`. */
export const tarballName = (name, version) => `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;

/**
 * How to call pnpm from a script: the pnpm that runs this script when there is one
 * (`npx -y pnpm@…` in CI puts none on PATH for sure), else `pnpm` from PATH.
 */
export function pnpmCommand() {
  const execPath = process.env.npm_execpath ?? '';
  if (/pnpm/.test(execPath) && existsSync(execPath)) {
    return /\.[cm]?js$/.test(execPath) ? [process.execPath, execPath] : [execPath];
  }
  return ['pnpm'];
}

/** Runs a command with inherited output; throws (naming it) when it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} exited with ${result.status ?? result.signal}`);
  }
  return result;
}

/** Runs a command and returns its stdout; throws with its output when it fails. */
export function capture(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} exited with ${result.status ?? result.signal}\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

/** Prints a step header. */
export const step = (text) => console.log(`\n▶ ${text}`);
