// Linearizable reads (etcd's read_only.go): the leader's queue of ReadIndex requests
// waiting for a quorum of heartbeat acknowledgements (ReadOnlySafe), or answered at
// once under the leader lease (ReadOnlyLeaseBased).
//
// Scheme (ReadOnlySafe): every request queued gets a position (confirmedReads + its
// place in unconfirmedReads). A heartbeat carries, as its context, the position of the
// newest queued request (8 bytes, little endian). A follower echoes the context; once a
// quorum of voters echoed positions >= p, every request up to position p is confirmed:
// the leader was still leader when that request arrived.

import type { JointConfig } from './quorum/joint';
import type { AckedIndexer, Index } from './quorum/quorum';
import type { Message } from './raftpb/types';
import { emptyBytes } from './raftpb/types';
import type { ReadOnlyOption } from './types';

export { ReadOnlyLeaseBased, ReadOnlySafe } from './types';
export type { ReadState } from './types';

/** A ReadIndex request and the commit index the leader had when it arrived. */
export interface ReadIndexRequest {
  req: Message;
  index: number;
}
/** etcd's spelling of the request record. */
export type readIndexRequest = ReadIndexRequest;
/** The name of this record in older etcd versions. */
export type ReadIndexStatus = ReadIndexRequest;

export class ReadOnly implements AckedIndexer {
  option: ReadOnlyOption;
  /** The highest read position each peer acknowledged (via a heartbeat response context). */
  acks: Map<number, number>;
  /** Requests not yet confirmed by a quorum, oldest first. */
  unconfirmedReads: ReadIndexRequest[];
  /** How many requests were confirmed so far (the position of the oldest unconfirmed one). */
  confirmedReads: number;

  constructor(option: ReadOnlyOption) {
    this.option = option;
    this.acks = new Map();
    this.unconfirmedReads = [];
    this.confirmedReads = 0;
  }

  /** Queues a request that the leader received when its commit index was commitIndex. */
  addRequest(commitIndex: number, req: Message): void {
    this.unconfirmedReads.push({ req, index: commitIndex });
  }

  /** Records that `from` acknowledged the read position encoded in ctx (ignored when empty). */
  recvAck(from: number, ctx: Uint8Array): void {
    if (ctx.length === 0) return;
    const pos = decodeUint64LE(ctx);
    const prev = this.acks.get(from) ?? 0;
    this.acks.set(from, pos > prev ? pos : prev);
  }

  /** AckedIndexer over the acknowledged read positions. */
  ackedIndex(voterId: number): Index | undefined {
    return this.acks.get(voterId);
  }

  /**
   * Confirms the requests whose positions a quorum of c acknowledged, and returns
   * them (oldest first); empty when nothing new is confirmed.
   */
  maybeAdvance(c: JointConfig): ReadIndexRequest[] {
    let newConfirmedReads = c.committedIndex(this);
    if (newConfirmedReads <= this.confirmedReads) return [];
    // differs from etcd: an empty voter set yields "everything"; clamp to the queue
    // rather than fail on the out-of-range slice.
    const maxPos = this.confirmedReads + this.unconfirmedReads.length;
    if (newConfirmedReads > maxPos) newConfirmedReads = maxPos;
    const n = newConfirmedReads - this.confirmedReads;
    const readStates = this.unconfirmedReads.slice(0, n);
    this.unconfirmedReads = this.unconfirmedReads.slice(n);
    this.confirmedReads = newConfirmedReads;
    return readStates;
  }

  /** The context for the next heartbeat: the newest queued position, or empty when nothing is queued. */
  heartbeatCtx(): Uint8Array {
    if (this.unconfirmedReads.length === 0) return emptyBytes;
    return encodeUint64LE(this.confirmedReads + this.unconfirmedReads.length);
  }
}

/** etcd's newReadOnly. */
export function newReadOnly(option: ReadOnlyOption): ReadOnly {
  return new ReadOnly(option);
}

/** 8 bytes little endian (values up to 2^53). */
export function encodeUint64LE(v: number): Uint8Array {
  const b = new Uint8Array(8);
  let lo = v % 0x100000000;
  let hi = Math.floor(v / 0x100000000);
  for (let i = 0; i < 4; i++) {
    b[i] = lo & 0xff;
    lo = lo >>> 8;
  }
  for (let i = 4; i < 8; i++) {
    b[i] = hi & 0xff;
    hi = hi >>> 8;
  }
  return b;
}

/** Reads 8 bytes little endian; missing bytes count as zero. */
export function decodeUint64LE(b: Uint8Array): number {
  let lo = 0;
  let hi = 0;
  for (let i = 3; i >= 0; i--) lo = lo * 256 + (b[i] ?? 0);
  for (let i = 7; i >= 4; i--) hi = hi * 256 + (b[i] ?? 0);
  return hi * 0x100000000 + lo;
}

/** etcd's lower-case name for the type. */
export { ReadOnly as readOnly };
