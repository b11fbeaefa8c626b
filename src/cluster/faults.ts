// Fault injection: what can go wrong with processes and with the network.
//
// Processes: crash (the runtime is terminated; only the disk survives), restart (a new
// runtime built from the disk alone), pause/resume (a frozen process: it neither ticks
// nor receives; messages for it wait on the bus and arrive after it resumes).
// Network: partitions into groups (links between groups cut both ways), one-way cuts,
// heal, and loss / duplication / latency / hold per link or globally (see bus.ts).
//
// Every fault is written to the trace, so a run's trace shows why it behaved as it did.

import type { LinkFaults } from './bus';
import type { Scheduler } from './scheduler';

export class Faults {
  constructor(private readonly sched: Scheduler) {}

  private note(text: string, node = 0): void {
    this.sched.trace.push(this.sched.now, 'fault', node, text);
  }

  crash(id: number): Promise<void> {
    return this.sched.crash(id);
  }

  restart(id: number): Promise<void> {
    return this.sched.restart(id);
  }

  pause(id: number): void {
    this.sched.setPaused(id, true);
  }

  resume(id: number): void {
    this.sched.setPaused(id, false);
  }

  /**
   * Splits the cluster into groups: every link between two different groups is cut,
   * both ways; links inside a group are restored. Nodes not listed form one more group
   * together. A node may appear in one group only.
   */
  partition(groups: number[][]): void {
    const all = this.sched.ids();
    const groupOf = new Map<number, number>();
    groups.forEach((g, i) =>
      g.forEach((id) => {
        if (groupOf.has(id)) throw new Error(`cluster: node ${id} is in two partition groups`);
        if (!this.sched.nodes.has(id)) throw new Error(`cluster: no node ${id}`);
        groupOf.set(id, i);
      }),
    );
    for (const id of all) if (!groupOf.has(id)) groupOf.set(id, groups.length);
    for (const a of all)
      for (const b of all) {
        if (a === b) continue;
        this.sched.bus.setLinkUp(a, b, groupOf.get(a) === groupOf.get(b));
      }
    this.note(`partition ${groups.map((g) => `[${g.join(',')}]`).join(' ')}`);
    this.sched.events.partition(this.sched.now, groups);
  }

  /** Isolates one node from every other (a partition of one). */
  isolate(id: number): void {
    this.partition([[id]]);
  }

  /** Restores every link. Loss, latency and other link settings are kept (see clearLinkFaults). */
  heal(): void {
    this.sched.bus.healAll();
    this.note('heal');
    this.sched.events.heal(this.sched.now);
  }

  /** Cuts (or restores) the link from -> to; both directions unless oneWay. */
  cut(from: number, to: number, opts: { oneWay?: boolean; up?: boolean } = {}): void {
    const up = opts.up ?? false;
    this.sched.bus.setLinkUp(from, to, up);
    if (!opts.oneWay) this.sched.bus.setLinkUp(to, from, up);
    this.note(`${up ? 'restore' : 'cut'} ${from}${opts.oneWay ? '->' : '<->'}${to}`);
    this.sched.events.cut(this.sched.now, from, to, opts.oneWay ?? false, up);
  }

  /** Loss, duplication, latency, jitter or hold on one directed link. */
  setLinkFaults(from: number, to: number, f: Partial<LinkFaults>): void {
    this.sched.bus.setLinkFaults(from, to, f);
    this.note(`link ${from}->${to} ${describeFaults(f)}`);
    this.sched.events.linkFaults(this.sched.now, 'link', f, from, to);
  }

  /** The same settings for every link (links with their own settings keep those fields). */
  setGlobalFaults(f: Partial<LinkFaults>): void {
    this.sched.bus.setGlobalFaults(f);
    this.note(`global ${describeFaults(f)}`);
    this.sched.events.linkFaults(this.sched.now, 'global', f);
  }

  clearLinkFaults(from?: number, to?: number): void {
    this.sched.bus.clearLinkFaults(from, to);
    this.note(from === undefined ? 'clear-link-faults' : `clear-link-faults ${from}->${to}`);
    this.sched.events.linkFaults(this.sched.now, 'clear', {}, from, to);
  }
}

export function describeFaults(f: Partial<LinkFaults>): string {
  return (['loss', 'duplication', 'latency', 'jitter', 'hold'] as const)
    .filter((k) => f[k] !== undefined)
    .map((k) => `${k}=${String(f[k])}`)
    .join(' ');
}
