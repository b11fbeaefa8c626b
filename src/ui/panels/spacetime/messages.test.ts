import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../cluster/cluster';
import type { ClusterEvent, EventLogInfo, MsgInfo } from '../../../cluster/events';
import { inProcessRuntime } from '../../../cluster/runtime/inProcess';
import { describeMsgShort } from '../../../cluster/scheduler';
import { MsgApp, newEntry, newMessage } from '../../../raft/raftpb/types';
import { describeMsg, SpaceTimeParser, lowerBound, visibleSpans, type EventSource } from './messages';

function msg(type: string, from: number, to: number, term: number, extra: Partial<MsgInfo> = {}): MsgInfo {
  return { type, from, to, term, logTerm: 0, index: 0, commit: 0, vote: 0, reject: false, rejectHint: 0, ...extra };
}

/** A stand-in event log: a growing list with the Cluster's reading API. */
class FakeLog implements EventSource {
  events: ClusterEvent[] = [];
  generation = 0;
  private time = 0;
  private step = 0;
  at(time: number, step = this.step): this {
    this.time = time;
    this.step = step;
    return this;
  }
  add(e: Record<string, unknown> & { kind: string }, node = 0): this {
    this.events.push({ seq: this.events.length, step: this.step, time: this.time, node, ...e } as ClusterEvent);
    return this;
  }
  send(id: number, m: MsgInfo, due?: number): this {
    return this.add({ kind: 'send', to: m.to, envelope: id, msg: m, due }, m.from);
  }
  deliver(id: number, m: MsgInfo): this {
    return this.add({ kind: 'deliver', from: m.from, envelope: id, msg: m, manual: false }, m.to);
  }
  drop(id: number, m: MsgInfo, reason: string): this {
    return this.add({ kind: 'drop', from: m.from, envelope: id, msg: m, reason }, m.to);
  }
  clusterEvents(fromSeq = 0): ClusterEvent[] {
    return this.events.slice(fromSeq);
  }
  eventLogInfo(): EventLogInfo {
    return { firstSeq: 0, nextSeq: this.events.length, generation: this.generation };
  }
}

describe('SpaceTimeParser', () => {
  it('follows a message from send to delivery and one dropped at send', () => {
    const vote = msg('MsgVote', 1, 2, 2, { logTerm: 1, index: 3 });
    const lost = msg('MsgVote', 1, 3, 2, { logTerm: 1, index: 3 });
    const log = new FakeLog().at(1, 1).send(1, vote, 1.5).send(2, lost).drop(2, lost, 'link-down');
    const p = new SpaceTimeParser();
    expect(p.sync(log)).toBe(true);
    expect(p.spans.map((s) => [s.id, s.fate])).toEqual([
      [1, 'in-flight'],
      [2, 'dropped'],
    ]);
    expect(p.spans[1]!.dropReason).toBe('link-down');
    expect(p.spans[0]!.dueTime).toBe(1.5);
    expect(p.spans[0]!.text).toBe('MsgVote 1->2 t2 l1/3');
    // Incremental: only the new event is read; nothing new, nothing changes.
    log.at(1.5, 2).deliver(1, vote);
    expect(p.sync(log)).toBe(true);
    expect(p.spans[0]!.fate).toBe('delivered');
    expect(p.spans[0]!.endTime).toBe(1.5);
    expect(p.spans.length).toBe(2);
    expect(p.open.size).toBe(0);
    expect(p.maxClosedSpan).toBe(0.5);
    expect(p.sync(log)).toBe(false);
  });

  it('marks leaders once per term, crashes, restarts and network faults', () => {
    const log = new FakeLog()
      .at(3)
      .add(
        {
          kind: 'role',
          role: 'leader',
          term: 4,
          lead: 2,
          prev: { role: 'candidate', term: 4, lead: 0 },
          cause: 'step',
        },
        2,
      )
      .add(
        { kind: 'role', role: 'leader', term: 4, lead: 2, prev: { role: 'leader', term: 4, lead: 0 }, cause: 'step' },
        2,
      )
      .at(5)
      .add({ kind: 'crash', incarnation: 1 }, 3)
      .at(6)
      .add({ kind: 'partition', groups: [[1, 2], [3]] })
      .at(7)
      .add({ kind: 'restart', incarnation: 2, term: 4, vote: 2, commit: 5 }, 3)
      .at(8)
      .add({ kind: 'heal' });
    const p = new SpaceTimeParser();
    p.sync(log);
    expect(p.marks.map((m) => [m.node, m.kind, m.term])).toEqual([
      [2, 'leader', 4],
      [3, 'crash', 0],
      [3, 'restart', 0],
    ]);
    expect(p.network.map((n) => n.text)).toEqual(['partition [1,2] [3]', 'heal']);
  });

  it('shows the steps up to the one asked: a rewind undoes later sends, fates and marks', () => {
    const a = msg('MsgApp', 1, 2, 1);
    const b = msg('MsgApp', 1, 3, 1);
    const log = new FakeLog()
      .at(1, 1)
      .send(1, a, 2)
      .at(2, 2)
      .deliver(1, a)
      .send(2, b, 3)
      .add({ kind: 'crash', incarnation: 1 }, 3)
      .at(3, 3)
      .drop(2, b, 'crashed');
    const p = new SpaceTimeParser();
    p.sync(log, 3);
    expect(p.spans.map((s) => [s.id, s.fate])).toEqual([
      [1, 'delivered'],
      [2, 'dropped'],
    ]);
    // Back to step 1: #1 is in flight again, #2 was not sent yet, the crash did not happen.
    p.sync(log, 1);
    expect(p.spans.map((s) => [s.id, s.fate, s.endTime])).toEqual([[1, 'in-flight', undefined]]);
    expect([...p.open.keys()]).toEqual([1]);
    expect(p.marks).toEqual([]);
    expect(p.endTime).toBe(1);
    // Forward again: the same model as before.
    p.sync(log, 3);
    expect(p.spans.map((s) => [s.id, s.fate, s.dropReason])).toEqual([
      [1, 'delivered', undefined],
      [2, 'dropped', 'crashed'],
    ]);
    expect(p.marks.map((m) => m.kind)).toEqual(['crash']);
  });

  it('starts over on a new branch (generation) or another cluster', () => {
    const log = new FakeLog().at(1, 1).send(1, msg('MsgApp', 1, 2, 1), 2);
    const p = new SpaceTimeParser();
    p.sync(log);
    log.events = [];
    log.generation++;
    log.at(1, 1).send(9, msg('MsgApp', 1, 3, 1), 2);
    p.sync(log);
    expect(p.spans.map((s) => s.id)).toEqual([9]);
    const other = new FakeLog().at(1, 1).send(5, msg('MsgApp', 2, 3, 1), 2);
    p.sync(other);
    expect(p.spans.map((s) => s.id)).toEqual([5]);
  });

  it('describes a message as the trace does', () => {
    const m = newMessage({
      type: MsgApp,
      from: 1,
      to: 2,
      term: 3,
      logTerm: 3,
      index: 5,
      commit: 5,
      entries: [newEntry({ index: 6, term: 3 })],
    });
    const info = msg('MsgApp', 1, 2, 3, {
      logTerm: 3,
      index: 5,
      commit: 5,
      entries: { first: 6, firstTerm: 3, last: 6, lastTerm: 3, count: 1 },
    });
    expect(describeMsg(info)).toBe(describeMsgShort(m));
  });

  it('visibleSpans keeps what crosses the window, and the latest when over the limit', () => {
    const p = new SpaceTimeParser();
    const log = new FakeLog();
    for (let i = 1; i <= 100; i++) {
      const m = msg('MsgApp', 1, 2, 1);
      log.at(i, i).send(i, m, i + 0.5);
      if (i < 100) log.at(i + 0.5, i).deliver(i, m);
    }
    p.sync(log);
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
    const c = await Cluster.create({ nodes: 3, seed: 7, runtime: inProcessRuntime, network: { loss: 0.1 } });
    try {
      for (let i = 0; i < 40; i++) await c.advance(1);
      const p = new SpaceTimeParser();
      p.sync(c, c.currentStep);
      const delivered = p.spans.filter((s) => s.fate === 'delivered').length;
      const dropped = p.spans.filter((s) => s.fate === 'dropped').length;
      expect(delivered).toBe(c.counters.delivered);
      expect(dropped).toBe(c.counters.dropped);
      expect(dropped).toBeGreaterThan(0);
      expect(p.open.size).toBe(c.inFlight().length);
      const leaders = p.marks.filter((m) => m.kind === 'leader');
      expect(leaders.length).toBeGreaterThan(0);
      expect(leaders[leaders.length - 1]!.node).toBe(c.leader());
      for (const s of p.spans) if (s.endTime !== undefined) expect(s.endTime).toBeGreaterThanOrEqual(s.sendTime);

      // Seeking back shows the earlier state exactly, as a fresh reader of that step sees it.
      const before = c.counters.delivered;
      await c.seek(20);
      p.sync(c, c.currentStep);
      const fresh = new SpaceTimeParser();
      fresh.sync(c, 20);
      const shape = (q: SpaceTimeParser) =>
        q.spans.map((s) => `${s.id}:${s.fate}:${s.endTime ?? '-'}:${s.dropReason ?? '-'}`).join(' ');
      expect(shape(p)).toBe(shape(fresh));
      expect(p.spans.filter((s) => s.fate === 'delivered').length).toBe(c.counters.delivered);
      expect(c.counters.delivered).toBeLessThan(before);
      expect(p.open.size).toBe(c.inFlight().length);
      // A new branch from there: the reader follows it.
      await c.crash(1);
      await c.advance(5);
      p.sync(c, c.currentStep);
      expect(p.marks.filter((m) => m.kind === 'crash').map((m) => m.node)).toEqual([1]);
      expect(p.spans.filter((s) => s.fate === 'delivered').length).toBe(c.counters.delivered);
    } finally {
      await c.dispose();
    }
  });
});
