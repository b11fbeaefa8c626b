// The copies an observation hands out of the objects the world keeps changing in place.
//
// A reader (the UI) compares observations by identity, so an object that changed must
// come out as a new copy, and one that did not must come out as the same copy as last
// time. The copies are kept in plain Maps that hold only what the current world can
// still change: a WeakMap over every object ever copied grew without bound between
// major collections of the page's large heap, and growing its table stalled single
// seeks for over 100 ms.

import type { Envelope } from './bus';
import type { ClientOp } from './client';

/**
 * Copies of the envelopes on the wire: the bus changes an envelope in place when it is
 * reordered (dueTime) or held (held). A copy is remade only when one of those moved;
 * envelopes that left the wire are forgotten at the next observation.
 */
export class EnvelopeCopies {
  private copies = new Map<Envelope, Envelope>();

  /** Copies of `inFlight`, in its order. */
  view(inFlight: readonly Envelope[]): Envelope[] {
    const next = new Map<Envelope, Envelope>();
    const out = new Array<Envelope>(inFlight.length);
    for (let i = 0; i < inFlight.length; i++) {
      const env = inFlight[i]!;
      let c = this.copies.get(env);
      if (c === undefined || c.dueTime !== env.dueTime || c.held !== env.held) c = { ...env };
      next.set(env, c);
      out[i] = c;
    }
    this.copies = next;
    return out;
  }
}

/**
 * Copies of the client's history. Operations are only appended; one is updated while
 * pending (a read learns its index, then it finishes) and never after, so the copies
 * before the first pending operation are kept from the last view and only the rest is
 * looked at. A frozen operation (restored from a checkpoint's archive, settled) serves
 * as its own copy. A new history array (another world) starts over.
 */
export class HistoryCopies {
  private source: readonly ClientOp[] = [];
  private copies: ClientOp[] = [];
  /** Every op before this index had settled at the last view. */
  private settled = 0;
  /** Copies of the unfrozen ops at or after `settled`, by op. */
  private live = new Map<ClientOp, ClientOp>();

  /** How many copies of changing ops are kept (tests check it stays bounded). */
  get liveCount(): number {
    return this.live.size;
  }

  view(h: readonly ClientOp[]): ClientOp[] {
    if (this.source !== h || this.copies.length > h.length) {
      this.source = h;
      this.copies = [];
      this.settled = 0;
      this.live = new Map();
    }
    const prev = this.copies;
    // Nothing new and no pending op changed: hand out the same array again.
    let same = prev.length === h.length;
    for (let i = this.settled; same && i < h.length; i++) same = this.copy(h[i]!) === prev[i];
    if (same) return prev;
    const out = prev.slice(0, this.settled);
    let settled = this.settled;
    for (let i = this.settled; i < h.length; i++) {
      const op = h[i]!;
      out.push(this.copy(op));
      if (settled === i && op.status !== 'pending') {
        // Never looked at again: its copy stays in `out`.
        this.live.delete(op);
        settled++;
      }
    }
    this.copies = out;
    this.settled = settled;
    return out;
  }

  private copy(op: ClientOp): ClientOp {
    if (Object.isFrozen(op)) return op;
    const c = this.live.get(op);
    if (c !== undefined && c.status === op.status && c.readIndex === op.readIndex && c.found === op.found) return c;
    const copy = { ...op };
    this.live.set(op, copy);
    return copy;
  }
}
