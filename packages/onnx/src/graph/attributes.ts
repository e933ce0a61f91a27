import { ATTRIBUTE_TYPE, type AttributeData, type TensorData } from '../proto/onnx-types.js';
import type { Fail } from './shape.js';

type Kind = 'FLOAT' | 'INT' | 'STRING' | 'TENSOR' | 'FLOATS' | 'INTS' | 'STRINGS';

/** The ONNX type an attribute holds: its declared `type`, or for old models the field that is set. */
function kindOf(a: AttributeData): string {
  const declared = Object.entries(ATTRIBUTE_TYPE).find(([, v]) => v === a.type)?.[0];
  if (a.type !== 0) return declared ?? `type ${a.type}`;
  if (a.other.length > 0) return a.other.join(', ');
  if (a.t !== undefined) return 'TENSOR';
  if (a.s !== undefined) return 'STRING';
  if (a.i !== undefined) return 'INT';
  if (a.f !== undefined) return 'FLOAT';
  if (a.ints.length > 0) return 'INTS';
  if (a.floats.length > 0) return 'FLOATS';
  if (a.strings.length > 0) return 'STRINGS';
  return 'UNDEFINED';
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/**
 * A node's attributes, read by name and type. Every attribute must be read (`done()` refuses one
 * that was not, so an attribute this package does not know is an error, never silently ignored),
 * and an attribute newer than the model's opset is refused.
 */
export class Attributes {
  readonly #byName = new Map<string, AttributeData>();
  readonly #read = new Set<string>();

  constructor(
    list: readonly AttributeData[],
    private readonly opset: number,
    private readonly fail: Fail,
  ) {
    for (const a of list) {
      if (this.#byName.has(a.name)) fail(`attribute ${a.name} is given twice`);
      if (a.refAttrName !== undefined) fail(`attribute ${a.name} refers to a function attribute (${a.refAttrName}), which is not supported`);
      this.#byName.set(a.name, a);
    }
  }

  #get(name: string, kind: Kind, since: number): AttributeData | undefined {
    this.#read.add(name);
    const a = this.#byName.get(name);
    if (a === undefined) return undefined;
    if (this.opset < since) this.fail(`attribute ${name} exists from opset ${since}; the model imports opset ${this.opset}`);
    const actual = kindOf(a);
    if (actual !== kind) this.fail(`attribute ${name} is ${actual}, expected ${kind}`);
    return a;
  }

  /** True when the node sets `name` (does not count as reading it). */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** An INT attribute, or `fallback` when absent. */
  int(name: string, fallback: number, since?: number): number;
  int(name: string, fallback?: undefined, since?: number): number | undefined;
  int(name: string, fallback?: number, since = 1): number | undefined {
    return this.#get(name, 'INT', since)?.i ?? fallback;
  }

  /** A FLOAT attribute, or `fallback` when absent. */
  float(name: string, fallback: number, since?: number): number;
  float(name: string, fallback?: undefined, since?: number): number | undefined;
  float(name: string, fallback?: number, since = 1): number | undefined {
    return this.#get(name, 'FLOAT', since)?.f ?? fallback;
  }

  /** A STRING attribute, or `fallback` when absent. */
  string(name: string, fallback: string, since?: number): string;
  string(name: string, fallback?: undefined, since?: number): string | undefined;
  string(name: string, fallback?: string, since = 1): string | undefined {
    const s = this.#get(name, 'STRING', since)?.s;
    return s === undefined ? fallback : text(s);
  }

  /** An INTS attribute, or undefined when absent. */
  ints(name: string, since = 1): number[] | undefined {
    const a = this.#get(name, 'INTS', since);
    return a === undefined ? undefined : [...a.ints];
  }

  /** A FLOATS attribute, or undefined when absent. */
  floats(name: string, since = 1): number[] | undefined {
    const a = this.#get(name, 'FLOATS', since);
    return a === undefined ? undefined : [...a.floats];
  }

  /** A STRINGS attribute, or undefined when absent. */
  strings(name: string, since = 1): string[] | undefined {
    const a = this.#get(name, 'STRINGS', since);
    return a === undefined ? undefined : a.strings.map(text);
  }

  /** A TENSOR attribute, or undefined when absent. */
  tensor(name: string, since = 1): TensorData | undefined {
    return this.#get(name, 'TENSOR', since)?.t;
  }

  /** Refuses any attribute that was not read: this package does not know what it would change. */
  done(): void {
    for (const name of this.#byName.keys()) {
      if (!this.#read.has(name)) this.fail(`attribute ${name} is not supported`);
    }
  }
}
