import type { ModelSpec, NodeSpec, TensorSpec } from '../proto/onnx-encode.js';
import type { SafetensorsInput } from '../weights/safetensors.js';
import { drawer } from './recurrent-models.js';

/** An `nn.LSTM` / `nn.GRU` / `nn.RNN` as PyTorch configures it. */
export interface TorchRnn {
  readonly mode: 'LSTM' | 'GRU' | 'RNN';
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly bias: boolean;
}

const GATES = { LSTM: 4, GRU: 3, RNN: 1 } as const;

/** A random `state_dict` with PyTorch's names and shapes (`weight_ih_l0 (G·H, I)`, …), under `prefix`. */
export function torchStateDict(r: TorchRnn, seed: number, prefix = ''): Record<string, SafetensorsInput> {
  const draw = drawer(seed);
  const G = GATES[r.mode];
  const H = r.hiddenSize;
  const out: Record<string, SafetensorsInput> = {};
  for (let layer = 0; layer < r.numLayers; layer++) {
    const nIn = layer === 0 ? r.inputSize : (r.bidirectional ? 2 : 1) * H;
    for (const suffix of r.bidirectional ? ['', '_reverse'] : ['']) {
      const s = `_l${layer}${suffix}`;
      out[`${prefix}weight_ih${s}`] = { shape: [G * H, nIn], data: draw(G * H * nIn, 0.5) };
      out[`${prefix}weight_hh${s}`] = { shape: [G * H, H], data: draw(G * H * H, 0.5) };
      if (r.bias) {
        out[`${prefix}bias_ih${s}`] = { shape: [G * H], data: draw(G * H, 0.5) };
        out[`${prefix}bias_hh${s}`] = { shape: [G * H], data: draw(G * H, 0.5) };
      }
    }
  }
  return out;
}

/** Rows of `(G·H, n)` blocks reordered: block `k` of the result is block `order[k]` of `data`. */
function reorder(data: ArrayLike<number>, order: readonly number[], H: number, n: number): number[] {
  return order.flatMap((g) => Array.from({ length: H * n }, (_, k) => data[g * H * n + k] as number));
}

/**
 * The ONNX graph `torch.onnx.export` makes of `nn.{LSTM,GRU,RNN}(…)(x)` for `x (T, batch, I)`, built
 * here independently of `@rnn/onnx`'s own mapping: per layer one node whose `W`, `R`, `B` are the
 * `state_dict` tensors with the gate blocks reordered as PyTorch's symbolic does (LSTM i, f, g, o →
 * i, o, f, c; GRU r, z, n → z, r, n, `linear_before_reset = 1`), Squeeze or Transpose + Reshape between
 * layers. Output `output (T, batch, D·H)`.
 */
export function torchOnnxGraph(r: TorchRnn, sd: Readonly<Record<string, SafetensorsInput>>, prefix = ''): ModelSpec {
  const G = GATES[r.mode];
  const H = r.hiddenSize;
  const D = r.bidirectional ? 2 : 1;
  const order = r.mode === 'LSTM' ? [0, 3, 1, 2] : r.mode === 'GRU' ? [1, 0, 2] : [0];
  const nodes: NodeSpec[] = [];
  const initializers: TensorSpec[] = [];
  let x = 'input';
  for (let layer = 0; layer < r.numLayers; layer++) {
    const nIn = layer === 0 ? r.inputSize : D * H;
    const [W, R, B]: number[][] = [[], [], []];
    for (const suffix of r.bidirectional ? ['', '_reverse'] : ['']) {
      const s = `_l${layer}${suffix}`;
      const t = (name: string): ArrayLike<number> => sd[`${prefix}${name}${s}`]?.data ?? new Array<number>(G * H).fill(0);
      W?.push(...reorder(t('weight_ih'), order, H, nIn));
      R?.push(...reorder(t('weight_hh'), order, H, H));
      B?.push(...reorder(t('bias_ih'), order, H, 1), ...reorder(t('bias_hh'), order, H, 1));
    }
    initializers.push(
      { name: `onnx::${r.mode}_W${layer}`, type: 'float32', dims: [D, G * H, nIn], data: W ?? [] },
      { name: `onnx::${r.mode}_R${layer}`, type: 'float32', dims: [D, G * H, H], data: R ?? [] },
      { name: `onnx::${r.mode}_B${layer}`, type: 'float32', dims: [D, 2 * G * H], data: B ?? [] },
      D === 1 ? { name: `axes${layer}`, type: 'int64', dims: [1], data: [1] } : { name: `shape${layer}`, type: 'int64', dims: [3], data: [0, 0, -1] },
    );
    const attributes = { hidden_size: { int: H }, ...(r.bidirectional ? { direction: { string: 'bidirectional' } } : {}), ...(r.mode === 'GRU' ? { linear_before_reset: { int: 1 } } : {}) };
    const Y = `/rnn/${r.mode}_${layer}_output_0`;
    nodes.push({ opType: r.mode, name: `/rnn/${r.mode}_${layer}`, inputs: [x, `onnx::${r.mode}_W${layer}`, `onnx::${r.mode}_R${layer}`, `onnx::${r.mode}_B${layer}`], outputs: [Y], attributes });
    const next = layer === r.numLayers - 1 ? 'output' : `/rnn/layer${layer}`;
    if (D === 1) nodes.push({ opType: 'Squeeze', inputs: [Y, `axes${layer}`], outputs: [next] });
    else {
      nodes.push({ opType: 'Transpose', inputs: [Y], outputs: [`${Y}_t`], attributes: { perm: { ints: [0, 2, 1, 3] } } });
      nodes.push({ opType: 'Reshape', inputs: [`${Y}_t`, `shape${layer}`], outputs: [next] });
    }
    x = next;
  }
  return {
    irVersion: 8, opset: 17, producerName: 'pytorch-layout', producerVersion: '0',
    graph: { name: 'torch', nodes, initializers, inputs: [{ name: 'input', type: 'float32', shape: ['T', 'batch', r.inputSize] }], outputs: [{ name: 'output', type: 'float32', shape: ['T', 'batch', D * H] }] },
  };
}
