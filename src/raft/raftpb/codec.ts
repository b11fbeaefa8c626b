// Protocol-buffer encoding of the messages raft stores in log entries
// (ConfChange, ConfChangeV2), compatible with etcd's raft.proto (proto2), and the
// encoded size of an Entry.
//
// differs from etcd: our objects have no "field is set" bits (see types.ts), so
// encoding uses a fixed rule that matches how etcd raft and its test harness
// build these messages: enums and node ids are always written (etcd always sets
// them), ConfChange.id only when non-zero, contexts only when non-empty.
// Decoding accepts any valid encoding (fields in any order, repeated scalars
// last-wins, unknown fields skipped).

import {
  ConfChangeTransitionAuto,
  emptyBytes,
  newConfChange,
  newConfChangeV2,
  type ConfChange,
  type ConfChangeSingle,
  type ConfChangeV2,
  type Entry,
} from './types';

const WireVarint = 0;
const WireFixed64 = 1;
const WireBytes = 2;
const WireFixed32 = 5;

/** The number of bytes of the varint encoding of a non-negative integer. */
export function varintSize(v: number): number {
  // Seven bits per byte; comparisons rather than a division loop (this runs for
  // every entry whose size is measured).
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  let n = 5;
  for (v = Math.floor(v / 0x800000000); v >= 1; v = Math.floor(v / 128)) n++;
  return n;
}

class Writer {
  private buf: number[] = [];

  varint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`cannot encode ${v} as uint64`);
    while (v >= 128) {
      this.buf.push((v % 128) | 128);
      v = Math.floor(v / 128);
    }
    this.buf.push(v);
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    for (let i = 0; i < b.length; i++) this.buf.push(b[i]!);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.buf);
  }
}

/** Thrown for bytes that are not a valid encoding (etcd's proto.Unmarshal error). */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

class Reader {
  pos = 0;
  constructor(
    private readonly b: Uint8Array,
    private readonly end: number = b.length,
    start = 0,
  ) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new DecodeError('unexpected EOF');
      const byte = this.b[this.pos++]!;
      v += (byte & 127) * mul;
      if (byte < 128) {
        if (v > Number.MAX_SAFE_INTEGER) throw new DecodeError(`varint ${v} exceeds 2^53-1`);
        return v;
      }
      mul *= 128;
    }
    throw new DecodeError('variable length integer overflow');
  }

  /** The end offset of a length-delimited field whose length is read now. */
  lengthDelimited(): number {
    const len = this.varint();
    if (this.pos + len > this.end) throw new DecodeError('unexpected EOF');
    return this.pos + len;
  }

  bytes(): Uint8Array {
    const end = this.lengthDelimited();
    const out = end === this.pos ? emptyBytes : this.b.slice(this.pos, end);
    this.pos = end;
    return out;
  }

  skip(wire: number): void {
    switch (wire) {
      case WireVarint:
        this.varint();
        return;
      case WireFixed64:
        this.advance(8);
        return;
      case WireBytes:
        this.pos = this.lengthDelimited();
        return;
      case WireFixed32:
        this.advance(4);
        return;
      default:
        throw new DecodeError(`cannot parse field of wire type ${wire}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new DecodeError('unexpected EOF');
    this.pos += n;
  }

  /** Reads a tag; returns [field number, wire type]. */
  tag(): [number, number] {
    const t = this.varint();
    const field = Math.floor(t / 8);
    if (field === 0) throw new DecodeError('invalid field number 0');
    return [field, t % 8];
  }

  /** Reads a varint field, or skips the field if it has another wire type. */
  expectVarint(wire: number): number | undefined {
    if (wire !== WireVarint) {
      this.skip(wire);
      return undefined;
    }
    return this.varint();
  }
}

/** The known ConfChangeType values; others are dropped on decode, as proto2 closed enums are. */
function isConfChangeType(v: number): v is ConfChangeSingle['type'] {
  return v === 0 || v === 1 || v === 2 || v === 3;
}

function isTransition(v: number): v is ConfChangeV2['transition'] {
  return v === 0 || v === 1 || v === 2;
}

// ---- ConfChange ----

export function encodeConfChange(cc: ConfChange): Uint8Array {
  const w = new Writer();
  if (cc.id !== 0) {
    w.tag(1, WireVarint);
    w.varint(cc.id);
  }
  w.tag(2, WireVarint);
  w.varint(cc.type);
  w.tag(3, WireVarint);
  w.varint(cc.nodeId);
  if (cc.context.length > 0) {
    w.tag(4, WireBytes);
    w.bytes(cc.context);
  }
  return w.finish();
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  const cc = newConfChange();
  const r = new Reader(data);
  while (!r.done()) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1: {
        const v = r.expectVarint(wire);
        if (v !== undefined) cc.id = v;
        break;
      }
      case 2: {
        const v = r.expectVarint(wire);
        if (v !== undefined && isConfChangeType(v)) cc.type = v;
        break;
      }
      case 3: {
        const v = r.expectVarint(wire);
        if (v !== undefined) cc.nodeId = v;
        break;
      }
      case 4:
        if (wire === WireBytes) cc.context = r.bytes();
        else r.skip(wire);
        break;
      default:
        r.skip(wire);
    }
  }
  return cc;
}

// ---- ConfChangeSingle / ConfChangeV2 ----

function confChangeSingleSize(c: ConfChangeSingle): number {
  return 1 + varintSize(c.type) + 1 + varintSize(c.nodeId);
}

export function encodeConfChangeV2(cc: ConfChangeV2): Uint8Array {
  const w = new Writer();
  w.tag(1, WireVarint);
  w.varint(cc.transition);
  for (const c of cc.changes) {
    w.tag(2, WireBytes);
    w.varint(confChangeSingleSize(c));
    w.tag(1, WireVarint);
    w.varint(c.type);
    w.tag(2, WireVarint);
    w.varint(c.nodeId);
  }
  if (cc.context.length > 0) {
    w.tag(3, WireBytes);
    w.bytes(cc.context);
  }
  return w.finish();
}

function decodeConfChangeSingle(data: Uint8Array, start: number, end: number): ConfChangeSingle {
  const c: ConfChangeSingle = { type: 0, nodeId: 0 };
  const r = new Reader(data, end, start);
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) {
      const v = r.expectVarint(wire);
      if (v !== undefined && isConfChangeType(v)) c.type = v;
    } else if (field === 2) {
      const v = r.expectVarint(wire);
      if (v !== undefined) c.nodeId = v;
    } else {
      r.skip(wire);
    }
  }
  return c;
}

export function decodeConfChangeV2(data: Uint8Array): ConfChangeV2 {
  const cc = newConfChangeV2({ transition: ConfChangeTransitionAuto, changes: [] });
  const r = new Reader(data);
  while (!r.done()) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1: {
        const v = r.expectVarint(wire);
        if (v !== undefined && isTransition(v)) cc.transition = v;
        break;
      }
      case 2:
        if (wire === WireBytes) {
          const end = r.lengthDelimited();
          cc.changes.push(decodeConfChangeSingle(data, r.pos, end));
          r.pos = end;
        } else {
          r.skip(wire);
        }
        break;
      case 3:
        if (wire === WireBytes) cc.context = r.bytes();
        else r.skip(wire);
        break;
      default:
        r.skip(wire);
    }
  }
  return cc;
}

// ---- Entry size ----

/**
 * The protobuf-encoded size of an Entry (etcd's proto.Size, used to bound
 * messages by MaxSizePerMsg). Term and Index are always counted (raft always
 * sets them); Type only when not EntryNormal and Data only when non-empty
 * (entries that raft or the application build without them).
 */
export function entrySize(e: Entry): number {
  let n = 1 + varintSize(e.term) + 1 + varintSize(e.index);
  if (e.type !== 0) n += 1 + varintSize(e.type);
  const len = e.data.length;
  if (len > 0) n += 1 + varintSize(len) + len;
  return n;
}
