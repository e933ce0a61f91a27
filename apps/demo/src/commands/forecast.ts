import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CELLS, type CellName } from '@rnn/cells';
import { SequenceModel } from '@rnn/train';
import { COMMON_OPTIONS, flag, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { BACKENDS } from '../backends.js';
import { EXIT } from '../exit-codes.js';
import { meanSquaredError, seasonalSeries, windowsOf } from '../forecast/series.js';
import { lines, type Io } from '../io.js';
import { chartSvg } from '../training/chart-svg.js';
import { choiceOption, numberOption } from '../training/numbers.js';
import { DEMO_DIR, userPath } from '../training/paths.js';

/**
 * The defaults of `pnpm demo forecast`: a 2-layer GRU of 32 units on windows of 24 steps learns
 * the series to well under the naive forecast's error in about 20 s on the CPU backend of a
 * 2-core machine; early stopping usually ends it before the last epoch.
 */
export const FORECAST_DEFAULTS = {
  cell: 'gru' as CellName,
  layers: 2,
  hidden: 32,
  window: 24,
  epochs: 40,
  batchSize: 32,
  learningRate: 0.01,
  patience: 6,
  length: 800,
  noise: 0.1,
  seed: 1,
};

const d = FORECAST_DEFAULTS;

/** `pnpm demo forecast`: its options. */
export const spec: CommandSpec = {
  name: 'forecast',
  summary: [
    `Makes a noisy seasonal series of ${d.length} steps (a cycle of 24 steps, a slower one of 100, Gaussian noise), trains a`,
    'stacked recurrent model to predict the next value from the ones before it (last-step regression) on',
    'the first 70 %, stops early on the next 10 %, and reports its error on the last 20 % next to the naive',
    'forecast that repeats the last value. Writes the held-out prediction against the truth as SVG.',
  ].join('\n'),
  options: {
    cell: { type: 'string', value: Object.keys(CELLS).join('|'), description: 'the recurrent cell', default: d.cell },
    layers: { type: 'string', value: 'N', description: 'layers stacked', default: d.layers },
    hidden: { type: 'string', value: 'N', description: 'hidden units n_a of every layer', default: d.hidden },
    window: { type: 'string', value: 'N', description: 'past steps each prediction reads', default: d.window },
    epochs: { type: 'string', value: 'N', description: 'passes over the training windows at most', default: d.epochs },
    patience: { type: 'string', value: 'N', description: 'epochs without a better validation error before stopping', default: d.patience },
    seed: { type: 'string', value: 'S', description: 'seed of the noise, the weights and the batch order', default: d.seed },
    backend: { type: 'string', value: Object.keys(BACKENDS).join('|'), description: 'where the layers run', default: 'cpu' },
    plot: { type: 'string', value: 'FILE', description: 'where to write the SVG plot', default: 'apps/demo/checkpoints/forecast.svg' },
    ...COMMON_OPTIONS,
  },
};

/** `pnpm demo forecast …`: a time series learned by a stacked GRU, against the naive forecast. */
export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const cell = choiceOption(args, 'cell', Object.keys(CELLS) as CellName[], d.cell);
  const numLayers = numberOption(args, 'layers', d.layers, { integer: true, min: 1 });
  const hiddenSize = numberOption(args, 'hidden', d.hidden, { integer: true, min: 1 });
  const window = numberOption(args, 'window', d.window, { integer: true, min: 1 });
  if (window > d.length / 4) throw new UsageError(`--window must be at most ${d.length / 4} (a quarter of the series); got ${window}`);
  const epochs = numberOption(args, 'epochs', d.epochs, { integer: true, min: 1 });
  const patience = numberOption(args, 'patience', d.patience, { integer: true, min: 1 });
  const seed = numberOption(args, 'seed', d.seed, { integer: true, min: 0 });
  const backendName = choiceOption(args, 'backend', Object.keys(BACKENDS), 'cpu');
  const raw = args.options.get('plot');
  const plot = typeof raw === 'string' ? userPath(raw) : resolve(DEMO_DIR, 'checkpoints', 'forecast.svg');
  const json = flag(args, 'json');
  const make = BACKENDS[backendName];
  if (make === undefined) throw new UsageError(`--backend must be one of ${Object.keys(BACKENDS).join(', ')}`);
  const say = lines(json ? io.err : io.out);
  const progress = lines(io.err);

  // The series, cut in time: train on the first 70 %, stop early on the next 10 %, test on the last 20 %.
  const series = seasonalSeries({ length: d.length, noise: d.noise, seed });
  const [trainEnd, validationEnd] = [Math.round(d.length * 0.7), Math.round(d.length * 0.8)];
  const train = windowsOf(series, window, 0, trainEnd);
  const validation = windowsOf(series, window, trainEnd, validationEnd);
  const test = windowsOf(series, window, validationEnd, d.length);

  const { backend, dtype } = await make();
  try {
    const model = SequenceModel.create({ cell, numLayers, hiddenSize, task: 'last-step-regression', inputSize: 1, outputSize: 1, seed });
    const described = `${numLayers}-layer ${cell.toUpperCase()} (hidden ${hiddenSize})`;
    say(`forecasting the next value from ${window} past ones with a ${described}; backend ${backend.name} (${backend.mode}, ${dtype})`);
    say(`${train.at.length} training windows, ${validation.at.length} for early stopping, ${test.at.length} held out`);
    const report = await model.fit(train, {
      epochs, batchSize: d.batchSize, learningRate: d.learningRate, seed, backend,
      heldOut: validation, earlyStopping: { patience },
      onEpochEnd: (e) => progress(`epoch ${String(e.epoch).padStart(String(epochs).length)}/${epochs}  training MSE ${e.loss.toFixed(4)}  validation MSE ${(e.heldOutLoss ?? Number.NaN).toFixed(4)}`),
    });
    const predicted = (await model.predict(test.inputs, { backend })).last.map(([v]) => v as number);
    const actual = test.targets.map(([v]) => v as number);
    const naive = test.inputs.map((w) => w.at(-1)?.[0] as number);
    const mse = meanSquaredError(predicted, actual);
    const naiveMse = meanSquaredError(naive, actual);
    const stopped = report.stoppedEarly ? `, stopped early; weights of epoch ${report.bestEpoch ?? '?'}` : '';
    say(`${report.epochs} epochs (${report.iterations} iterations) in ${report.seconds.toFixed(1)} s${stopped}`);
    say('');
    say(`held-out mean squared error (${test.at.length} next-step forecasts):`);
    say(`  ${described.padEnd(28)} ${mse.toFixed(4)}   (RMSE ${Math.sqrt(mse).toFixed(3)})`);
    say(`  ${'naive: repeat the last value'.padEnd(28)} ${naiveMse.toFixed(4)}   (RMSE ${Math.sqrt(naiveMse).toFixed(3)})`);
    say(`  ${'noise alone (the floor)'.padEnd(28)} ${(d.noise ** 2).toFixed(4)}   (RMSE ${d.noise.toFixed(3)})`);
    await mkdir(dirname(plot), { recursive: true });
    await writeFile(plot, chartSvg([
      { label: 'truth', color: '#222', dots: true, radius: 2, points: test.at.map((t, i) => [t, actual[i] as number]) },
      { label: `${cell.toUpperCase()} ×${numLayers}, MSE ${mse.toFixed(3)}`, color: '#1f6fd1', points: test.at.map((t, i) => [t, predicted[i] as number]) },
      { label: `naive, MSE ${naiveMse.toFixed(3)}`, color: '#d1551f', dashed: true, points: test.at.map((t, i) => [t, naive[i] as number]) },
    ], { title: `Next-step forecasts on the held-out 20 %: ${described}, window ${window}, seed ${seed}`, xLabel: 'steps', yLabel: 'value', yStep: 0.5, minX: test.at[0] ?? 0 }));
    say(`plot ${plot}`);
    if (json) {
      io.out(`${JSON.stringify({
        cell, numLayers, hiddenSize, window, backend: backend.name, mode: backend.mode, dtype, seed,
        epochs: report.epochs, iterations: report.iterations, stoppedEarly: report.stoppedEarly, bestEpoch: report.bestEpoch ?? null, seconds: Number(report.seconds.toFixed(2)),
        trainWindows: train.at.length, validationWindows: validation.at.length, testWindows: test.at.length,
        mse, naiveMse, noiseMse: d.noise ** 2, validationMse: report.heldOutLoss ?? null, plot,
      })}\n`);
    }
    return EXIT.ok;
  } finally {
    backend.dispose();
  }
}
