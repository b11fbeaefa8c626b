import { describe, expect, it } from 'vitest';
import type { Envelope } from './bus';
import type { ClientOp } from './client';
import { EnvelopeCopies, HistoryCopies } from './observationCopies';

function env(id: number, dueTime: number): Envelope {
  return {
    id,
    from: 1,
    to: 2,
    msg: { type: 0 } as unknown as Envelope['msg'],
    sendTime: 0,
    dueTime,
    size: 10,
    held: false,
    duplicateOf: undefined,
  };
}

function op(id: number, status: ClientOp['status']): ClientOp {
  return {
    id,
    client: 'c1',
    kind: 'put',
    node: 1,
    key: 'k',
    value: String(id),
    invokeTime: id,
    status,
    requestId: `r${id}`,
  };
}

describe('EnvelopeCopies', () => {
  it('hands out the same copy until the envelope is reordered or held, and forgets what left the wire', () => {
    const c = new EnvelopeCopies();
    const a = env(1, 5);
    const b = env(2, 6);
    const v1 = c.view([a, b]);
    expect(v1[0]).not.toBe(a);
    expect(v1[0]).toEqual(a);
    const v2 = c.view([a, b]);
    expect(v2[0]).toBe(v1[0]);
    expect(v2[1]).toBe(v1[1]);
    b.dueTime = 9;
    const v3 = c.view([a, b]);
    expect(v3[0]).toBe(v1[0]);
    expect(v3[1]).not.toBe(v1[1]);
    expect(v3[1]!.dueTime).toBe(9);
    a.held = true;
    expect(c.view([a])[0]!.held).toBe(true);
    // b left the wire and came back (a replay): it gets a fresh copy, not a stale one.
    const v5 = c.view([b]);
    expect(v5[0]).not.toBe(v3[1]);
    expect(v5[0]).toEqual(b);
  });
});

describe('HistoryCopies', () => {
  it('keeps copies of what did not change and remakes those of changed pending ops', () => {
    const c = new HistoryCopies();
    const h = [op(1, 'ok'), op(2, 'pending'), op(3, 'pending')];
    const v1 = c.view(h);
    expect(v1).toEqual(h);
    expect(v1[1]).not.toBe(h[1]);
    expect(c.view(h)).toBe(v1);
    h[2]!.readIndex = 7;
    const v2 = c.view(h);
    expect(v2).not.toBe(v1);
    expect(v2[0]).toBe(v1[0]);
    expect(v2[1]).toBe(v1[1]);
    expect(v2[2]!.readIndex).toBe(7);
    expect(v1[2]!.readIndex).toBeUndefined();
    h.push(op(4, 'ok'));
    const v3 = c.view(h);
    expect(v3.length).toBe(4);
    expect(v3[2]).toBe(v2[2]);
  });

  it('serves frozen ops as their own copies and holds copies only of ops not yet settled', () => {
    const c = new HistoryCopies();
    const frozen = Object.freeze(op(1, 'ok'));
    const h: ClientOp[] = [frozen];
    for (let i = 2; i <= 200; i++) h.push(op(i, 'pending'));
    expect(c.view(h)[0]).toBe(frozen);
    expect(c.liveCount).toBe(199);
    for (let i = 1; i < 150; i++) h[i]!.status = 'ok';
    const v = c.view(h);
    expect(v[100]!.status).toBe('ok');
    expect(c.liveCount).toBe(50);
    // Another world's history (a seek) starts over.
    const other = h.map((o) => ({ ...o }));
    const w = c.view(other);
    expect(w[5]).not.toBe(v[5]);
    expect(w).toEqual(other);
    expect(c.liveCount).toBe(50);
  });
});
