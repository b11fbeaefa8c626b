// EventLog: the ClusterEvents of the current branch of a run, kept by the Cluster (not
// by a World: worlds are rebuilt by seeks, the log outlives them).
//
// Events arrive per step (add), in step order. A step already stored is never stored
// again: replaying it (a seek, a restore from a checkpoint) adds nothing, and the
// stored events are reused as they are. An action taken after seeking back starts a
// new branch: the events after that step are discarded (truncateAfter) and the seq
// numbers continue from there; `generation` says that happened.
//
// Memory is bounded: at most `keep` events are kept (trimmed from the oldest, in
// chunks, like the trace). The first seq of every step is always kept, so step
// boundaries and truncation stay exact after trimming.
//
// Invariants: events[i].seq === firstSeq + i; seqs are consecutive; steps are
// non-decreasing; stepStart[s] is the seq of step s's first event (or of the next
// step's, when s had none); stepStart.length === lastStep + 1.

import type { ClusterEvent, EventLogInfo, EventUpdate } from './events';

export type EventListener = (u: EventUpdate) => void;

export class EventLog {
  private events: ClusterEvent[] = [];
  private first = 0;
  private next = 0;
  private readonly stepStart: number[] = [];
  private gen = 0;
  private readonly listeners = new Set<EventListener>();

  /** keep: how many events to keep in memory at least (Infinity: all). */
  constructor(readonly keep = 10_000) {}

  /** The highest step stored (-1: none yet). */
  get lastStep(): number {
    return this.stepStart.length - 1;
  }

  info(): EventLogInfo {
    return { firstSeq: this.first, nextSeq: this.next, generation: this.gen };
  }

  /**
   * Stores the events of `step`, stamping their step and seq. A step already stored is
   * ignored (returns false). Steps must come in order, without gaps.
   */
  add(step: number, evs: ClusterEvent[]): boolean {
    if (step <= this.lastStep) return false;
    if (step !== this.lastStep + 1) throw new Error(`events: step ${step} after step ${this.lastStep}`);
    const from = this.next;
    this.stepStart.push(from);
    for (const e of evs) {
      e.step = step;
      e.seq = this.next++;
      this.events.push(e);
    }
    if (this.events.length > this.keep + Math.max(1000, this.keep / 2)) {
      const cut = this.events.length - this.keep;
      this.events.splice(0, cut);
      this.first += cut;
    }
    if (this.listeners.size > 0 && evs.length > 0) this.notify({ from, events: evs, generation: this.gen });
    return true;
  }

  /** Discards every step after `step` (a new branch starts there). */
  truncateAfter(step: number): void {
    if (step >= this.lastStep) return;
    const cutSeq = this.stepStart[step + 1]!;
    this.stepStart.length = step + 1;
    const keepCount = Math.max(0, cutSeq - this.first);
    if (keepCount < this.events.length) this.events.length = keepCount;
    if (this.first > cutSeq) this.first = cutSeq;
    this.next = cutSeq;
    this.gen++;
    this.notify({ from: cutSeq, events: [], generation: this.gen });
  }

  /** The kept events with seq >= fromSeq (all kept ones from the oldest when fromSeq is older). */
  since(fromSeq = 0): ClusterEvent[] {
    return this.events.slice(Math.max(0, fromSeq - this.first));
  }

  /** The kept events of one step (empty when it has none, was trimmed, or is not stored). */
  ofStep(step: number): ClusterEvent[] {
    if (!(step >= 0 && step <= this.lastStep)) return [];
    const lo = this.stepStart[step]!;
    const hi = step + 1 <= this.lastStep ? this.stepStart[step + 1]! : this.next;
    return this.events.slice(Math.max(0, lo - this.first), Math.max(0, hi - this.first));
  }

  /** The kept event with this seq. */
  get(seq: number): ClusterEvent | undefined {
    return this.events[seq - this.first];
  }

  /** Calls listener on every change; with fromSeq, first with what is kept from there. */
  subscribe(listener: EventListener, fromSeq?: number): () => void {
    this.listeners.add(listener);
    if (fromSeq !== undefined) listener({ from: fromSeq, events: this.since(fromSeq), generation: this.gen });
    return () => this.listeners.delete(listener);
  }

  /** This log replaces `old` (an import): old's subscribers move here and are told everything changed. */
  replace(old: EventLog): void {
    this.gen = old.gen + 1;
    for (const l of old.listeners) this.listeners.add(l);
    old.listeners.clear();
    this.notify({ from: 0, events: this.since(0), generation: this.gen });
  }

  private notify(u: EventUpdate): void {
    for (const l of this.listeners) l(u);
  }
}
