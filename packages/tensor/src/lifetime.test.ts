import { describe, expect, it } from 'vitest';
import { DataId, type Backend } from './backend.js';
import { InvalidArgumentError } from './errors.js';
import { disposeOnError, keep, tidy } from './lifetime.js';
import { Tensor, tensor } from './tensor.js';
import { collectGarbage } from './testing/node.js';

/** A backend that only keeps count of the handles it holds. */
function countingBackend(): Backend & { live: Set<DataId> } {
  const live = new Set<DataId>();
  const backend = {
    name: 'counting', mode: 'test', kernels: {}, live,
    upload: (values: Float64Array | Float32Array) => {
      const id = new DataId('counting', values.length, values instanceof Float32Array ? 'float32' : 'float64');
      live.add(id);
      return id;
    },
    read: () => new Float64Array(0),
    readAsync: async () => new Float64Array(0),
    release: (id: DataId) => void live.delete(id),
    memory: () => ({ tensors: live.size, bytes: 0 }),
    dispose: () => live.clear(),
  };
  return backend as unknown as Backend & { live: Set<DataId> };
}

describe('tidy', () => {
  it('frees what the function made and keeps what it returns, nested or not', () => {
    const outside = tensor([1, 2]);
    let inner: Tensor[] = [];
    const kept = tidy(() => {
      const a = tensor([1]);
      const b = tensor([2]);
      const nested = tidy(() => {
        const c = tensor([3]);
        inner = [a, b, c];
        return { c, pair: [tensor([4])] };
      });
      return [nested.c, nested.pair[0]];
    });
    expect(inner.map((t) => t.isDisposed)).toEqual([true, true, false]);
    expect(kept.every((t) => t?.isDisposed === false)).toBe(true);
    expect(outside.isDisposed).toBe(false);
  });

  it('spares what keep() marks, and frees everything when the function throws', () => {
    let spared: Tensor | undefined;
    let lost: Tensor | undefined;
    expect(() => tidy(() => {
      spared = keep(tensor([1]));
      lost = tensor([2]);
      throw new Error('boom');
    })).toThrow('boom');
    expect(spared?.isDisposed).toBe(false);
    expect(lost?.isDisposed).toBe(true);
  });

  it('refuses an async function after freeing what it made', () => {
    let made: Tensor | undefined;
    let error: unknown;
    try {
      tidy(() => {
        made = tensor([1]);
        return Promise.resolve(made);
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(made?.isDisposed).toBe(true);
  });
});

describe('disposeOnError', () => {
  it('keeps what a successful call made and frees what a failing one made', () => {
    const ok = disposeOnError(() => tensor([1]));
    expect(ok.isDisposed).toBe(false);
    let partial: Tensor | undefined;
    expect(() => disposeOnError(() => {
      partial = tensor([2]);
      throw new Error('out of memory');
    })).toThrow('out of memory');
    expect(partial?.isDisposed).toBe(true);
  });
});

describe('tensors that are collected without dispose()', () => {
  it('give their backend memory back: the kernel output and the copies uploaded elsewhere', async () => {
    const backend = countingBackend();
    const other = countingBackend();
    const make = (): void => {
      const t = Tensor.fromDevice(backend, backend.upload(new Float64Array(4), 'float64'), [4]);
      const h = tensor([1, 2, 3]);
      h.dataIdOn(other);
      expect(t.isDisposed).toBe(false);
    };
    for (let i = 0; i < 50; i++) make();
    expect(backend.live.size).toBe(50);
    expect(other.live.size).toBe(50);
    await collectGarbage();
    expect(backend.live.size).toBe(0);
    expect(other.live.size).toBe(0);
  });
});
