// How many bytes a value takes once serialized the way structured clone does it
// (V8's ValueSerializer, which postMessage and Node's v8.serialize use), without
// serializing it: browsers give no byte count, and checkpoints are measured as they
// are taken. The model follows V8's wire format (a tag byte per value, varint
// integers, one-byte strings, back-references for objects already written); the test
// compares it with v8.serialize on real checkpoints.
//
// `seen` spans calls: an object counted once is a 4-byte back-reference afterwards,
// so structure shared between checkpoints is counted once, where it first appeared.

function varintBytes(n: number): number {
  let b = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    b++;
  }
  return b;
}

// Any character beyond Latin-1.
const wideChar = /[\u0100-\uffff]/;

function stringBytes(s: string): number {
  // One-byte strings are written as Latin-1; others as UTF-16.
  const n = wideChar.test(s) ? s.length * 2 : s.length;
  return 1 + varintBytes(n) + n;
}

function numberBytes(v: number): number {
  // Smi (31-bit integers) as a zigzag varint, the rest as a double.
  if (Number.isInteger(v) && v >= -(2 ** 30) && v < 2 ** 30) return 1 + varintBytes(v < 0 ? -2 * v - 1 : 2 * v);
  return 9;
}

/** Serialized size of v; objects in `seen` (and those added while walking) count as back-references. */
export function serializedSize(v: unknown, seen: WeakSet<object> = new WeakSet()): number {
  switch (typeof v) {
    case 'number':
      return numberBytes(v);
    case 'string':
      return stringBytes(v);
    case 'boolean':
    case 'undefined':
      return 1;
    case 'bigint':
      return 10;
    case 'object':
      break;
    default:
      return 1;
  }
  if (v === null) return 1;
  if (seen.has(v)) return 4;
  seen.add(v);
  let n: number;
  if (Array.isArray(v)) {
    n = 3 + varintBytes(v.length) * 2;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      n += typeof x === 'number' ? numberBytes(x) : serializedSize(x, seen);
    }
    return n;
  }
  if (ArrayBuffer.isView(v)) return 6 + v.byteLength;
  if (v instanceof Map) {
    n = 2 + varintBytes(v.size * 2);
    for (const [k, x] of v) n += serializedSize(k, seen) + serializedSize(x, seen);
    return n;
  }
  if (v instanceof Set) {
    n = 2 + varintBytes(v.size);
    for (const x of v) n += serializedSize(x, seen);
    return n;
  }
  n = 2 + 1;
  for (const k of Object.keys(v)) n += stringBytes(k) + serializedSize((v as Record<string, unknown>)[k], seen);
  return n;
}
