// The narrated feed's data: the controller's cluster's typed events (Cluster.subscribeEvents),
// each turned into a plain-language line by src/explain's narrate(). The UI writes no
// sentence about the run itself.
//
// The feed attaches only while someone watches it (a mounted panel), so a closed feed
// costs nothing; on attach it narrates every event the cluster still keeps. It follows
// the controller's cluster across resets, and a new branch (acting after a seek back)
// drops the lines of the discarded events and narrates again from the kept ones
// (narration carries context from earlier events, so it is rebuilt, not patched).

import { useSyncExternalStore } from 'react';
import type { Cluster } from '../../../cluster/cluster';
import type { ClusterEvent, EventUpdate } from '../../../cluster/events';
import { createNarrationContext, narrate, type NarrationContext } from '../../../explain/narrate';
import type { NarrationLine } from '../../../explain/types';
import { controller, raftStore } from '../../store';

/** At most this many lines are kept (the oldest go first). */
export const maxLines = 20_000;

/** The narrated lines of whichever cluster `source` returns (checked on each `poke`). */
export class Feed {
  lines: NarrationLine[] = [];
  /** Bumped on every change (useSyncExternalStore's snapshot). */
  version = 0;
  private events: ClusterEvent[] = [];
  private ctx: NarrationContext = createNarrationContext();
  private cluster: Cluster | undefined;
  private unsubscribeEvents: (() => void) | undefined;
  private unsubscribeStore: (() => void) | undefined;
  private readonly listeners = new Set<() => void>();

  /**
   * source: the cluster to narrate (it may change: a reset builds a new one); watch:
   * calls back on any change that may have replaced it, returns an unsubscribe.
   */
  constructor(
    private readonly source: () => Cluster | undefined,
    private readonly watch: (poke: () => void) => () => void,
  ) {}

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(l);
      if (this.listeners.size === 0) this.stop();
    };
  };

  getVersion = (): number => this.version;

  private start(): void {
    this.follow();
    this.unsubscribeStore = this.watch(() => this.follow());
  }

  private stop(): void {
    this.unsubscribeStore?.();
    this.unsubscribeStore = undefined;
    this.detach();
  }

  private follow(): void {
    const c = this.source();
    if (c === this.cluster) return;
    this.detach();
    this.cluster = c;
    if (c !== undefined) this.unsubscribeEvents = c.subscribeEvents((u) => this.update(u), 0);
  }

  private detach(): void {
    this.unsubscribeEvents?.();
    this.unsubscribeEvents = undefined;
    this.cluster = undefined;
    this.reset([]);
  }

  private reset(events: ClusterEvent[]): void {
    this.events = events;
    this.ctx = createNarrationContext();
    this.lines = [];
    for (const e of events) this.add(e);
    this.changed();
  }

  private add(e: ClusterEvent): void {
    const l = narrate(e, this.ctx);
    if (l !== undefined) this.lines.push(l);
  }

  private update(u: EventUpdate): void {
    const next = this.events.length === 0 ? u.from : this.events[this.events.length - 1]!.seq + 1;
    if (u.from !== next) {
      // A new branch (or a first batch after trimming): keep the events before `from`, narrate again.
      this.reset(this.events.filter((e) => e.seq < u.from).concat(u.events));
    } else {
      for (const e of u.events) {
        this.events.push(e);
        this.add(e);
      }
      this.changed();
    }
    if (this.events.length > maxLines * 2) this.events.splice(0, this.events.length - maxLines);
    if (this.lines.length > maxLines * 1.25) this.lines.splice(0, this.lines.length - maxLines);
  }

  /** Tells the views, at most once per animation frame (many actions can run within one). */
  private changed(): void {
    this.version++;
    if (typeof requestAnimationFrame === 'undefined') {
      this.notify();
      return;
    }
    if (this.frame === 0)
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.notify();
      });
  }

  private frame = 0;
  private notified = -1;
  private notify(): void {
    if (this.notified === this.version) return;
    this.notified = this.version;
    for (const l of this.listeners) l();
  }
}

/** The app's feed: the controller's cluster, which a reset replaces (checked on each store change). */
export const feed = new Feed(
  () => controller.cluster,
  (poke) => raftStore.subscribe(poke),
);

/**
 * The narrated lines (oldest first; the array grows in place, so depend on `version`),
 * re-rendering the caller when they change; attaches the feed while used.
 */
export function useNarration(): { lines: readonly NarrationLine[]; version: number } {
  const version = useSyncExternalStore(feed.subscribe, feed.getVersion);
  return { lines: feed.lines, version };
}
