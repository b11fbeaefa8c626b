import { describe, expect, it } from 'vitest';
import type { ClientOp } from '../../../cluster/client';
import { layoutHistory, opLabel } from './lanes';

function op(
  id: number,
  client: string,
  kind: ClientOp['kind'],
  invokeTime: number,
  completeTime?: number,
  extra: Partial<ClientOp> = {},
): ClientOp {
  return {
    id,
    client,
    kind,
    node: 1,
    invokeTime,
    ...(completeTime === undefined ? {} : { completeTime }),
    status: completeTime === undefined ? 'pending' : 'ok',
    requestId: `r${id}`,
    ...extra,
  };
}

describe('client history lanes', () => {
  it('puts each client on its own lane, stacks overlapping ops, and labels stale reads', () => {
    const history: ClientOp[] = [
      op(1, 'bob', 'put', 1, 4, { key: 'x', value: '1' }),
      op(2, 'alice', 'get', 2, 3, { key: 'x', result: '', found: false, consistency: 'linearizable' }),
      op(3, 'bob', 'put', 2, 5, { key: 'y', value: '2' }),
      op(4, 'bob', 'get', 6, 6.5, { key: 'y', result: '2', found: true, consistency: 'stale-possible' }),
      op(5, 'alice', 'put', 7, undefined, { key: 'z', value: '3' }),
      op(6, 'alice', 'addNode', 7, 9),
    ];
    const l = layoutHistory(history, 10, new Map([[1, 3.5]]));
    expect(l.clients).toEqual(['alice', 'bob']);
    // bob's second put overlaps the first: a second row; the later get reuses row 0.
    expect(l.rows).toEqual([1, 2]);
    const byId = new Map(l.bars.map((b) => [b.op.id, b]));
    expect(byId.get(3)!.row).toBe(1);
    expect(byId.get(4)!.row).toBe(0);
    expect(byId.get(4)!.stale).toBe(true);
    expect(byId.get(2)!.stale).toBe(false);
    // A pending op runs to the present; membership ops are not part of the KV history.
    expect(byId.get(5)).toMatchObject({ pending: true, end: 10 });
    expect(byId.has(6)).toBe(false);
    expect(byId.get(1)!.point).toBe(3.5);
    expect([l.t0, l.t1]).toEqual([1, 10]);
  });

  it('labels operations with their keys and results', () => {
    expect(opLabel(op(1, 'c1', 'put', 0, 1, { key: 'k', value: 'v' }))).toBe('put k=v');
    expect(opLabel(op(2, 'c1', 'get', 0, 1, { key: 'k', result: 'v', found: true }))).toBe('get k → v');
    expect(opLabel(op(3, 'c1', 'get', 0, 1, { key: 'k', found: false }))).toBe('get k → (none)');
    expect(opLabel(op(4, 'c1', 'get', 0, undefined, { key: 'k' }))).toBe('get k');
  });
});
