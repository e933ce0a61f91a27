import { backendText, sizeText, type RunState } from './state.js';

/** What a row's buttons do. */
export interface RunActions {
  show(run: RunState): void;
  download(run: RunState): void;
}

const nats = (v: number | null): string => (v === null ? '' : v.toFixed(3));

/** The cells of a run's row, each with the column name it shows under on a phone. */
function cells(run: RunState): [string, string][] {
  const s = run.settings;
  const m = run.model;
  const model = s !== null ? sizeText(s.cell, s.hiddenSize, s.numLayers) : m === null ? '' : sizeText(m.cell, m.hiddenSize, m.numLayers);
  const iterations = s === null
    ? (m?.iterations?.toLocaleString('en-US') ?? '')
    : `${run.iterationsDone.toLocaleString('en-US')} of ${s.iterations.toLocaleString('en-US')}`;
  const heldOut = run.heldOutFinal ?? m?.heldOutNatsPerChar ?? null;
  return [
    ['run', `#${run.id}`],
    ['backend', backendText(run)],
    ['model', model],
    ['seed', String(s?.seed ?? m?.seed ?? '')],
    ['iterations', iterations],
    ['data', s?.data ?? m?.corpus ?? ''],
    ['status', run.status],
    ['time', run.seconds === null ? '' : `${run.seconds.toFixed(1)} s`],
    ['held-out', nats(heldOut)],
    ['3-gram', nats(run.baseline)],
    ['first sample', run.firstSample],
  ];
}

/** A new row for a run: its cells (filled by `renderRuns`) and its buttons. */
function newRow(run: RunState, actions: RunActions): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.run = String(run.id);
  const tds = cells(run).map(([label, text], k) => {
    const td = document.createElement(k === 0 ? 'th' : 'td');
    td.dataset.label = label;
    if (k === 0) {
      td.setAttribute('scope', 'row');
      const swatch = Object.assign(document.createElement('span'), { className: 'swatch' });
      swatch.style.background = run.color;
      td.append(swatch, text);
    }
    return td;
  });
  const buttons = document.createElement('td');
  buttons.dataset.label = 'actions';
  const show = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Show', className: 'show' });
  show.setAttribute('aria-label', `Show run #${run.id}`);
  show.addEventListener('click', () => actions.show(run));
  const download = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Download', className: 'download' });
  download.setAttribute('aria-label', `Download the checkpoint of run #${run.id}`);
  download.addEventListener('click', () => actions.download(run));
  buttons.append(show, ' ', download);
  row.replaceChildren(...tds, buttons);
  return row;
}

/**
 * One row per run and loaded checkpoint, with Show (its samples, heatmap and model) and
 * Download. Rows are updated in place, so a focused button keeps its focus while runs progress.
 */
export function renderRuns(body: HTMLTableSectionElement, runs: readonly RunState[], selected: number | null, actions: RunActions): void {
  const rows = new Map(Array.from(body.rows, (row) => [row.dataset.run, row]));
  runs.forEach((run, index) => {
    const row = rows.get(String(run.id)) ?? newRow(run, actions);
    if (body.rows[index] !== row) body.insertBefore(row, body.rows[index] ?? null);
    if (run.id === selected) row.setAttribute('aria-current', 'true');
    else row.removeAttribute('aria-current');
    cells(run).forEach(([, text], k) => {
      const cell = row.cells[k];
      if (k > 0 && cell !== undefined && cell.textContent !== text) cell.textContent = text;
    });
    const download = row.querySelector('button.download');
    if (download instanceof HTMLButtonElement) download.disabled = !run.hasCheckpoint;
  });
  while (body.rows.length > runs.length) body.deleteRow(-1);
}
