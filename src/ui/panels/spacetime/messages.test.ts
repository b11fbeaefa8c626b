import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../cluster/cluster';
import type { TraceEvent, TraceKind } from '../../../cluster/recorder';
import { inProcessRuntime } from '../../../cluster/runtime/inProcess';
import { SpaceTimeParser, lowerBound, visibleSpans } from './messages';

function ev(seq: number, time: number, kind: TraceKind, node: number, text: string): TraceEvent {
  return { seq, time, kind, node, text };
}

describe('SpaceTimeParser', () => {
  it('follows a message from send to delivery and one dropped at send', () => {
    const events: TraceEvent[] = [
      ev(0, 1, 'send', 1, '#1 due=1.5 MsgVote 1->2 t2 l1/3'),
      ev(1, 1, 'send', 1, '#2 MsgVote 1->3 t2 l1/3'),
      ev(2, 1, 'drop', 3, '#2 link-down MsgVote 1->3 t2 l1/3'),
    ];
    const p = new SpaceTimeParser();
    p.ingest(events);
    expect(p.spans.map((s) => [s.id, s.fate])).toEqual([
      [1, 'in-flight'],
      [2, 'dropped'],
    ]);
    expect(p.spans[1]!.dropReason).toBe('link-down');
    expect(p.spans[0]!.dueTime).toBe(1.5);
    expect(p.spans[0]!.text).toBe('MsgVote 1->2 t2 l1/3');
    // Incremental: only the new event is read.
    events.push(ev(3, 1.5, 'deliver', 2, '#1 MsgVote 1->2 t2 l1/3'));
    p.ingest(events);
    expect(p.spans[0]!.fate).toBe('delivered');
    expect(p.spans[0]!.endTime).toBe(1.5);
    expect(p.spans.length).toBe(2);
    expect(p.open.size).toBe(0);
    expect(p.maxClosedSpan).toBe(0.5);
  });

  it('marks leaders once per term, crashes, restarts and network faults', () => {
    const p = new SpaceTimeParser();
    p.ingest([
      ev(0, 3, 'send', 2, '#5 due=3.5 MsgApp 2->1 t4 l3/7 c7 e8/4..8/4#1'),
      ev(1, 4, 'send', 2, '#6 due=4.5 MsgHeartbeat 2->1 t4'),
      ev(2, 5, 'fault', 3, 'crash'),
      ev(3, 6, 'fault', 0, 'partition [1,2] [3]'),
      ev(4, 7, 'fault', 3, 'restart incarnation=2'),
      ev(5, 8, 'fault', 0, 'heal'),
    ]);
    expect(p.marks.map((m) => [m.node, m.kind, m.term])).toEqual([
      [2, 'leader', 4],
      [3, 'crash', 0],
      [3, 'restart', 0],
    ]);
    expect(p.network.map((n) => n.text)).toEqual(['partition [1,2] [3]', 'heal']);
  });

  it('starts over on a new trace array (a seek rebuilt the world)', () => {
    const p = new SpaceTimeParser();
    p.ingest([ev(0, 1, 'send', 1, '#1 due=2 MsgApp 1->2 t1')]);
    p.ingest([ev(0, 1, 'send', 1, '#9 due=2 MsgApp 1->3 t1')]);
    expect(p.spans.map((s) => s.id)).toEqual([9]);
  });

  it('visibleSpans keeps what crosses the window, and the latest when over the limit', () => {
    const p = new SpaceTimeParser();
    const events: TraceEvent[] = [];
    let seq = 0;
    for (let i = 1; i <= 100; i++) {
      events.push(ev(seq++, i, 'send', 1, `#${i} due=${i + 0.5} MsgApp 1->2 t1`));
      if (i < 100) events.push(ev(seq++, i + 0.5, 'deliver', 2, `#${i} MsgApp 1->2 t1`));
    }
    p.ingest(events);
    const v = visibleSpans(p, 10.2, 12, 50);
    // #9 ended at 9.5 (before the window), #10 ended at 10.5 (inside), #100 is still in flight but sent later.
    expect(v.map((s) => s.id)).toEqual([10, 11, 12]);
    const late = visibleSpans(p, 0, 200, 5);
    expect(late.map((s) => s.id)).toEqual([96, 97, 98, 99, 100]);
  });

  it('lowerBound finds the first key >= x', () => {
    const a = [1, 2, 2, 5];
    expect(lowerBound(a, 2, (x) => x)).toBe(1);
    expect(lowerBound(a, 3, (x) => x)).toBe(3);
    expect(lowerBound(a, 9, (x) => x)).toBe(4);
  });

  it('reads a real run: every bus delivery and drop is accounted for, and the leader is marked', async () => {
    const c = await Cluster.create({ nodes: 3, seed: 7, runtime: inProcessRuntime });
    try {
      for (let i = 0; i < 40; i++) await c.advance(1);
      const p = new SpaceTimeParser();
      p.ingest(c.events);
      const delivered = p.spans.filter((s) => s.fate === 'delivered').length;
      const dropped = p.spans.filter((s) => s.fate === 'dropped').length;
      expect(delivered).toBe(c.counters.delivered);
      expect(dropped).toBe(c.counters.dropped);
      expect(p.open.size).toBe(c.inFlight().length);
      const leaders = p.marks.filter((m) => m.kind === 'leader');
      expect(leaders.length).toBeGreaterThan(0);
      expect(leaders[leaders.length - 1]!.node).toBe(c.leader());
      for (const s of p.spans) if (s.endTime !== undefined) expect(s.endTime).toBeGreaterThanOrEqual(s.sendTime);
    } finally {
      await c.dispose();
    }
  });
});
