import { describe, expect, it } from 'vitest';
import { MsgApp, MsgHeartbeat, newEntry, newMessage } from '../raft/raftpb/types';
import { Bus, messageSize, minLatency } from './bus';
import { createRandom } from './random';

const hb = (from: number, to: number, term = 1) => newMessage({ type: MsgHeartbeat, from, to, term });

describe('Bus', () => {
  it('gives monotonic ids and due times from latency', () => {
    const bus = new Bus(createRandom(1), { latency: 2, jitter: 0 });
    const a = bus.send(hb(1, 2), 0).enqueued[0]!;
    const b = bus.send(hb(1, 3), 0.5).enqueued[0]!;
    expect(a.id).toBe(1);
    expect(b.id).toBe(2);
    expect(a.dueTime).toBe(2);
    expect(b.dueTime).toBe(2.5);
    expect(bus.nextDueTime(() => true)).toBe(2);
    expect(bus.takeDue(2, 1.9).deliver).toHaveLength(0);
    const got = bus.takeDue(2, 2);
    expect(got.deliver.map((e) => e.id)).toEqual([1]);
    expect(bus.counters.delivered).toBe(1);
    expect(bus.size).toBe(1);
  });

  it('never makes a message due at its own instant', () => {
    const bus = new Bus(createRandom(1), { latency: 0, jitter: 0 });
    const e = bus.send(hb(1, 2), 3).enqueued[0]!;
    expect(e.dueTime).toBeGreaterThan(3);
    expect(e.dueTime).toBe(3 + minLatency);
  });

  it('keeps each link FIFO under jitter, deterministically per seed', () => {
    const run = (seed: number) => {
      const bus = new Bus(createRandom(seed), { latency: 0.1, jitter: 5 });
      const dues: number[] = [];
      for (let i = 0; i < 50; i++) dues.push(bus.send(hb(1, 2, i), i * 0.01).enqueued[0]!.dueTime);
      return dues;
    };
    const d = run(7);
    for (let i = 1; i < d.length; i++) expect(d[i]!).toBeGreaterThanOrEqual(d[i - 1]!);
    expect(run(7)).toEqual(d);
    expect(run(8)).not.toEqual(d);
    // Deliveries come out in send order.
    const bus = new Bus(createRandom(3), { latency: 0.1, jitter: 5 });
    for (let i = 0; i < 20; i++) bus.send(hb(1, 2, i), 0);
    expect(bus.takeDue(2, 100).deliver.map((e) => e.msg.term)).toEqual([...Array(20).keys()]);
  });

  it('drops on down links (one-way) at send and at delivery', () => {
    const bus = new Bus(createRandom(1), { latency: 1, jitter: 0 });
    bus.send(hb(1, 2), 0); // in flight before the cut
    bus.setLinkUp(1, 2, false);
    const out = bus.send(hb(1, 2), 0);
    expect(out.enqueued).toHaveLength(0);
    expect(out.dropped?.reason).toBe('link-down');
    // the other direction still works
    expect(bus.send(hb(2, 1), 0).enqueued).toHaveLength(1);
    const due = bus.takeDue(2, 5);
    expect(due.deliver).toHaveLength(0);
    expect(due.dropped.map((e) => e.id)).toEqual([1]);
    expect(bus.counters.dropped).toBe(2);
    expect(bus.downLinks()).toEqual([[1, 2]]);
    bus.healAll();
    expect(bus.isLinkUp(1, 2)).toBe(true);
  });

  it('applies loss and duplication rates per link over global', () => {
    const bus = new Bus(createRandom(42), { latency: 1, jitter: 0 });
    bus.setGlobalFaults({ loss: 0.5 });
    bus.setLinkFaults(1, 3, { loss: 0, duplication: 1 });
    let lost = 0;
    for (let i = 0; i < 400; i++) if (bus.send(hb(1, 2), 0).dropped) lost++;
    expect(lost).toBeGreaterThan(140);
    expect(lost).toBeLessThan(260);
    const out = bus.send(hb(1, 3), 0);
    expect(out.enqueued).toHaveLength(2);
    expect(out.enqueued[1]!.duplicateOf).toBe(out.enqueued[0]!.id);
    expect(bus.faultsOf(1, 3).loss).toBe(0);
    expect(bus.faultsOf(1, 2).loss).toBe(0.5);
    expect(() => bus.setGlobalFaults({ loss: 2 })).toThrow(/probability/);
  });

  it('holds, releases, reorders, duplicates and drops single messages', () => {
    const bus = new Bus(createRandom(1), { latency: 1, jitter: 0 });
    const a = bus.send(hb(1, 2, 1), 0).enqueued[0]!;
    const b = bus.send(hb(1, 2, 2), 0).enqueued[0]!;
    bus.setHeld(a.id, true);
    expect(bus.takeDue(2, 1).deliver.map((e) => e.id)).toEqual([b.id]);
    expect(bus.nextDueTime(() => true)).toBe(Infinity);
    bus.setHeld(a.id, false);
    const c = bus.duplicate(a.id, 1);
    expect(c.duplicateOf).toBe(a.id);
    bus.reorder(a.id, 3, 1);
    expect(bus.takeDue(2, 1).deliver.map((e) => e.id)).toEqual([c.id]);
    expect(bus.take(a.id).id).toBe(a.id);
    expect(() => bus.drop(a.id)).toThrow(/no message/);
    // a link hold stops everything on the link
    bus.send(hb(1, 2), 1);
    bus.setLinkFaults(1, 2, { hold: true });
    expect(bus.takeDue(2, 10).deliver).toHaveLength(0);
    bus.setLinkFaults(1, 2, { hold: false });
    expect(bus.takeDue(2, 10).deliver).toHaveLength(1);
  });

  it('counts bytes with an approximate size', () => {
    const bus = new Bus(createRandom(1));
    const m = newMessage({ type: MsgApp, from: 1, to: 2, entries: [newEntry({ data: new Uint8Array(100) })] });
    expect(messageSize(m)).toBeGreaterThan(100);
    bus.send(m, 0);
    expect(bus.counters.bytesSent).toBe(messageSize(m));
    expect(bus.counters.sentByType['MsgApp']).toBe(1);
  });

  it('lists deliverable destinations in id order, honouring receivers', () => {
    const bus = new Bus(createRandom(1), { latency: 1, jitter: 0 });
    bus.send(hb(1, 3), 0);
    bus.send(hb(3, 2), 0);
    expect(bus.destinationsDue(1, () => true)).toEqual([2, 3]);
    expect(bus.destinationsDue(1, (id) => id !== 2)).toEqual([3]);
    expect(bus.nextDueTime((id) => id === 99)).toBe(Infinity);
  });
});
