import type { FromTrainer, ToTrainer, TrainRequest } from './protocol.js';
import type { RunState } from './state.js';

/**
 * How long a run in training may take to honour Stop (the worker finishes its iteration, or a
 * sample, first) before its worker is ended; with the message on its way this keeps every stop
 * under a second.
 */
export const STOP_GRACE_MS = 600;

/** What the page does as a run goes: redraw, show samples, keep its checkpoint. */
export interface RunView {
  /** The run's state changed: a phase, progress, its end. */
  changed(run: RunState, message: FromTrainer | null): void;
  /** The run ended (done, stopped or failed), with its checkpoint when an iteration finished. */
  ended(run: RunState, checkpoint: Uint8Array | null): void;
}

/** A run in progress: Stop it, or let it end. */
export interface RunHandle {
  readonly run: RunState;
  /**
   * Stops the run within a second: during setup (before its first iteration; gpu.js compiles
   * kernels then and does not read messages) the worker is ended at once; in training it is
   * asked to stop after the current iteration, and ended if it has not within `STOP_GRACE_MS`.
   */
  stop(): void;
}

/** Starts a run in a fresh worker and reports to `view` until it ends. */
export function startRun(run: RunState, request: TrainRequest, view: RunView): RunHandle {
  const worker = new Worker(new URL('./trainer-worker.ts', import.meta.url), { type: 'module' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let over = false;

  const end = (status: RunState['status'], checkpoint: Uint8Array | null, message: FromTrainer | null): void => {
    if (over) return;
    over = true;
    clearTimeout(timer);
    worker.terminate();
    run.status = status;
    run.times.ended = performance.now();
    view.changed(run, message);
    view.ended(run, checkpoint);
  };
  const endWorker = (note: string): void => {
    run.stopNote = note;
    run.seconds = (performance.now() - run.times.started) / 1000;
    end('stopped', null, null);
  };

  worker.onmessage = (event: MessageEvent<FromTrainer>) => {
    if (over) return;
    const m = event.data;
    switch (m.type) {
      case 'phase':
        run.phase = m.phase;
        break;
      case 'ready':
        run.mode = m.mode;
        run.firstSample = m.firstSample;
        run.firstSampleCpu = m.firstSampleCpu;
        run.baseline = m.ngramNatsPerChar;
        run.times.ready = performance.now();
        break;
      case 'progress':
        run.times.progress.push(performance.now());
        if (run.status === 'starting') run.status = 'running';
        run.iterationsDone = m.iteration;
        run.namesPerSecond = m.namesPerSecond;
        run.losses.push(...m.points.map(([i, v]): [number, number] => [i, v]));
        if (m.heldOut !== undefined) run.heldOut.push([m.iteration, m.heldOut]);
        break;
      case 'samples':
        run.samples = [...m.names];
        if (m.heatmap !== undefined) run.heatmap = m.heatmap;
        break;
      case 'done':
        run.iterationsDone = m.iterations;
        run.heldOutFinal = Number.isFinite(m.heldOut) ? m.heldOut : null;
        run.seconds = m.seconds;
        if (m.stopped) run.stopNote = `Stopped after ${m.iterations.toLocaleString('en-US')} of ${request.iterations.toLocaleString('en-US')} iterations.`;
        end(m.stopped ? 'stopped' : 'done', m.checkpoint, m);
        return;
      case 'error':
        run.error = m.message;
        end('error', null, m);
        return;
    }
    view.changed(run, m);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    run.error = event.message || 'the worker failed to start';
    end('error', null, null);
  };
  worker.postMessage(request satisfies ToTrainer);

  return {
    run,
    stop() {
      if (over || run.status === 'stopping') return;
      run.times.stopAsked = performance.now();
      if (run.status === 'starting') {
        endWorker(`Stopped during setup (${run.phase}): the worker was ended.`);
        return;
      }
      run.status = 'stopping';
      worker.postMessage({ type: 'stop' } satisfies ToTrainer);
      view.changed(run, null);
      timer = setTimeout(() => endWorker(`The worker did not stop within ${STOP_GRACE_MS} ms, so it was ended; this run's model is lost.`), STOP_GRACE_MS);
    },
  };
}
