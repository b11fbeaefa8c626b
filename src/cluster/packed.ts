// Encodings of objectGraph.ts (arrays, primitives, Uint8Arrays, and the odd plain
// object) written as bytes, and read back.
//
// Checkpoints keep their images this way. An image kept as JS arrays takes about six
// times its serialized size in the heap (every small array has its headers), and a run
// keeps thousands of them; as one Uint8Array it takes its byte length. Bytes also
// cross postMessage as one copy instead of hundreds of small objects.
//
// Format: a tag byte per value, then
//   INT      zigzag varint (integers up to 2^53)      NUM     8-byte float
//   STR      varint length + UTF-8                    BYTES   varint length + bytes
//   ARRAY    varint length + items                    REF     varint number of an earlier array
//   OBJECT   varint key count + (key string, value)*  (plain objects: inline entries)
//   UNDEF, NULL, FALSE, TRUE, HOLE (an array slot never set)
// Arrays are numbered in the order they are first written; an array met again is a
// REF, so shared arrays (and cycles) come back shared.

const UNDEF = 0;
const NULL = 1;
const FALSE = 2;
const TRUE = 3;
const INT = 4;
const NUM = 5;
const STR = 6;
const BYTES = 7;
const ARRAY = 8;
const REF = 9;
const OBJECT = 10;
const HOLE = 11;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

class Writer {
  buf = new Uint8Array(1024);
  pos = 0;
  private readonly f64 = new Float64Array(1);
  private readonly f64b = new Uint8Array(this.f64.buffer);

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  /** An unsigned integer below 2^53. */
  varint(n: number): void {
    this.room(8);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  num(v: number): void {
    if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
      this.byte(INT);
      this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
    } else {
      this.byte(NUM);
      this.room(8);
      this.f64[0] = v;
      this.buf.set(this.f64b, this.pos);
      this.pos += 8;
    }
  }

  str(s: string): void {
    this.byte(STR);
    // At most 3 bytes per UTF-16 unit.
    this.room(5 + s.length * 3);
    const lenAt = this.pos;
    this.pos += 5;
    const { written } = encoder.encodeInto(s, this.buf.subarray(this.pos));
    // A fixed 5-byte varint keeps the length in place.
    let n = written;
    for (let i = 0; i < 4; i++) {
      this.buf[lenAt + i] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[lenAt + 4] = n;
    this.pos += written;
  }

  bytes(b: Uint8Array): void {
    this.byte(BYTES);
    this.varint(b.length);
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

/** Writes an encoding as bytes. */
export function pack(root: unknown): Uint8Array {
  const w = new Writer();
  const ids = new Map<unknown[], number>();
  const value = (v: unknown): void => {
    switch (typeof v) {
      case 'number':
        w.num(v);
        return;
      case 'string':
        w.str(v);
        return;
      case 'boolean':
        w.byte(v ? TRUE : FALSE);
        return;
      case 'undefined':
        w.byte(UNDEF);
        return;
      case 'object':
        break;
      default:
        throw new Error(`pack: cannot write a ${typeof v}`);
    }
    if (v === null) {
      w.byte(NULL);
      return;
    }
    if (Array.isArray(v)) {
      const id = ids.get(v);
      if (id !== undefined) {
        w.byte(REF);
        w.varint(id);
        return;
      }
      ids.set(v, ids.size);
      w.byte(ARRAY);
      w.varint(v.length);
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) w.byte(HOLE);
        else value(v[i]);
      }
      return;
    }
    if (v instanceof Uint8Array) {
      w.bytes(v);
      return;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null)
      throw new Error('pack: only arrays, Uint8Arrays and plain objects');
    const keys = Object.keys(v);
    w.byte(OBJECT);
    w.varint(keys.length);
    for (const k of keys) {
      w.str(k);
      value((v as Record<string, unknown>)[k]);
    }
  };
  value(root);
  return w.buf.slice(0, w.pos);
}

/** Reads bytes written by pack. */
export function unpack(bytes: Uint8Array): unknown {
  const b = bytes;
  let pos = 0;
  const arrays: unknown[][] = [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const varint = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      const x = b[pos++]!;
      n += (x & 0x7f) * mul;
      if (x < 0x80) return n;
      mul *= 0x80;
    }
  };
  const value = (): unknown => {
    const tag = b[pos++];
    switch (tag) {
      case UNDEF:
        return undefined;
      case NULL:
        return null;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case INT: {
        const z = varint();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case NUM: {
        const v = dv.getFloat64(pos, true);
        pos += 8;
        return v;
      }
      case STR: {
        const n = varint();
        const s = decoder.decode(b.subarray(pos, pos + n));
        pos += n;
        return s;
      }
      case BYTES: {
        const n = varint();
        const out = b.slice(pos, pos + n);
        pos += n;
        return out;
      }
      case ARRAY: {
        const n = varint();
        const out: unknown[] = [];
        arrays.push(out);
        for (let i = 0; i < n; i++) {
          if (b[pos] === HOLE) {
            pos++;
            out.length = i + 1;
          } else out.push(value());
        }
        return out;
      }
      case REF:
        return arrays[varint()];
      case OBJECT: {
        const n = varint();
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const k = value() as string;
          out[k] = value();
        }
        return out;
      }
      default:
        throw new Error(`unpack: bad tag ${String(tag)} at byte ${pos - 1}`);
    }
  };
  const root = value();
  if (pos !== b.length) throw new Error(`unpack: ${b.length - pos} bytes left over`);
  return root;
}

/** The first `n` items of a packed top-level array that holds primitives first (a cheap peek). */
export function unpackHead(bytes: Uint8Array, n: number): unknown[] {
  if (bytes[0] !== ARRAY) return [];
  let pos = 1;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const x = bytes[pos++]!;
      v += (x & 0x7f) * mul;
      if (x < 0x80) return v;
      mul *= 0x80;
    }
  };
  const len = varint();
  const out: unknown[] = [];
  for (let i = 0; i < Math.min(n, len); i++) {
    if (bytes[pos++] !== INT) break;
    const z = varint();
    out.push(z % 2 === 0 ? z / 2 : -(z + 1) / 2);
  }
  return out;
}
