import { describe, expect, it } from 'vitest';
import type { CycleRecord, ReadyStage } from '../../../cluster/protocol';
import { newMessage } from '../../../raft/raftpb/types';
import type { Ready } from '../../../raft/types';
import { addCycle } from './cycleRing';

const ready: Ready = {
  softState: undefined,
  hardState: undefined,
  readStates: [],
  entries: [],
  snapshot: undefined,
  committedEntries: [],
  messages: [],
  mustSync: false,
};

function rec(text: string, stagesDone: ReadyStage[], sent = 0): CycleRecord {
  return {
    node: 1,
    ready,
    readyText: text,
    stagesDone,
    sent: Array.from({ length: sent }, () => newMessage({ from: 1, to: 2 })),
    applied: [],
    readStates: [],
    logLines: [],
  };
}

describe('Ready cycle ring', () => {
  it('merges the stage records of one Ready into one entry', () => {
    let ring = addCycle([], rec('A', ['persist']), 1, 1);
    ring = addCycle(ring, rec('A', ['persist', 'send'], 2), 2, 2);
    ring = addCycle(ring, rec('A', ['persist', 'send', 'apply']), 3, 3);
    expect(ring).toHaveLength(1);
    expect(ring[0]!.stagesDone).toEqual(['persist', 'send', 'apply']);
    expect(ring[0]!.sent).toHaveLength(2);
    expect(ring[0]!.time).toBe(3);
  });

  it('starts a new entry for a new Ready, even with the same text once the previous one is complete', () => {
    const full: ReadyStage[] = ['persist', 'send', 'apply', 'advance'];
    let ring = addCycle([], rec('A', full), 1, 1);
    ring = addCycle(ring, rec('A', full), 2, 2);
    ring = addCycle(ring, rec('B', ['persist']), 3, 3);
    expect(ring.map((c) => c.seq)).toEqual([1, 2, 3]);
  });

  it('keeps at most max entries, the newest ones', () => {
    let ring = addCycle([], rec('0', ['persist', 'send', 'apply', 'advance']), 0, 0, 3);
    for (let i = 1; i < 10; i++)
      ring = addCycle(ring, rec(String(i), ['persist', 'send', 'apply', 'advance']), i, i, 3);
    expect(ring.map((c) => c.readyText)).toEqual(['7', '8', '9']);
    expect(ring.map((c) => c.seq)).toEqual([8, 9, 10]);
  });
});
