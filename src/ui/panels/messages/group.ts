// Messages in flight grouped per directed link, for the message inspector.

import type { Envelope } from '../../../cluster/bus';

export interface LinkGroup {
  /** "from>to" */
  key: string;
  from: number;
  to: number;
  /** Envelope ids on this link, in delivery order (due time, then id). */
  ids: number[];
  held: number;
}

/** Groups envelopes by link, links ordered by (from, to); within a link, by (dueTime, id). */
export function groupByLink(inFlight: readonly Envelope[], filter?: (e: Envelope) => boolean): LinkGroup[] {
  const groups = new Map<string, { g: LinkGroup; envs: Envelope[] }>();
  for (const e of inFlight) {
    if (filter !== undefined && !filter(e)) continue;
    const key = `${e.from}>${e.to}`;
    let x = groups.get(key);
    if (x === undefined) {
      x = { g: { key, from: e.from, to: e.to, ids: [], held: 0 }, envs: [] };
      groups.set(key, x);
    }
    x.envs.push(e);
    if (e.held) x.g.held++;
  }
  const out: LinkGroup[] = [];
  for (const { g, envs } of groups.values()) {
    envs.sort((a, b) => a.dueTime - b.dueTime || a.id - b.id);
    g.ids = envs.map((e) => e.id);
    out.push(g);
  }
  out.sort((a, b) => a.from - b.from || a.to - b.to);
  return out;
}
