import { Attributes } from './graph/attributes.js';
import { checkShape, formatDims, type Dim, type ElemType, type HostValue, type Known, type Limits } from './graph/host-value.js';
import { elemTypeOf, tensorValue } from './graph/tensor-value.js';
import type { Fail } from './graph/shape.js';
import { OPERATORS } from './ops/registry.js';
import type { BoundNode, NodeContext } from './ops/operator.js';
import { OnnxImportError } from './errors.js';
import type { GraphData, ModelData, ValueInfoData } from './proto/onnx-types.js';

/** The opsets of the default domain this package knows the operators of. */
export const OPSETS = {
  /** The oldest: the first opset of today's `LSTM`, `GRU` and `RNN`. */
  min: 7,
  /** The newest whose operator versions this package knows. */
  max: 22,
} as const;
/** The IR versions it reads. */
export const IR_VERSIONS = {
  /** The oldest. */
  min: 3,
  /** The newest. */
  max: 11,
} as const;

/** A graph input or output as the model declares it: element type and shape (a number, a symbolic name, or null for an unknown dim). */
export interface OnnxValueInfo {
  /** The name a feed or a result is keyed by. */
  readonly name: string;
  /** `float32`, or for integer inputs such as `sequence_lens` `int32` / `int64`. */
  readonly type: ElemType;
  /** The declared shape, undefined when the model declares none. */
  readonly shape: readonly (number | string | null)[] | undefined;
}

/** A node left to run after loading (constants folded, unused nodes dropped). */
export interface PlannedNode {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly bound: BoundNode;
}

/** A loaded, checked graph: what to feed, what comes out, the constants and the nodes to run in order. */
export interface GraphPlan {
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly constants: ReadonlyMap<string, HostValue>;
  readonly nodes: readonly PlannedNode[];
  readonly opset: number;
}

/** The default domain's opset a model imports, refusing models without one or outside `OPSETS`. */
function defaultOpset(model: ModelData): number {
  const fail: Fail = (problem) => {
    throw new OnnxImportError({}, problem);
  };
  if (model.irVersion < IR_VERSIONS.min || model.irVersion > IR_VERSIONS.max) fail(`IR version ${model.irVersion} is not supported (${IR_VERSIONS.min} to ${IR_VERSIONS.max})`);
  const imports = model.opsetImports.filter((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (imports.length !== 1) fail(imports.length === 0 ? 'the model imports no opset of the default ONNX domain' : 'the model imports the default ONNX domain more than once');
  const version = (imports[0] as { version: number }).version;
  if (version < OPSETS.min || version > OPSETS.max) fail(`opset ${version} is not supported: this package runs opsets ${OPSETS.min} to ${OPSETS.max} of the default domain`);
  return version;
}

function declared(v: ValueInfoData, limits: Limits, fail: Fail, what: string): OnnxValueInfo {
  if (v.type === undefined) fail(`${what} ${v.name} declares no type`);
  if (v.type.kind !== 'tensor') fail(`${what} ${v.name} is a ${v.type.what}, not a tensor`);
  const type = elemTypeOf(v.type.elemType, fail, `${what} ${v.name}`);
  const shape = v.type.shape?.map((d) => d.value ?? d.param ?? null);
  if (shape !== undefined) checkShape(shape.map((d) => (typeof d === 'number' ? d : null)), limits, fail, `${what} ${v.name}`);
  return { name: v.name, type, shape };
}

const dimsOf = (info: OnnxValueInfo): Dim[] | undefined => info.shape?.map((d) => (typeof d === 'number' ? d : null));

/** Refuses a value whose inferred and declared types or shapes disagree. */
function agree(name: string, inferred: Known, info: OnnxValueInfo, fail: Fail, what: string): void {
  if (inferred.type !== info.type) fail(`${what} ${name} is declared ${info.type} but computes ${inferred.type}`);
  const want = dimsOf(info);
  const got = inferred.shape;
  if (want === undefined || got === undefined) return;
  const clash = want.length !== got.length || want.some((d, i) => d !== null && got[i] !== null && d !== got[i]);
  if (clash) fail(`inconsistent shapes: ${what} ${name} is declared ${formatDims(want)} but computes ${formatDims(got)}`);
}

/**
 * Checks and plans a decoded model: opset, every initializer, input and output declaration, and
 * every node (operator, domain, inputs defined before use, attributes, types and shapes), folding
 * the nodes whose inputs are all constants. Throws `OnnxImportError` at the first problem.
 */
export function planGraph(model: ModelData, limits: Limits): GraphPlan {
  const opset = defaultOpset(model);
  const modelFail: Fail = (problem) => {
    throw new OnnxImportError({}, problem);
  };
  const graph: GraphData = model.graph ?? modelFail('the model has no graph');
  if (graph.sparseInitializers > 0) modelFail('sparse initializers are not supported');
  const known = new Map<string, Known>();
  const constants = new Map<string, HostValue>();
  for (const t of graph.initializers) {
    if (t.name === '' || constants.has(t.name)) modelFail(`initializer ${JSON.stringify(t.name)} is unnamed or named twice`);
    const value = tensorValue(t, limits, modelFail, `initializer ${t.name}`);
    constants.set(t.name, value);
    known.set(t.name, { type: value.type, shape: value.shape, value });
  }
  const inputs: OnnxValueInfo[] = [];
  for (const v of graph.inputs) {
    const info = declared(v, limits, modelFail, 'graph input');
    const init = known.get(v.name);
    if (init !== undefined) {
      agree(v.name, init, info, modelFail, 'graph input');
      continue; // an initializer listed as an input (IR < 4): a constant here
    }
    if (known.has(v.name) || inputs.some((i) => i.name === v.name)) modelFail(`graph input ${v.name} is declared twice`);
    inputs.push(info);
    known.set(v.name, { type: info.type, shape: dimsOf(info) });
  }
  const valueInfo = new Map(graph.valueInfo.map((v) => [v.name, v]));
  const nodes: PlannedNode[] = [];
  graph.nodes.forEach((node, index) => {
    const name = node.name === '' ? `#${index}` : node.name;
    const fail: Fail = (problem) => {
      throw new OnnxImportError({ node: name, op: node.opType }, problem);
    };
    if (node.domain !== '' && node.domain !== 'ai.onnx') fail(`operator ${node.opType} of domain ${node.domain} is not supported (only the default ONNX domain)`);
    const op = OPERATORS.get(node.opType) ?? fail(`operator ${node.opType} is not supported; supported: ${[...OPERATORS.keys()].join(', ')}`);
    if (opset < op.since) fail(`operator ${node.opType} needs opset ${op.since}; the model imports ${opset}`);
    const [minIn, maxIn] = op.inputs;
    if (node.inputs.length > maxIn) fail(`has ${node.inputs.length} inputs; ${node.opType} takes at most ${maxIn}`);
    for (let i = 0; i < minIn; i++) if ((node.inputs[i] ?? '') === '') fail(`input ${i} is required`);
    const [minOut, maxOut] = op.outputs;
    if (node.outputs.length > maxOut || node.outputs.length < Math.max(minOut, 1)) fail(`has ${node.outputs.length} outputs; ${node.opType} has ${minOut === maxOut ? maxOut : `${Math.max(minOut, 1)} to ${maxOut}`}`);
    const ins = node.inputs.map((n) => {
      if (n === '') return undefined;
      return known.get(n) ?? fail(`input ${n} is not a graph input, an initializer or an output of an earlier node (nodes must be in topological order)`);
    });
    const ctx: NodeContext = { name, op: node.opType, opset, limits, fail };
    const bound = op.bind(new Attributes(node.attributes, opset, fail), ctx);
    const outs = bound.infer(ins);
    let values: HostValue[] | undefined;
    if (bound.foldable && ins.every((k) => k === undefined || k.value !== undefined)) {
      const result = bound.run(ins.map((k) => k?.value), { backend: () => fail('has no backend while the model loads'), limits, fail });
      if (result instanceof Promise) fail('cannot be folded');
      values = result;
    }
    node.outputs.forEach((out, i) => {
      if (out === '') return;
      if (known.has(out)) fail(`output ${out} is already defined (every value is assigned once)`);
      const inferred = outs[i] ?? fail(`has no output ${i}`);
      const value = values?.[i] ?? inferred.value;
      const k: Known = value === undefined ? inferred : { type: value.type, shape: value.shape, value };
      const info = valueInfo.get(out);
      if (info !== undefined && info.type?.kind === 'tensor' && info.type.shape !== undefined) agree(out, k, declared(info, limits, fail, 'value'), fail, 'value');
      known.set(out, k);
      if (value !== undefined) constants.set(out, value);
    });
    if (values === undefined && !node.outputs.every((o) => o === '' || constants.has(o))) {
      nodes.push({ name, op: node.opType, inputs: node.inputs, outputs: node.outputs, bound });
    }
  });
  const outputs = graph.outputs.map((v) => {
    const info = declared(v, limits, modelFail, 'graph output');
    const k = known.get(v.name) ?? modelFail(`graph output ${v.name} is computed by no node`);
    agree(v.name, k, info, modelFail, 'graph output');
    return info;
  });
  if (outputs.length === 0) modelFail('the graph has no outputs');
  return { inputs, outputs, constants, nodes: live(nodes, outputs.map((o) => o.name)), opset };
}

/** The nodes that lead to `wanted`, in their order. */
function live(nodes: readonly PlannedNode[], wanted: readonly string[]): PlannedNode[] {
  const need = new Set(wanted);
  const keep: PlannedNode[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i] as PlannedNode;
    if (!n.outputs.some((o) => need.has(o))) continue;
    keep.push(n);
    for (const input of n.inputs) if (input !== '') need.add(input);
  }
  return keep.reverse();
}
