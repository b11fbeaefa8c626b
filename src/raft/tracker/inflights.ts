// A bounded window of the append messages sent to a follower and not yet acknowledged.

import { RaftPanic } from '../errors';

/**
 * A sliding window over in-flight MsgApp messages, each recorded by the index of
 * its last entry and its payload size. Messages are added in increasing index
 * order and freed from the front when acknowledged. The window is full when it
 * holds `size` messages or at least `maxBytes` bytes (maxBytes 0 or Infinity:
 * no byte limit; size Infinity: no count limit).
 *
 * Stored as a ring buffer that grows by doubling up to `size`, so an unused
 * window costs nothing.
 */
export class Inflights {
  /** Position of the oldest in-flight message in the ring. */
  private start = 0;
  private cnt = 0;
  /** Total payload bytes in flight. */
  private bytesInFlight = 0;
  /** Capacity (number of messages). */
  private readonly size: number;
  private readonly maxBytes: number;
  /** Ring storage: last entry index and payload size of each message. */
  private indexes: number[] = [];
  private sizes: number[] = [];

  constructor(size: number, maxBytes: number) {
    this.size = size;
    this.maxBytes = maxBytes;
  }

  /** A deep copy. */
  clone(): Inflights {
    const c = new Inflights(this.size, this.maxBytes);
    c.start = this.start;
    c.cnt = this.cnt;
    c.bytesInFlight = this.bytesInFlight;
    c.indexes = this.indexes.slice();
    c.sizes = this.sizes.slice();
    return c;
  }

  /** Records a sent message whose last entry is `index`. Panics when full. */
  add(index: number, bytes: number): void {
    if (this.full()) throw new RaftPanic('cannot add into a Full inflights');
    let next = this.start + this.cnt;
    if (next >= this.size) next -= this.size;
    if (next >= this.indexes.length) this.grow();
    this.indexes[next] = index;
    this.sizes[next] = bytes;
    this.cnt++;
    this.bytesInFlight += bytes;
  }

  /** Doubles the ring (at least 1, at most size). Only called when the ring is used up to its end. */
  private grow(): void {
    let n = this.indexes.length * 2;
    if (n === 0) n = 1;
    else if (n > this.size) n = this.size;
    for (let i = this.indexes.length; i < n; i++) {
      this.indexes.push(0);
      this.sizes.push(0);
    }
  }

  /** Frees every in-flight message whose last index is <= to. */
  freeLE(to: number): void {
    if (this.cnt === 0 || to < this.indexes[this.start]!) return;
    let idx = this.start;
    let i = 0;
    let freed = 0;
    for (; i < this.cnt; i++) {
      if (to < this.indexes[idx]!) break;
      freed += this.sizes[idx]!;
      idx++;
      if (idx >= this.size) idx -= this.size;
    }
    this.cnt -= i;
    this.bytesInFlight -= freed;
    this.start = idx;
    // An empty window restarts at the front so the ring does not grow needlessly.
    if (this.cnt === 0) this.start = 0;
  }

  /** Whether no more messages may be sent until some are acknowledged. */
  full(): boolean {
    return this.cnt === this.size || (this.maxBytes !== 0 && this.bytesInFlight >= this.maxBytes);
  }

  /** The number of messages in flight. */
  count(): number {
    return this.cnt;
  }

  /** The payload bytes in flight. */
  bytes(): number {
    return this.bytesInFlight;
  }

  /** Empties the window. */
  reset(): void {
    this.start = 0;
    this.cnt = 0;
    this.bytesInFlight = 0;
  }

  /** The ring's internal state, for tests: start slot, count, bytes and every slot as [index, bytes]. */
  debugState(): { start: number; count: number; bytes: number; buffer: Array<[number, number]> } {
    return {
      start: this.start,
      count: this.cnt,
      bytes: this.bytesInFlight,
      buffer: this.indexes.map((ix, i): [number, number] => [ix, this.sizes[i]!]),
    };
  }
}

/** etcd's NewInflights. */
export function newInflights(size: number, maxBytes: number): Inflights {
  return new Inflights(size, maxBytes);
}
