import type { Backend } from '@rnn/tensor';
import type { Attributes } from '../graph/attributes.js';
import type { ElemType, HostValue, Known, Limits } from '../graph/host-value.js';
import type { Fail } from '../graph/shape.js';

/** What an operator knows about the node it is bound to while the model loads. */
export interface NodeContext {
  /** The node's name (or `#index`). */
  readonly name: string;
  /** The operator, e.g. `Squeeze`. */
  readonly op: string;
  /** The default domain's opset the model imports. */
  readonly opset: number;
  readonly limits: Limits;
  /** Throws an `OnnxImportError` naming the node. */
  readonly fail: Fail;
}

/** What a bound node gets when it runs. */
export interface RunContext {
  /** The backend of the run (resolved on first use; only recurrent nodes need one). */
  readonly backend: () => Backend;
  readonly limits: Limits;
  /** Throws an `OnnxRunError` naming the node. */
  readonly fail: Fail;
}

/** An operator bound to one node's attributes: infers its outputs at load and computes them at run. */
export interface BoundNode {
  /** Types and shapes of every output from what is known of the inputs (`undefined`: an absent optional input); fails on inconsistent shapes. */
  infer(inputs: readonly (Known | undefined)[]): Known[];
  /** Computes every output from the inputs' values. */
  run(inputs: readonly (HostValue | undefined)[], ctx: RunContext): HostValue[] | Promise<HostValue[]>;
  /** True when the node may run while the model loads, its inputs being constants (false for the recurrent nodes, which run on a backend). */
  readonly foldable: boolean;
  /** Frees what the node keeps between runs (prepared weights). */
  dispose?(): void;
}

/** An ONNX operator: how many inputs and outputs it takes, and how a node's attributes bind it. */
export interface Operator {
  /** Fewest and most inputs. */
  readonly inputs: readonly [number, number];
  /** Fewest and most outputs. */
  readonly outputs: readonly [number, number];
  /** The first opset this operator exists in (in the form this package runs). */
  readonly since: number;
  /** Reads and checks the node's attributes (then `attrs.done()`); fails on anything unsupported. */
  bind(attrs: Attributes, ctx: NodeContext): BoundNode;
}

/** Input `i`, which the loader guarantees is present when the operator requires it. */
export function input<T>(inputs: readonly (T | undefined)[], i: number): T {
  const v = inputs[i];
  if (v === undefined) throw new Error(`input ${i} is missing`);
  return v;
}

/** Requires element type `type` (or one of `types`) of input `what`. */
export function requireType(k: { readonly type: ElemType }, types: readonly ElemType[], what: string, fail: Fail): void {
  if (!types.includes(k.type)) fail(`${what} is ${k.type}; this package runs it on ${types.join(' or ')} only`);
}

/** Requires a known rank of `rank` when the rank is known. */
export function requireRank(k: Known, rank: number, what: string, fail: Fail): void {
  if (k.shape !== undefined && k.shape.length !== rank) fail(`${what} has rank ${k.shape.length} (shape [${k.shape.map((d) => d ?? '?').join(', ')}]), expected ${rank}`);
}

/** A node whose outputs are a function of its inputs' values on the host, shapes inferred by `infer`. */
export function hostNode(infer: BoundNode['infer'], run: (inputs: readonly (HostValue | undefined)[], ctx: RunContext) => HostValue[]): BoundNode {
  return { infer, run, foldable: true };
}
