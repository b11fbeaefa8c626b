// FNV-1a, the one non-cryptographic hash of the project outside src/raft, in two widths:
//
//   64 bits   the trace hash (recorder.ts) and seed derivation (cluster.ts). Its value
//             names a run, so it must never change: scheduler.test.ts and fnv.test.ts
//             pin the reference vectors, and `npm run sim -- --nodes 3 --seed 7
//             --events 5000` prints trace-hash c5351419f5446092.
//   32 bits   short fingerprints the checkers compare for equality only: an entry's
//             (type, data) and a KV map (cluster/check/fromCluster.ts, dst/monitor.ts).
//             One Math.imul per byte, so it is cheap enough for every applied entry.
//
// Only 32-bit integer arithmetic and doubles below 2^53 are used, so every engine gives
// the same values.

/** FNV-1a 32 offset basis. */
export const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/**
 * FNV-1a 32 of bytes, or of a string's UTF-16 code units (each taken as one "byte", as
 * the checkers always have), starting from `basis` (default: the offset basis). Returns
 * an unsigned 32-bit integer.
 */
export function fnv1a32(data: Uint8Array | string, basis = FNV32_OFFSET): number {
  let h = basis >>> 0;
  if (typeof data === 'string') {
    for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data.charCodeAt(i), FNV32_PRIME) >>> 0;
  } else {
    for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i]!, FNV32_PRIME) >>> 0;
  }
  return h;
}

/** fnv1a32 as 8 hex digits. */
export function fnv1a32Hex(data: Uint8Array | string, basis = FNV32_OFFSET): string {
  return fnv1a32(data, basis).toString(16).padStart(8, '0');
}

/** Incremental 64-bit FNV-1a over UTF-8 bytes, with 16-bit limbs so it stays exact in doubles. */
export class Fnv1a64 {
  // h = h3:h2:h1:h0 (16 bits each); offset basis 0xcbf29ce484222325
  private h0 = 0x2325;
  private h1 = 0x8422;
  private h2 = 0x9ce4;
  private h3 = 0xcbf2;
  private readonly encoder = new TextEncoder();

  updateString(s: string): void {
    this.updateBytes(this.encoder.encode(s));
  }

  updateBytes(bytes: Uint8Array): void {
    let { h0, h1, h2, h3 } = this;
    for (let i = 0; i < bytes.length; i++) {
      h0 ^= bytes[i]!;
      // multiply by the prime 0x100000001b3 = 2^40 + 0x1b3
      const t0 = h0 * 0x1b3;
      const t1 = h1 * 0x1b3;
      const t2 = h2 * 0x1b3;
      const t3 = h3 * 0x1b3;
      // 2^40 = limb 2 shifted by 8 bits: contributes (h0 << 8) to limb 2, (h1 << 8) to limb 3
      let c = t0;
      const n0 = c & 0xffff;
      c = t1 + (c >>> 16);
      const n1 = c & 0xffff;
      c = t2 + (h0 << 8) + Math.floor(c / 0x10000);
      const n2 = c & 0xffff;
      c = t3 + (h1 << 8) + Math.floor(c / 0x10000);
      const n3 = c & 0xffff;
      h0 = n0;
      h1 = n1;
      h2 = n2;
      h3 = n3;
    }
    this.h0 = h0;
    this.h1 = h1;
    this.h2 = h2;
    this.h3 = h3;
  }

  /** The hash so far, as 16 hex digits. */
  digest(): string {
    const hex = (v: number) => v.toString(16).padStart(4, '0');
    return hex(this.h3) + hex(this.h2) + hex(this.h1) + hex(this.h0);
  }
}

/** FNV-1a 64 of a string's UTF-8 bytes, as 16 hex digits. */
export function fnv1a64(s: string): string {
  const h = new Fnv1a64();
  h.updateString(s);
  return h.digest();
}
