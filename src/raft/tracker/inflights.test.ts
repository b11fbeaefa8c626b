import { describe, expect, it } from 'vitest';
import { RaftPanic } from '../errors';
import { Inflights } from './inflights';

describe('Inflights', () => {
  it('adds in order and grows the ring by doubling', () => {
    const in_ = new Inflights(10, 0);
    for (let i = 0; i < 5; i++) in_.add(i, 100 + i);
    let st = in_.debugState();
    expect(st.start).toBe(0);
    expect(st.count).toBe(5);
    expect(st.bytes).toBe(510);
    expect(st.buffer.length).toBe(8);
    for (let i = 5; i < 10; i++) in_.add(i, 100 + i);
    st = in_.debugState();
    expect(st.count).toBe(10);
    expect(st.bytes).toBe(1045);
    // Capped at size.
    expect(st.buffer.length).toBe(10);
    expect(in_.full()).toBe(true);
  });

  it('freeLE frees from the front and wraps around', () => {
    const in_ = new Inflights(10, 0);
    for (let i = 0; i < 10; i++) in_.add(i, 100 + i);
    in_.freeLE(0);
    expect(in_.debugState()).toMatchObject({ start: 1, count: 9, bytes: 945 });
    in_.freeLE(4);
    expect(in_.debugState()).toMatchObject({ start: 5, count: 5, bytes: 535 });
    in_.freeLE(8);
    expect(in_.debugState()).toMatchObject({ start: 9, count: 1, bytes: 109 });
    for (let i = 10; i < 15; i++) in_.add(i, 100 + i);
    in_.freeLE(12);
    const st = in_.debugState();
    expect(st).toMatchObject({ start: 3, count: 2, bytes: 227 });
    expect(st.buffer.map(([ix]) => ix)).toEqual([10, 11, 12, 13, 14, 5, 6, 7, 8, 9]);
    in_.freeLE(14);
    expect(in_.debugState()).toMatchObject({ start: 0, count: 0, bytes: 0 });
    // Freeing below the window is a no-op.
    in_.add(20, 1);
    in_.freeLE(19);
    expect(in_.count()).toBe(1);
  });

  const fullCases = [
    { name: 'always-full', size: 0, maxBytes: 0, fullAt: 0, freeLE: 0, againAt: 0 },
    { name: 'single-entry', size: 1, maxBytes: 0, fullAt: 1, freeLE: 1, againAt: 2 },
    { name: 'single-entry-overflow', size: 1, maxBytes: 10, fullAt: 1, freeLE: 1, againAt: 2 },
    { name: 'multi-entry', size: 15, maxBytes: 0, fullAt: 15, freeLE: 6, againAt: 22 },
    { name: 'slight-overflow', size: 8, maxBytes: 400, fullAt: 4, freeLE: 2, againAt: 7 },
    { name: 'exact-max-bytes', size: 8, maxBytes: 406, fullAt: 4, freeLE: 3, againAt: 8 },
    { name: 'larger-overflow', size: 15, maxBytes: 408, fullAt: 5, freeLE: 1, againAt: 6 },
  ];
  for (const tc of fullCases) {
    it(`full: ${tc.name}`, () => {
      const in_ = new Inflights(tc.size, tc.maxBytes);
      const addUntilFull = (begin: number, end: number): void => {
        for (let i = begin; i < end; i++) {
          expect(in_.full()).toBe(false);
          in_.add(i, 100 + i);
        }
        expect(in_.full()).toBe(true);
      };
      addUntilFull(0, tc.fullAt);
      in_.freeLE(tc.freeLE);
      addUntilFull(tc.fullAt, tc.againAt);
      expect(() => in_.add(100, 1024)).toThrow(RaftPanic);
    });
  }

  it('unlimited when size and maxBytes are Infinity', () => {
    const in_ = new Inflights(Infinity, Infinity);
    for (let i = 1; i <= 1000; i++) in_.add(i, 1 << 20);
    expect(in_.full()).toBe(false);
    expect(in_.count()).toBe(1000);
    in_.freeLE(999);
    expect(in_.count()).toBe(1);
    expect(in_.bytes()).toBe(1 << 20);
  });

  it('reset does not leak bytes', () => {
    const in_ = new Inflights(10, 1000);
    let index = 0;
    for (let epoch = 0; epoch < 100; epoch++) {
      in_.reset();
      for (let i = 0; i < 5; i++) {
        expect(in_.full()).toBe(false);
        index++;
        in_.add(index, 16);
      }
      in_.freeLE(index - 2);
      expect(in_.full()).toBe(false);
      expect(in_.count()).toBe(2);
    }
    in_.freeLE(index);
    expect(in_.count()).toBe(0);
  });

  it('clone is independent', () => {
    const a = new Inflights(4, 0);
    a.add(1, 10);
    const b = a.clone();
    b.add(2, 10);
    b.freeLE(1);
    expect(a.count()).toBe(1);
    expect(a.bytes()).toBe(10);
    expect(b.count()).toBe(1);
    expect(b.debugState().buffer[1]).toEqual([2, 10]);
  });
});
