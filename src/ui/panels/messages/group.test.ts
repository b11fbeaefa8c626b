import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../cluster/bus';
import { newMessage } from '../../../raft/raftpb/types';
import { groupByLink } from './group';

function env(id: number, from: number, to: number, dueTime: number, held = false): Envelope {
  return { id, from, to, msg: newMessage({ from, to }), sendTime: 0, dueTime, size: 48, held, duplicateOf: undefined };
}

describe('groupByLink', () => {
  it('groups per directed link, links by (from, to), messages by due time then id', () => {
    const g = groupByLink([env(1, 2, 1, 3), env(2, 1, 2, 2), env(3, 1, 2, 1, true), env(4, 1, 3, 1), env(5, 1, 2, 1)]);
    expect(g.map((x) => x.key)).toEqual(['1>2', '1>3', '2>1']);
    expect(g[0]!.ids).toEqual([3, 5, 2]);
    expect(g[0]!.held).toBe(1);
    expect(g[2]!.ids).toEqual([1]);
  });

  it('applies a filter', () => {
    const g = groupByLink([env(1, 1, 2, 1, true), env(2, 1, 2, 1)], (e) => e.held);
    expect(g).toHaveLength(1);
    expect(g[0]!.ids).toEqual([1]);
    expect(groupByLink([])).toEqual([]);
  });
});
