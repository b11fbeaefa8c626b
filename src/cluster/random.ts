// A small seeded pseudo-random generator: xoshiro128** with its 128-bit state filled
// from the seed by splitmix32. Everything random in the cluster layer (a node's
// randomized election timeout, the bus's loss and jitter, load generators) draws from
// one of these, so a run is a function of its seed.
//
// Only 32-bit integer arithmetic (Math.imul, >>> 0) is used, so the sequence is the
// same on every JS engine.

import type { RandomSource } from '../raft/types';

/** A seeded random stream. */
export interface Random {
  /** The next integer in [0, 2^32). */
  nextUint32(): number;
  /** The next float in [0, 1), with 53 random bits. */
  nextFloat(): number;
  /** The next integer in [0, n); n must be a positive safe integer. */
  nextInt(n: number): number;
  /** The generator's current state (four uint32 words), e.g. for checkpoints. */
  getState(): [number, number, number, number];
  /** An independent generator continuing from the same state. */
  clone(): Random;
}

/** splitmix32: turns any 32-bit seed into a well-mixed stream, used to seed xoshiro. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

class Xoshiro128 implements Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = state;
    // The all-zero state is a fixed point of xoshiro; splitmix never yields it, but
    // a hand-made state might.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  nextFloat(): number {
    // 21 high bits of one draw and 32 of the next: a 53-bit fraction.
    const hi = this.nextUint32() >>> 11;
    const lo = this.nextUint32();
    return (hi * 4294967296 + lo) / 9007199254740992;
  }

  nextInt(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0)
      throw new RangeError(`nextInt: bound must be a positive safe integer, got ${n}`);
    if (n <= 4294967296) {
      // Rejection sampling keeps small bounds exactly uniform.
      const limit = 4294967296 - (4294967296 % n);
      for (;;) {
        const x = this.nextUint32();
        if (x < limit) return x % n;
      }
    }
    return Math.floor(this.nextFloat() * n);
  }

  getState(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  clone(): Random {
    return new Xoshiro128(this.getState());
  }
}

/** A generator seeded from any number (its low 32 bits, and the high bits folded in). */
export function createRandom(seed: number): Random {
  const folded = (seed >>> 0) ^ (Math.floor(seed / 4294967296) >>> 0);
  const sm = splitmix32(folded);
  return new Xoshiro128([sm(), sm(), sm(), sm()]);
}

/** A generator resumed from a state captured with getState(). */
export function restoreRandom(state: readonly [number, number, number, number]): Random {
  return new Xoshiro128(state);
}

/** The raft library's RandomSource ((n) => integer in [0, n)) drawing from r. */
export function randomSource(r: Random): RandomSource {
  return (n: number) => r.nextInt(n);
}
