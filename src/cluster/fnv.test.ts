import { describe, expect, it } from 'vitest';
import { FNV32_OFFSET, Fnv1a64, fnv1a32, fnv1a32Hex, fnv1a64 } from './fnv';

// Reference vectors from the FNV authors' test suite (draft-eastlake-fnv).
describe('FNV-1a 64', () => {
  it('matches the reference vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('hashes UTF-8 bytes, the same whole or in pieces', () => {
    const whole = new Fnv1a64();
    whole.updateString('héllo, wörld\n');
    const parts = new Fnv1a64();
    parts.updateString('héllo, ');
    parts.updateBytes(new TextEncoder().encode('wörld'));
    parts.updateString('\n');
    expect(parts.digest()).toBe(whole.digest());
    // é is the two bytes c3 a9 in UTF-8.
    const e = new Fnv1a64();
    e.updateBytes(new Uint8Array([0xc3, 0xa9]));
    expect(fnv1a64('é')).toBe(e.digest());
  });
});

describe('FNV-1a 32', () => {
  it('matches the reference vectors, for bytes and strings alike', () => {
    expect(fnv1a32Hex('')).toBe('811c9dc5');
    expect(fnv1a32Hex('a')).toBe('e40c292c');
    expect(fnv1a32Hex('foobar')).toBe('bf9cf968');
    expect(fnv1a32(new TextEncoder().encode('foobar'))).toBe(0xbf9cf968);
  });

  it('starts from a given basis (the checkers mix an entry type in)', () => {
    const data = new Uint8Array([1, 2, 3]);
    expect(fnv1a32(data, FNV32_OFFSET)).toBe(fnv1a32(data));
    expect(fnv1a32(data, (FNV32_OFFSET ^ 1) >>> 0)).not.toBe(fnv1a32(data));
    // Continuing from a prefix's hash is hashing the whole.
    expect(fnv1a32(new Uint8Array([3]), fnv1a32(new Uint8Array([1, 2])))).toBe(fnv1a32(data));
  });
});
