import { describe, expect, it } from 'vitest';
import { HeapAllocator } from './heap-allocator.js';

describe('HeapAllocator', () => {
  it('hands out aligned, disjoint blocks and grows the heap as they need', () => {
    const reserved: number[] = [];
    const heap = new HeapAllocator((bytes) => reserved.push(bytes), 64);
    const a = heap.alloc(10);
    const b = heap.alloc(100);
    expect(a % 16).toBe(0);
    expect(b % 16).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 16);
    expect(reserved.at(-1)).toBe(b + 112);
    expect(heap.liveBytes).toBe(16 + 112);
  });

  it('reuses freed blocks first and merges neighbours', () => {
    const heap = new HeapAllocator(() => undefined, 0);
    const [a, b, c] = [heap.alloc(64), heap.alloc(64), heap.alloc(64)];
    heap.free(a);
    heap.free(b);
    expect(heap.alloc(128)).toBe(a); // a and b merged into one block
    heap.free(c);
    expect(heap.alloc(32)).toBe(c);
    expect(heap.liveBytes).toBe(128 + 32);
  });

  it('extends the last free block instead of leaving a hole at the top', () => {
    const heap = new HeapAllocator(() => undefined, 0);
    const a = heap.alloc(32);
    const b = heap.alloc(32);
    heap.free(b);
    const big = heap.alloc(1000);
    expect(big).toBe(b);
    expect(a).toBe(0);
  });

  it('refuses to free what it did not hand out', () => {
    const heap = new HeapAllocator(() => undefined, 0);
    const a = heap.alloc(16);
    heap.free(a);
    expect(() => heap.free(a)).toThrow(/not a live block/);
  });
});
