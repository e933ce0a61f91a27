/**
 * A protobuf wire-format writer for the messages `exportOnnx` and the tests build: fields are
 * appended as byte chunks, and an embedded message is written by its own writer first so its
 * length is known.
 */
export class WireWriter {
  readonly #chunks: Uint8Array[] = [];
  #length = 0;

  #push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  #varint(value: number): void {
    // A negative int64 is its 64-bit two's complement: ten bytes.
    const out: number[] = [];
    let lo: number;
    let hi: number;
    if (value >= 0) {
      lo = value % 0x1_0000_0000;
      hi = Math.floor(value / 0x1_0000_0000);
    } else {
      const big = BigInt.asUintN(64, BigInt(Math.trunc(value)));
      lo = Number(big & 0xffff_ffffn);
      hi = Number(big >> 32n);
    }
    while (hi > 0 || lo >= 0x80) {
      out.push((lo & 0x7f) | 0x80);
      lo = ((lo >>> 7) | ((hi & 0x7f) << 25)) >>> 0;
      hi = hi >>> 7;
    }
    out.push(lo);
    this.#push(Uint8Array.from(out));
  }

  #tag(field: number, wire: number): void {
    this.#varint(field * 8 + wire);
  }

  /** An `int64`/`int32`/enum field (wire type 0); skipped when `value` is undefined. */
  int(field: number, value: number | undefined): this {
    if (value === undefined) return this;
    if (!Number.isInteger(value)) throw new Error(`WireWriter.int: field ${field} is ${value}, not an integer`);
    this.#tag(field, 0);
    this.#varint(value);
    return this;
  }

  /** A float field (wire type 5). */
  float(field: number, value: number | undefined): this {
    if (value === undefined) return this;
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.#tag(field, 5);
    this.#push(b);
    return this;
  }

  /** A bytes field (wire type 2). */
  bytes(field: number, value: Uint8Array | undefined): this {
    if (value === undefined) return this;
    this.#tag(field, 2);
    this.#varint(value.length);
    this.#push(value);
    return this;
  }

  /** A string field, UTF-8; skipped when undefined. */
  string(field: number, value: string | undefined): this {
    return value === undefined ? this : this.bytes(field, new TextEncoder().encode(value));
  }

  /** An embedded message field. */
  message(field: number, inner: WireWriter | undefined): this {
    return inner === undefined ? this : this.bytes(field, inner.finish());
  }

  /** A packed repeated int64 field. */
  packedInts(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const inner = new WireWriter();
    for (const v of values) {
      if (!Number.isInteger(v)) throw new Error(`WireWriter.packedInts: field ${field} holds ${v}, not an integer`);
      inner.#varint(v);
    }
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const b = new Uint8Array(4 * values.length);
    const view = new DataView(b.buffer);
    values.forEach((v, i) => view.setFloat32(4 * i, v, true));
    return this.bytes(field, b);
  }

  /** The bytes written so far, as one array. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const c of this.#chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
