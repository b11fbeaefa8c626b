// Virtual time. The cluster never reads a wall clock: time is a number of ticks that
// only the scheduler moves forward. A node's logical clock (raft's tick) is driven
// from it: node n ticks every `interval` ticks of virtual time, where the interval is
// 1 stretched by the node's skew (skew 0.1 = a clock running 10% slow).
//
// Times live on a 1/1000-tick grid (see quantize) so that repeated additions stay
// exact and equal times compare equal.

import { quantize } from './bus';

export { quantize };

/** The cluster's virtual clock. Invariant: now never decreases. */
export class VirtualClock {
  private t = 0;

  get now(): number {
    return this.t;
  }

  /** Sets the time of a fresh clock (restoring a checkpoint). */
  restore(t: number): void {
    this.t = t;
  }

  /** Moves time forward to t (no-op if t is not later). */
  advanceTo(t: number): void {
    const q = quantize(t);
    if (q > this.t) this.t = q;
  }
}

/** The tick schedule of one node. */
export class NodeTimer {
  /** Virtual time of the node's next tick. */
  next: number;
  /** Virtual time between two ticks of this node (> 0). */
  readonly interval: number;

  constructor(start: number, interval: number) {
    if (!(interval > 0 && Number.isFinite(interval)))
      throw new Error(`clock: tick interval must be > 0, got ${interval}`);
    this.interval = quantize(interval);
    if (this.interval <= 0) this.interval = 0.001;
    this.next = quantize(start + this.interval);
  }

  /** A timer in a given state (restoring a checkpoint). */
  static at(next: number, interval: number): NodeTimer {
    const t = new NodeTimer(0, interval);
    t.next = next;
    return t;
  }

  /** Number of ticks due at or before now; consumes them. */
  takeDue(now: number): number {
    let n = 0;
    while (this.next <= now) {
      this.next = quantize(this.next + this.interval);
      n++;
    }
    return n;
  }

  /** After a pause: ticks that fell due while the node was frozen are skipped. */
  skipTo(now: number): void {
    if (this.next <= now) this.next = quantize(now + this.interval);
  }
}

/** The tick interval of a node whose clock runs with the given skew (-0.5 < skew <= 10). */
export function tickIntervalFor(baseInterval: number, skew: number): number {
  if (!(skew > -0.5 && skew <= 10)) throw new Error(`clock: skew must be in (-0.5, 10], got ${skew}`);
  return quantize(baseInterval * (1 + skew));
}
