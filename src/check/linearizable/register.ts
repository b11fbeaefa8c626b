// Wing & Gong's search with Lowe's just-in-time linearization and memoisation, for one
// key of a KV register (put sets the value; get must return the current value).
//
// The history is a doubly linked list of call and return events in time order (at equal
// times calls come first, so operations that touch in time count as concurrent). The
// search linearizes an operation whose call comes before the first remaining return,
// lifts it out of the list, and backtracks when it meets a return whose operation was
// not linearized. A (linearized set, register value) pair already explored is never
// explored again. Operations that never completed return at +Infinity: they may be
// linearized at the end, which is the same as not taking effect.

import type { LinOp } from './types';

interface Ev {
  op: number;
  /** For a call: its return event; undefined for a return. */
  match: Ev | undefined;
  prev: Ev | undefined;
  next: Ev | undefined;
}

export interface KeyResult {
  status: 'ok' | 'violated' | 'unknown';
  /** Indexes into ops, in linearization order (longest prefix when violated). */
  order: number[];
  /** For violated: index into ops of the operation that cannot be placed. */
  failAt?: number;
  steps: number;
}

const none = '\u0000';

function lift(e: Ev): void {
  e.prev!.next = e.next;
  if (e.next !== undefined) e.next.prev = e.prev;
  const m = e.match!;
  m.prev!.next = m.next;
  if (m.next !== undefined) m.next.prev = m.prev;
}

function unlift(e: Ev): void {
  const m = e.match!;
  m.prev!.next = m;
  if (m.next !== undefined) m.next.prev = m;
  e.prev!.next = e;
  if (e.next !== undefined) e.next.prev = e;
}

export function checkKey(ops: readonly LinOp[], budget: number): KeyResult {
  const n = ops.length;
  const events: { t: number; call: boolean; ev: Ev }[] = [];
  for (let i = 0; i < n; i++) {
    const o = ops[i]!;
    const ret: Ev = { op: i, match: undefined, prev: undefined, next: undefined };
    const call: Ev = { op: i, match: ret, prev: undefined, next: undefined };
    events.push({ t: o.invoke, call: true, ev: call }, { t: o.complete, call: false, ev: ret });
  }
  events.sort((a, b) => a.t - b.t || (a.call === b.call ? a.ev.op - b.ev.op : a.call ? -1 : 1));
  const head: Ev = { op: -1, match: undefined, prev: undefined, next: undefined };
  let tail = head;
  for (const { ev } of events) {
    tail.next = ev;
    ev.prev = tail;
    tail = ev;
  }

  const words = new Uint32Array(Math.ceil(n / 32) || 1);
  const seen = new Set<string>();
  const bitsKey = (): string => {
    let s = '';
    for (let i = 0; i < words.length; i++) s += words[i]!.toString(36) + ',';
    return s;
  };
  // forced: a read linearized greedily (see below); backtracking never tries another op in its place.
  const calls: { ev: Ev; state: string; forced: boolean }[] = [];
  let state = none;
  let steps = 0;
  let best: number[] = [];
  let failAt: number | undefined;
  let e = head.next;
  while (head.next !== undefined) {
    if (++steps > budget) return { status: 'unknown', order: [], steps };
    if (e === undefined) {
      // Only reachable if the list has calls whose returns were lifted: cannot happen.
      break;
    }
    // A configuration already explored (reached again through a greedy read): backtrack.
    let dead = false;
    if (e === head.next) {
      // At a fresh configuration: a read that is enabled (its call precedes the first
      // return) and matches the register can go first. Whatever order completes the
      // history can move such a read to the front without breaking real time or values,
      // so this needs no backtracking point.
      let g: Ev | undefined = e;
      let found: Ev | undefined;
      while (g !== undefined && g.match !== undefined) {
        const go = ops[g.op]!;
        if (go.kind === 'get' && (go.value ?? none) === state) {
          found = g;
          break;
        }
        g = g.next;
      }
      if (found !== undefined) {
        const w = found.op >>> 5;
        const bit = 1 << (found.op & 31);
        words[w] = words[w]! | bit;
        const key = bitsKey() + state;
        if (!seen.has(key)) {
          seen.add(key);
          calls.push({ ev: found, state, forced: true });
          lift(found);
          e = head.next;
          continue;
        }
        words[w] = words[w]! & ~bit;
        dead = true;
      }
    }
    if (!dead && e.match !== undefined) {
      const o = ops[e.op]!;
      let next: string | undefined;
      if (o.kind === 'put') next = o.value ?? none;
      else if ((o.value ?? none) === state) next = state;
      if (next !== undefined) {
        const w = e.op >>> 5;
        const bit = 1 << (e.op & 31);
        words[w] = words[w]! | bit;
        const key = bitsKey() + next;
        if (!seen.has(key)) {
          seen.add(key);
          calls.push({ ev: e, state, forced: false });
          state = next;
          lift(e);
          e = head.next;
          continue;
        }
        words[w] = words[w]! & ~bit;
      }
      e = e.next;
    } else {
      if (!dead && calls.length >= best.length && (failAt === undefined || calls.length > best.length)) {
        best = calls.map((c) => c.ev.op);
        failAt = e.op;
      }
      let top = calls.pop();
      for (;;) {
        if (top === undefined) return { status: 'violated', order: best, failAt: failAt ?? e.op, steps };
        e = top.ev;
        state = top.state;
        words[e.op >>> 5] = words[e.op >>> 5]! & ~(1 << (e.op & 31));
        unlift(e);
        if (!top.forced) break;
        top = calls.pop();
      }
      e = e.next;
    }
  }
  return { status: 'ok', order: calls.map((c) => c.ev.op), steps };
}
