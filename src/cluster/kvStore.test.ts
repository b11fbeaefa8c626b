import { describe, expect, it } from 'vitest';
import { Appender } from './stateMachines/appender';
import { decodePut, encodePut, KVStore } from './stateMachines/kvStore';
import { createRandom } from './random';

describe('KVStore', () => {
  it('encodes and decodes puts', () => {
    const d = encodePut('x', '1', 'c1-7');
    expect(decodePut(d)).toEqual({ key: 'x', value: '1', requestId: 'c1-7' });
    expect(decodePut(new Uint8Array([1, 2, 3]))).toBeUndefined();
    expect(decodePut(new Uint8Array(0))).toBeUndefined();
  });

  it('applies puts and reports their request ids', () => {
    const kv = new KVStore();
    expect(kv.applyNormal(encodePut('a', '1', 'r1'))).toEqual({ summary: 'put a=1', requestId: 'r1' });
    kv.applyNormal(encodePut('a', '2', ''));
    expect(kv.get('a')).toBe('2');
    expect(kv.applyNormal(new TextEncoder().encode('garbage')).summary).toBe('unknown 7B');
    expect(kv.view()).toEqual({ a: '2' });
  });

  it('snapshot and restore round-trip, deterministically', () => {
    const a = new KVStore();
    const b = new KVStore();
    a.applyNormal(encodePut('z', '26', ''));
    a.applyNormal(encodePut('b', '2', ''));
    a.applyNormal(encodePut('10', 'ten', ''));
    b.applyNormal(encodePut('10', 'ten', ''));
    b.applyNormal(encodePut('b', '2', ''));
    b.applyNormal(encodePut('z', '26', ''));
    expect(a.snapshot()).toEqual(b.snapshot());
    const c = new KVStore();
    c.applyNormal(encodePut('gone', 'x', ''));
    c.restore(a.snapshot());
    expect(c.view()).toEqual({ z: '26', b: '2', '10': 'ten' });
    expect(c.get('gone')).toBeUndefined();
    c.restore(new Uint8Array(0));
    expect(c.size()).toBe(0);
  });
});

describe('Appender', () => {
  it('appends entry data and conf-change contexts; snapshots are the bytes', () => {
    const a = new Appender();
    const enc = new TextEncoder();
    a.applyNormal(enc.encode('ab'));
    a.applyConfChange(enc.encode('cc'));
    a.applyNormal(new Uint8Array(0));
    expect(new TextDecoder().decode(a.snapshot())).toBe('abcc');
    const b = new Appender();
    b.restore(a.snapshot());
    b.applyNormal(enc.encode('d'));
    expect(new TextDecoder().decode(b.content())).toBe('abccd');
    expect(new TextDecoder().decode(a.content())).toBe('abcc');
  });
});

describe('random', () => {
  it('is a deterministic function of the seed', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    const sb = Array.from({ length: 20 }, () => b.nextUint32());
    const sc = Array.from({ length: 20 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('draws in range and covers it', () => {
    const r = createRandom(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = r.nextInt(10);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(10);
      seen.add(x);
      const f = r.nextFloat();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
    expect(seen.size).toBe(10);
    const k = r.clone();
    expect(k.nextUint32()).toBe(r.nextUint32());
  });
});
