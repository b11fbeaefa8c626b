import { describe, expect, it } from 'vitest';
import { checkLinearizability, type HistoryOp } from './index';

let nextId = 1;
function op(
  kind: 'put' | 'get',
  key: string,
  value: string | undefined,
  invoke: number,
  complete: number | undefined,
  extra: Partial<HistoryOp> = {},
): HistoryOp {
  const id = nextId++;
  const o: HistoryOp = {
    id,
    kind,
    key,
    invokeTime: invoke,
    status: complete === undefined ? 'pending' : 'ok',
    ...extra,
  };
  if (complete !== undefined) o.completeTime = complete;
  if (kind === 'put') o.value = value;
  else {
    o.consistency = extra.consistency ?? 'linearizable';
    if (complete !== undefined) {
      o.found = value !== undefined;
      if (value !== undefined) o.result = value;
    }
  }
  return o;
}

describe('linearizability (KV register)', () => {
  it('accepts a sequential history and gives points in order', () => {
    const h = [
      op('put', 'x', '1', 0, 2),
      op('get', 'x', '1', 3, 4),
      op('put', 'x', '2', 5, 6),
      op('get', 'x', '2', 7, 9),
    ];
    const r = checkLinearizability(h);
    expect(r.status).toBe('ok');
    expect(r.order.get('x')).toEqual(h.map((o) => o.id));
    const pts = h.map((o) => r.points.get(o.id)!);
    expect(pts).toEqual([0, 3, 5, 7]);
  });

  it('accepts a read of a concurrent write either way', () => {
    const w = op('put', 'x', '1', 0, 10);
    const r1 = op('get', 'x', '1', 2, 3);
    const r2 = op('get', 'x', undefined, 1, 4);
    const r = checkLinearizability([w, r1, r2]);
    expect(r.status).toBe('ok');
    // the points lie within each op's interval
    for (const o of [w, r1, r2]) {
      const p = r.points.get(o.id)!;
      expect(p).toBeGreaterThanOrEqual(o.invokeTime);
      expect(p).toBeLessThanOrEqual(o.completeTime!);
    }
    expect(r.order.get('x')!.indexOf(r2.id)).toBeLessThan(r.order.get('x')!.indexOf(w.id));
  });

  it('rejects a stale read after a completed write', () => {
    const w1 = op('put', 'x', '1', 0, 1);
    const w2 = op('put', 'x', '2', 2, 3);
    const rd = op('get', 'x', '1', 5, 6);
    const r = checkLinearizability([w1, w2, rd]);
    expect(r.status).toBe('violated');
    expect(r.fail).toMatchObject({ op: rd.id, key: 'x', time: 6 });
    expect(r.fail!.message).toContain('get x → 1');
  });

  it('rejects two reads that see two writes in opposite orders', () => {
    const a = op('put', 'x', 'a', 0, 20);
    const b = op('put', 'x', 'b', 0, 20);
    const r1 = op('get', 'x', 'a', 11, 12);
    const r2 = op('get', 'x', 'b', 13, 14);
    const r3 = op('get', 'x', 'a', 15, 16);
    expect(checkLinearizability([a, b, r1, r2]).status).toBe('ok');
    const r = checkLinearizability([a, b, r1, r2, r3]);
    expect(r.status).toBe('violated');
    expect(r.fail?.op).toBe(r3.id);
  });

  it('rejects reads of the same concurrent writes in opposite orders by two clients', () => {
    const a = op('put', 'x', 'a', 0, 20);
    const b = op('put', 'x', 'b', 0, 20);
    // client 1 sees a then b; client 2 sees b then a, all within the writes' intervals
    const h = [
      a,
      b,
      op('get', 'x', 'a', 1, 2),
      op('get', 'x', 'b', 3, 4),
      op('get', 'x', 'b', 1, 2),
      op('get', 'x', 'a', 3, 4),
    ];
    expect(checkLinearizability(h).status).toBe('violated');
  });

  it('a pending put may or may not take effect', () => {
    const p = op('put', 'x', '1', 0, undefined);
    expect(checkLinearizability([p, op('get', 'x', undefined, 5, 6)]).status).toBe('ok');
    expect(checkLinearizability([p, op('get', 'x', '1', 5, 6)]).status).toBe('ok');
    // but once seen it cannot be unseen
    const r = checkLinearizability([p, op('get', 'x', '1', 5, 6), op('get', 'x', undefined, 7, 8)]);
    expect(r.status).toBe('violated');
    // a failed put counts as maybe-applied too
    const f = op('put', 'y', '9', 0, 1, { status: 'failed' });
    expect(checkLinearizability([f, op('get', 'y', '9', 5, 6)]).status).toBe('ok');
  });

  it('rejects a read of a value never written', () => {
    expect(checkLinearizability([op('get', 'x', 'ghost', 0, 1)]).status).toBe('violated');
  });

  it('lists stale local reads apart and does not check them', () => {
    const w = op('put', 'x', '1', 0, 1);
    const s = op('get', 'x', undefined, 5, 6, { consistency: 'stale-possible' });
    const pg = op('get', 'x', undefined, 5, undefined);
    const cc = { ...op('put', 'z', '1', 0, 1), kind: 'addNode' as const };
    const r = checkLinearizability([w, s, pg, cc]);
    expect(r.status).toBe('ok');
    expect(r.stale).toEqual([s.id]);
    expect(r.excluded).toEqual([pg.id, cc.id]);
    expect(r.points.has(s.id)).toBe(false);
  });

  it('keys are checked independently', () => {
    const h = [
      op('put', 'x', '1', 0, 1),
      op('put', 'y', '2', 0, 1),
      op('get', 'y', '2', 2, 3),
      op('get', 'x', '1', 2, 3),
    ];
    const r = checkLinearizability(h);
    expect(r.status).toBe('ok');
    expect([...r.order.keys()].sort()).toEqual(['x', 'y']);
  });
});
