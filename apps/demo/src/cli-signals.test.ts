import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SequenceModel } from '@rnn/train';
import { describe, expect, it } from 'vitest';

const DEMO_DIR = fileURLToPath(new URL('..', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const pnpmFound = spawnSync('pnpm', ['--version'], { encoding: 'utf8' }).status === 0;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
}

/**
 * Starts `command` in a process group of its own, as a terminal starts a job, waits until stdout
 * shows a training iteration, then sends `signal` to the whole group (as Ctrl-C does: pnpm, the
 * shell, tsx and the program all get it) and waits for the exit.
 */
function interruptWhenTraining(command: string, args: readonly string[], signal: NodeJS.Signals): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: DEMO_DIR, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let sent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!sent && /iteration +\d+\//.test(out)) {
        sent = true;
        process.kill(-(child.pid as number), signal);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => void (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, sig) => resolve({ code, signal: sig, out, err }));
  });
}

/** A run long enough to be interrupted: a progress line every 1,000 of 20,000 one-name iterations. */
const TRAIN = (checkpoint: string): string[] => ['train', '--iterations', '20000', '--batch', '1', '--hidden', '8', '--checkpoint', checkpoint];

/** The exit status a shell reports: the code, or 128 + the signal's number for a process a signal ended (pnpm re-raises SIGINT on itself). */
function shellStatus(run: Run): number {
  return run.code ?? 128 + (run.signal === null ? 0 : constants.signals[run.signal]);
}

async function expectStoppedAndSaved(run: Run, dir: string, signal: NodeJS.Signals): Promise<void> {
  expect(shellStatus(run), run.err).toBe(130);
  expect(run.out).toMatch(new RegExp(`${signal}: stopping after this iteration, then saving`));
  const said = new RegExp(`interrupted by ${signal} after (\\d+) of 20000 iterations; saved .*model\\.ckpt`).exec(run.err);
  expect(said, run.err).not.toBeNull();
  const iterations = Number(said?.[1]);
  expect(iterations).toBeGreaterThanOrEqual(1000);
  expect(iterations).toBeLessThan(20000);
  const model = SequenceModel.load(await readFile(join(dir, 'model.ckpt')));
  expect(model.metadata.iterations).toBe(iterations);
  expect((await readdir(dir)).sort()).toEqual(['model.ckpt', 'model.loss.svg']);
}

describe('pnpm demo train, interrupted', () => {
  it('stops after the current iteration on SIGINT to its process group, saves, says so and exits 130', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-demo-'));
    const run = await interruptWhenTraining(TSX, ['--conditions=@rnn/source', 'src/cli.ts', ...TRAIN(join(dir, 'model.ckpt'))], 'SIGINT');
    await expectStoppedAndSaved(run, dir, 'SIGINT');
  });

  it('does the same on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-demo-'));
    const run = await interruptWhenTraining(TSX, ['--conditions=@rnn/source', 'src/cli.ts', ...TRAIN(join(dir, 'model.ckpt'))], 'SIGTERM');
    await expectStoppedAndSaved(run, dir, 'SIGTERM');
  });

  it.skipIf(!pnpmFound)('does the same through `pnpm run demo`, where pnpm and its shell get the signal too (skipped when pnpm is not on PATH)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnn-demo-'));
    const run = await interruptWhenTraining('pnpm', ['run', 'demo', ...TRAIN(join(dir, 'model.ckpt'))], 'SIGINT');
    await expectStoppedAndSaved(run, dir, 'SIGINT');
  });
});
