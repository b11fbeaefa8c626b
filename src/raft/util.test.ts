import { describe, expect, it } from 'vitest';
import { RaftPanic } from './errors';
import { LogLevel, SinkLogger } from './logger';
import { newConfState, newEntry, newSnapshot, EntryConfChange, EntryConfChangeV2, MessageType } from './raftpb/types';
import type { MessageType as MessageTypeT } from './raftpb/types';
import {
  assertConfStatesEquivalent,
  cloneSnapshot,
  entrySize,
  entsSize,
  hex,
  limitSize,
  max,
  min,
  noLimit,
  payloadSize,
  payloadsSize,
  voteRespMsgType,
} from './util';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('entrySize', () => {
  it.each<[string, Parameters<typeof newEntry>[0], number]>([
    // tag+varint for term and index; nothing else
    ['empty entry at (0, 0)', {}, 4],
    ['small term and index', { term: 1, index: 2 }, 4],
    ['two-byte varints', { term: 128, index: 300 }, 6],
    ['three-byte varint', { term: 1, index: 16384 }, 6],
    ['with data', { term: 1, index: 2, data: bytes('hello') }, 4 + 1 + 1 + 5],
    ['conf change type counts', { term: 1, index: 2, type: EntryConfChange }, 6],
    ['v2 conf change with data', { term: 1, index: 2, type: EntryConfChangeV2, data: bytes('x') }, 6 + 3],
    ['long data: two-byte length', { term: 1, index: 2, data: new Uint8Array(200) }, 4 + 1 + 2 + 200],
  ])('%s', (_name, init, want) => {
    expect(entrySize(newEntry(init))).toBe(want);
  });

  it('entsSize sums', () => {
    expect(entsSize([])).toBe(0);
    expect(entsSize([newEntry({ term: 1, index: 1 }), newEntry({ term: 1, index: 2, data: bytes('ab') })])).toBe(4 + 8);
  });
});

describe('limitSize', () => {
  const ents = [4, 5, 6].map((i) => newEntry({ index: i, term: i }));
  const s = ents.map(entrySize);
  it.each<[number, number]>([
    [noLimit, 3],
    [0, 1],
    [s[0]! + s[1]!, 2],
    [s[0]! + s[1]! + s[2]! / 2, 2],
    [s[0]! + s[1]! + s[2]! - 1, 2],
    [s[0]! + s[1]! + s[2]!, 3],
  ])('limit %d keeps %i', (lim, n) => {
    const got = limitSize(ents, lim);
    expect(got).toEqual(ents.slice(0, n));
    expect(got.length === 1 || entsSize(got) <= lim).toBe(true);
  });

  it('leaves the input alone and passes empty input through', () => {
    const copy = ents.slice();
    limitSize(ents, 0);
    expect(ents).toEqual(copy);
    expect(limitSize([], 0)).toEqual([]);
  });
});

describe('payloadSize', () => {
  it('counts only data', () => {
    expect(payloadSize(newEntry())).toBe(0);
    expect(payloadSize(newEntry({ term: 9, index: 9, data: bytes('abc') }))).toBe(3);
    expect(payloadsSize([newEntry({ data: bytes('ab') }), newEntry(), newEntry({ data: bytes('c') })])).toBe(3);
  });
});

describe('voteRespMsgType', () => {
  it('maps vote types to their responses', () => {
    expect(voteRespMsgType(MessageType.MsgVote)).toBe(MessageType.MsgVoteResp);
    expect(voteRespMsgType(MessageType.MsgPreVote)).toBe(MessageType.MsgPreVoteResp);
  });
  it('panics on anything else', () => {
    expect(() => voteRespMsgType(MessageType.MsgApp as MessageTypeT)).toThrow(
      new RaftPanic('not a vote message: MsgApp'),
    );
  });
});

describe('assertConfStatesEquivalent', () => {
  it('accepts the same configuration in another order and panics through the logger otherwise', () => {
    const lines: string[] = [];
    const l = new SinkLogger((_lv, m) => lines.push(m), LogLevel.DEBUG);
    assertConfStatesEquivalent(l, newConfState({ voters: [1, 2, 3] }), newConfState({ voters: [3, 1, 2] }));
    expect(lines).toEqual([]);
    expect(() =>
      assertConfStatesEquivalent(l, newConfState({ voters: [1, 2] }), newConfState({ voters: [1, 2], learners: [3] })),
    ).toThrow(RaftPanic);
    expect(lines.length).toBe(1);
    expect(lines[0]).toContain('ConfStates not equivalent');
  });
});

describe('small helpers', () => {
  it('hex, min, max', () => {
    expect(hex(1)).toBe('1');
    expect(hex(255)).toBe('ff');
    expect(hex(0x1234abcd)).toBe('1234abcd');
    expect(min(3, 4)).toBe(3);
    expect(max(3, 4)).toBe(4);
  });

  it('cloneSnapshot copies metadata and ConfState', () => {
    const s = newSnapshot({ index: 3, term: 2, data: bytes('d'), confState: newConfState({ voters: [1] }) });
    const c = cloneSnapshot(s);
    expect(c).toEqual(s);
    c.metadata.confState.voters.push(2);
    c.metadata.index = 9;
    expect(s.metadata.confState.voters).toEqual([1]);
    expect(s.metadata.index).toBe(3);
  });
});
