import type { GateTrace } from '@rnn/train';
import type { HeatmapData } from './protocol.js';

/** Titles of the activations and states the cells' descriptions name; any other name is shown as it is. */
const TITLES: Readonly<Record<string, string>> = {
  ft: 'forget gate f⟨t⟩', it: 'update gate i⟨t⟩', cct: 'candidate c̃⟨t⟩', ot: 'output gate o⟨t⟩',
  zt: 'update gate z⟨t⟩', rt: 'reset gate r⟨t⟩', hct: 'candidate h̃⟨t⟩', hh: 'recurrent part hh⟨t⟩',
  a: 'hidden state a⟨t⟩', c: 'cell state c⟨t⟩',
};

/**
 * One panel per activation and state of the bottom layer, in the order the cell's description
 * lists them, over the characters of `text` (then `⏎` when the name `ended`): column t is the
 * step that writes character t.
 */
export function traceHeatmap(text: string, ended: boolean, trace: GateTrace): HeatmapData {
  const panels = Object.entries(trace.layers[0] ?? {}).map(([name, steps]) => {
    const values = steps.map((s) => Array.from(s));
    return { title: TITLES[name] ?? name, values, diverging: values.some((column) => column.some((v) => v < 0)) };
  });
  return { labels: [...text, ...(ended ? ['⏎'] : [])], cell: trace.cell, panels };
}
